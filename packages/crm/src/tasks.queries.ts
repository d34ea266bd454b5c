import { activities, and, asc, companies, contacts, type Db, deals, eq, isNull, type SQL, sql } from "@nexo/db";
import { z } from "zod";
import { activityColumns } from "./activities.queries";
import type { listTasksInput } from "./activities.schemas";
import { cursorId, cursorTime, decodeCursor, pageOf } from "./keyset";
import { linkedCompany, type Viewer, visibleActivities, visibleContacts, visibleDeals } from "./visibility";

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

const DAY_MS = 86_400_000;

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

type ListTasksInput = z.output<typeof listTasksInput>;

/**
 * Open tasks by due date (soonest first, undated last), keyset-paginated on `(due_at, id)`. Each task
 * carries the names of the records it is attached to, for those the viewer may see (else null).
 */
export async function listTasks(db: Db, viewer: Viewer, input: ListTasksInput, now = new Date()) {
  const rows = await tasksQuery(db, viewer, input, now);
  return pageOf(rows, input.limit, (t) => [t.dueAt, t.id]);
}

/** The statement behind `listTasks` (one page and one row more). */
export function tasksQuery(db: Db, viewer: Viewer, input: ListTasksInput, now: Date) {
  const at = (date: Date) => sql`${date.toISOString()}::timestamptz`;
  const tomorrow = startOfNextDay(now, input.timeZone);
  const filters: (SQL | undefined)[] = [
    visibleActivities(viewer),
    eq(activities.kind, "task"),
    isNull(activities.doneAt),
  ];
  if (input.assigneeId) filters.push(eq(activities.assigneeId, input.assigneeId));
  switch (input.due) {
    case "overdue":
      filters.push(sql`${activities.dueAt} < ${at(now)}`);
      break;
    case "today":
      filters.push(sql`${activities.dueAt} >= ${at(now)} and ${activities.dueAt} < ${at(tomorrow)}`);
      break;
    case "later":
      filters.push(sql`(${activities.dueAt} >= ${at(tomorrow)} or ${activities.dueAt} is null)`);
      break;
    case "upcoming":
      filters.push(sql`${activities.dueAt} >= ${at(now)}`);
      break;
    case "all":
      break;
  }
  if (input.cursor) {
    const [dueAt, id] = decodeCursor(input.cursor, z.tuple([cursorTime.nullable(), cursorId]));
    filters.push(
      dueAt === null
        ? sql`(${activities.dueAt} is null and ${activities.id} > ${id}::uuid)`
        : sql`(${activities.dueAt} is null or (${activities.dueAt}, ${activities.id}) > (${dueAt}::timestamptz, ${id}::uuid))`,
    );
  }
  return db
    .select({
      ...activityColumns,
      contactName: sql<string | null>`nullif(trim(${contacts.firstName} || ' ' || ${contacts.lastName}), '')`,
      companyName: companies.name,
      dealTitle: deals.title,
    })
    .from(activities)
    .leftJoin(contacts, and(eq(contacts.id, activities.contactId), visibleContacts(viewer), isNull(contacts.deletedAt)))
    .leftJoin(companies, linkedCompany(viewer, activities.companyId))
    .leftJoin(deals, and(eq(deals.id, activities.dealId), visibleDeals(viewer), isNull(deals.deletedAt)))
    .where(and(...filters))
    .orderBy(sql`${activities.dueAt} asc nulls last`, asc(activities.id))
    .limit(input.limit + 1);
}
