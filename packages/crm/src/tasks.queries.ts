import { activities, and, asc, companies, contacts, type Db, deals, eq, isNull, type SQL, sql } from "@nexo/db";
import { z } from "zod";
import { activityColumns } from "./activities.queries";
import type { listTasksInput } from "./activities.schemas";
import { cursorId, cursorTime, decodeCursor, pageOf } from "./keyset";
import { startOfNextDay } from "./time-zones";
import { linkedCompany, type Viewer, visibleActivities, visibleContacts, visibleDeals } from "./visibility";

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
