const FORMAT = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short" });
const DATE_ONLY = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium" });

/**
 * A point in time in the reader's time zone. The server renders it in its own zone first, so the
 * text may change on hydration: that difference is expected, not a bug.
 */
export function DateTime({ value, dateOnly = false }: { value: Date; dateOnly?: boolean }) {
  return (
    <time dateTime={value.toISOString()} suppressHydrationWarning>
      {(dateOnly ? DATE_ONLY : FORMAT).format(value)}
    </time>
  );
}
