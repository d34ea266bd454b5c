import { Badge } from "~/components/badge";
import { formatDate, formatNumber, formatRelative } from "~/lib/format";
import type { CustomFieldDef } from "./list-state";

/** An empty cell: a dash for the eye, words for screen readers. */
export function Missing({ label = "None" }: { label?: string }) {
  return (
    <span className="text-slate-300">
      <span aria-hidden="true">—</span>
      <span className="sr-only">{label}</span>
    </span>
  );
}

/** A tag as a small coloured chip (as the tag picker shows them, without loading the picker). */
export function TagChip({ name, color }: { name: string; color?: string | null }) {
  return (
    <span className="inline-flex max-w-40 items-center gap-1.5 truncate rounded-md bg-slate-100 px-1.5 py-0.5 text-xs font-medium text-slate-700">
      <span
        aria-hidden="true"
        className="size-2 shrink-0 rounded-full bg-slate-400"
        style={color ? { backgroundColor: color } : undefined}
      />
      <span className="truncate">{name}</span>
    </span>
  );
}

export function TagList({ tags }: { tags: readonly { id: string; name: string; color: string | null }[] }) {
  if (tags.length === 0) return <Missing label="No tags" />;
  return (
    <span className="flex max-w-64 items-center gap-1 overflow-hidden">
      {tags.slice(0, 3).map((tag) => (
        <TagChip key={tag.id} name={tag.name} color={tag.color} />
      ))}
      {tags.length > 3 ? <span className="text-xs text-slate-500">+{tags.length - 3}</span> : null}
    </span>
  );
}

/** A date and time shown as "3 days ago", with the exact moment on hover. */
export function When({ value }: { value: Date | string | null }) {
  if (!value) return <Missing label="Never" />;
  const date = value instanceof Date ? value : new Date(value);
  return (
    <time dateTime={date.toISOString()} title={formatDate(date)} suppressHydrationWarning>
      {formatRelative(date)}
    </time>
  );
}

/** A custom field's value as its type reads. */
export function CustomFieldValue({ field, value }: { field: CustomFieldDef; value: unknown }) {
  if (value === undefined || value === null || value === "") return <Missing />;
  switch (field.type) {
    case "number":
      return <span className="tabular-nums">{typeof value === "number" ? formatNumber(value) : String(value)}</span>;
    case "date":
      return <span>{formatDate(String(value))}</span>;
    case "checkbox":
      return value === true ? <Badge tone="green">Yes</Badge> : <span className="text-slate-500">No</span>;
    case "multi_select":
      return (
        <span className="flex max-w-64 gap-1 overflow-hidden">
          {(Array.isArray(value) ? value : [value]).map((option) => (
            <Badge key={String(option)}>{String(option)}</Badge>
          ))}
        </span>
      );
    case "url": {
      const href = String(value);
      return /^https?:\/\//i.test(href) ? (
        <a
          href={href}
          target="_blank"
          rel="noreferrer noopener"
          className="block max-w-56 truncate text-indigo-600 hover:text-indigo-500 focus-visible:outline-2 focus-visible:outline-indigo-600"
        >
          {href.replace(/^https?:\/\//i, "")}
        </a>
      ) : (
        <span>{href}</span>
      );
    }
    default:
      return <span className="block max-w-56 truncate">{String(value)}</span>;
  }
}

/** The column id of a custom field: `customFields.<key>`, as saved views name it. */
export const customFieldColumnId = (key: string) => `customFields.${key}`;
