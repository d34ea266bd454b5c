const TONES = [
  "bg-indigo-100 text-indigo-700",
  "bg-emerald-100 text-emerald-700",
  "bg-amber-100 text-amber-800",
  "bg-sky-100 text-sky-700",
  "bg-rose-100 text-rose-700",
  "bg-violet-100 text-violet-700",
];

/** Up to two letters: "Ada Lovelace" → "AL", "ada" → "A". */
export function initials(name: string): string {
  const letters = name
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map((word) => word[0]?.toUpperCase() ?? "");
  if (letters.length <= 1) return letters[0] ?? "?";
  return `${letters[0]}${letters.at(-1)}`;
}

/** The same name always gets the same colour, so people are easy to spot in a list. */
function tone(name: string): string {
  let hash = 0;
  for (const char of name) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) >>> 0;
  return TONES[hash % TONES.length] ?? TONES[0]!;
}

export function Avatar({ name, className = "size-9 text-sm" }: { name: string; className?: string }) {
  return (
    <span
      aria-hidden="true"
      className={`inline-flex shrink-0 items-center justify-center rounded-full font-semibold ${tone(name)} ${className}`}
    >
      {initials(name)}
    </span>
  );
}
