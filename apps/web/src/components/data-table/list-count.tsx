import { formatNumber } from "~/lib/format";

/** 100,873 → 101,000: an estimate is shown with three significant digits, not as if it were exact. */
function roughly(value: number): number {
  if (value < 1000) return value;
  const step = 10 ** (Math.floor(Math.log10(value)) - 2);
  return Math.round(value / step) * step;
}

export function countText(count: { value: number; exact: boolean }, singular: string, plural: string): string {
  if (!count.exact) return `about ${formatNumber(roughly(count.value))} ${plural}`;
  return `${formatNumber(count.value)} ${count.value === 1 ? singular : plural}`;
}

/** "1,234 contacts", or "about 101,000 contacts" when the API gave the planner's estimate. */
export function ListCount({
  count,
  singular,
  plural,
  fuzzy = false,
}: {
  count: { value: number; exact: boolean } | null;
  singular: string;
  plural: string;
  fuzzy?: boolean;
}) {
  return (
    <p className="text-sm text-slate-600" aria-live="polite">
      {count === null ? (
        <span className="invisible">…</span>
      ) : fuzzy ? (
        `No exact matches — ${countText(count, `similar ${singular}`, `similar ${plural}`)}`
      ) : (
        countText(count, singular, plural)
      )}
    </p>
  );
}
