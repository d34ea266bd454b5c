/**
 * Calendar days and months as they fall in an IANA time zone, from the runtime's time zone data
 * (Intl): "today" for tasks and dashboards, months for dashboards, days for a date column's range.
 * Postgres is never asked to convert: its zone names and data need not match the runtime's.
 */
/** The wall-clock date and time of `at` in `timeZone`, as if it were UTC. */
function wallClock(at: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    second: "numeric",
  }).formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return Date.UTC(part("year"), part("month") - 1, part("day"), part("hour"), part("minute"), part("second"));
}

export const DAY_MS = 86_400_000;

/**
 * The instant the day after `now`'s day begins in `timeZone` (the end of "today" there): the first
 * instant whose local time is that day's midnight or later. Where the clocks skip midnight (Santiago
 * and Havana spring forward at 00:00), that is the first instant after the gap; where they go back
 * at midnight, the midnight after the repeated hour.
 */
export function startOfNextDay(now: Date, timeZone = "UTC"): Date {
  const { year, month, day } = localDate(now, timeZone);
  return startOfLocalDay(year, month, day + 1, timeZone);
}

/** The local day `now` falls on in `timeZone`: its year, month (0–11) and day of the month. */
export function localDate(now: Date, timeZone = "UTC"): { year: number; month: number; day: number } {
  const local = new Date(wallClock(now.getTime(), timeZone));
  return { year: local.getUTCFullYear(), month: local.getUTCMonth(), day: local.getUTCDate() };
}

/**
 * The instant a local calendar day begins in `timeZone` (month 0–11; out-of-range days and months
 * roll over, as with `Date.UTC`). See `startOfNextDay` for days whose midnight the clocks skip.
 */
export function startOfLocalDay(year: number, month: number, day: number, timeZone = "UTC"): Date {
  const midnight = Date.UTC(year, month, day);
  // The offsets from UTC well before and well after that midnight (no zone changes twice in 4 days).
  const offset = (at: number) => wallClock(at, timeZone) - at;
  const candidates = [offset(midnight - 2 * DAY_MS), offset(midnight + 2 * DAY_MS)]
    .map((off) => midnight - off)
    .filter((at) => wallClock(at, timeZone) >= midnight);
  return new Date(Math.min(...candidates));
}

/** `YYYY-MM-DD` of the UTC day that begins at `utcMidnight` (years below 1000 padded). */
export function isoDayText(utcMidnight: number): string {
  const day = new Date(utcMidnight);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${String(day.getUTCFullYear()).padStart(4, "0")}-${two(day.getUTCMonth() + 1)}-${two(day.getUTCDate())}`;
}
