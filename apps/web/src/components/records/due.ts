/**
 * Task due dates. A due date without a time means "by the end of that day" in the reader's zone, so
 * a task due today stays in "Today" until midnight and only then becomes overdue.
 */

const END_OF_DAY = { hours: 23, minutes: 59 };

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

/** "2026-03-01" and "14:30" (or "" for the end of the day) in the browser's zone → the instant. */
export function dueAtFrom(date: string, time: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return null;
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  const match = /^(\d{2}):(\d{2})$/.exec(time);
  const hours = match ? Number(match[1]) : END_OF_DAY.hours;
  const minutes = match ? Number(match[2]) : END_OF_DAY.minutes;
  return new Date(year, month - 1, day, hours, minutes, match ? 0 : 59, match ? 0 : 999);
}

function isEndOfDay(value: Date): boolean {
  return (
    value.getHours() === END_OF_DAY.hours && value.getMinutes() === END_OF_DAY.minutes && value.getSeconds() === 59
  );
}

/** The form's date and time inputs for a stored due date. */
export function dueInputs(value: Date | null): { date: string; time: string } {
  if (!value) return { date: "", time: "" };
  const date = `${value.getFullYear()}-${pad(value.getMonth() + 1)}-${pad(value.getDate())}`;
  return { date, time: isEndOfDay(value) ? "" : `${pad(value.getHours())}:${pad(value.getMinutes())}` };
}

/** `YYYY-MM-DDTHH:mm` for a datetime-local input, in the browser's zone. */
export function localDateTimeInput(value: Date): string {
  return `${value.getFullYear()}-${pad(value.getMonth() + 1)}-${pad(value.getDate())}T${pad(value.getHours())}:${pad(value.getMinutes())}`;
}

const DAY = new Intl.DateTimeFormat("en-GB", { weekday: "short", day: "numeric", month: "short" });
const DAY_WITH_YEAR = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric" });
const TIME = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit" });

function startOfDay(value: Date): number {
  return new Date(value.getFullYear(), value.getMonth(), value.getDate()).getTime();
}

/** "Today", "Tomorrow, 14:30", "Mon 12 Jan", "3 Feb 2027". */
export function formatDue(value: Date, now = new Date()): string {
  const days = Math.round((startOfDay(value) - startOfDay(now)) / 86_400_000);
  const day =
    days === 0
      ? "Today"
      : days === 1
        ? "Tomorrow"
        : days === -1
          ? "Yesterday"
          : value.getFullYear() === now.getFullYear()
            ? DAY.format(value)
            : DAY_WITH_YEAR.format(value);
  return isEndOfDay(value) ? day : `${day}, ${TIME.format(value)}`;
}
