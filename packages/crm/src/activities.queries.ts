import {
  activities,
  and,
  companies,
  contacts,
  type Db,
  type EntityType,
  inArray,
  queryRows,
  recordHistory,
  sql,
} from "@nexo/db";
import { z } from "zod";
import { cursorId, cursorTime, decodeCursor, pageOf } from "./keyset";
import { type Viewer, visibleCompanies, visibleContacts } from "./visibility";

export const activityColumns = {
  id: activities.id,
  kind: activities.kind,
  subject: activities.subject,
  body: activities.body,
  dueAt: activities.dueAt,
  assigneeId: activities.assigneeId,
  doneAt: activities.doneAt,
  occurredAt: activities.occurredAt,
  durationMinutes: activities.durationMinutes,
  outcome: activities.outcome,
  contactId: activities.contactId,
  companyId: activities.companyId,
  dealId: activities.dealId,
  createdBy: activities.createdBy,
  createdAt: activities.createdAt,
  updatedAt: activities.updatedAt,
};

const targetColumn = { contact: "contact_id", company: "company_id", deal: "deal_id" } as const;

/**
 * A record's timeline: its activities and its field changes merged, newest first. Both sides are
 * read through their `(org_id, record, time)` indexes; times are compared at millisecond
 * precision so the cursor (a JSON timestamp) is exact.
 */
export async function timeline(
  db: Db,
  orgId: string,
  input: { entityType: EntityType; entityId: string; cursor?: string | null | undefined; limit: number },
) {
  const after = input.cursor ? decodeCursor(input.cursor, z.tuple([cursorTime, cursorId])) : null;
  const keyset = after ? sql`where (t.at, t.id) < (${after[0]}::timestamptz, ${after[1]}::uuid)` : sql``;
  const target = sql.raw(targetColumn[input.entityType]);
  const refs = await queryRows<{ source: "activity" | "change"; id: string; at: string }>(
    db,
    sql`select t.source, t.id, to_char(t.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at
        from (
          select 'activity' as source, a.id, date_trunc('milliseconds', a.occurred_at) as at
          from ${activities} a where a.org_id = ${orgId} and a.${target} = ${input.entityId}
          union all
          select 'change' as source, h.id, date_trunc('milliseconds', h.changed_at) as at
          from ${recordHistory} h
          where h.org_id = ${orgId} and h.entity_type = ${input.entityType} and h.entity_id = ${input.entityId}
        ) t ${keyset}
        order by t.at desc, t.id desc
        limit ${input.limit + 1}`,
  );
  const activityIds = refs.filter((r) => r.source === "activity").map((r) => r.id);
  const changeIds = refs.filter((r) => r.source === "change").map((r) => r.id);
  const [activityRows, changeRows] = await Promise.all([
    activityIds.length === 0
      ? []
      : db
          .select(activityColumns)
          .from(activities)
          .where(and(sql`${activities.orgId} = ${orgId}`, inArray(activities.id, activityIds))),
    changeIds.length === 0
      ? []
      : db
          .select({
            id: recordHistory.id,
            field: recordHistory.field,
            oldValue: recordHistory.oldValue,
            newValue: recordHistory.newValue,
            changedBy: recordHistory.changedBy,
            changedAt: recordHistory.changedAt,
          })
          .from(recordHistory)
          .where(and(sql`${recordHistory.orgId} = ${orgId}`, inArray(recordHistory.id, changeIds))),
  ]);
  const byId = new Map<string, unknown>([...activityRows, ...changeRows].map((r) => [r.id, r]));
  type Entry =
    | { type: "activity"; at: Date; activity: (typeof activityRows)[number] }
    | { type: "change"; at: Date; change: (typeof changeRows)[number] };
  const entries: (Entry & { key: [string, string] })[] = refs.flatMap((ref): (Entry & { key: [string, string] })[] => {
    const row = byId.get(ref.id);
    if (!row) return [];
    const at = new Date(ref.at);
    const key: [string, string] = [ref.at, ref.id];
    return ref.source === "activity"
      ? [{ type: "activity" as const, at, activity: row as (typeof activityRows)[number], key }]
      : [{ type: "change" as const, at, change: row as (typeof changeRows)[number], key }];
  });
  const page = pageOf(entries, input.limit, (e) => e.key);
  return { items: page.items.map(({ key: _key, ...entry }) => entry), nextCursor: page.nextCursor };
}

const uuid = z.uuid();

/** The record ids a change refers to: a company, or a deal's contacts. */
function referencedIds(change: { field: string; oldValue: unknown; newValue: unknown }) {
  const ids = (value: unknown) =>
    [value, ...(Array.isArray(value) ? value : [])].filter((v): v is string => uuid.safeParse(v).success);
  if (change.field === "companyId")
    return { companies: [...ids(change.oldValue), ...ids(change.newValue)], contacts: [] };
  if (change.field === "contactIds")
    return { companies: [], contacts: [...ids(change.oldValue), ...ids(change.newValue)] };
  return { companies: [], contacts: [] };
}

/**
 * Names of the companies and contacts that a timeline's changes refer to by id, so "company changed
 * from Acme to Globex" reads as such. Only records the viewer may see are named (trashed ones too:
 * the change happened while they were live).
 */
export async function namesForChanges(
  db: Db,
  viewer: Viewer,
  changes: readonly { field: string; oldValue: unknown; newValue: unknown }[],
): Promise<Record<string, string>> {
  const companyIds = new Set<string>();
  const contactIds = new Set<string>();
  for (const change of changes) {
    const refs = referencedIds(change);
    for (const id of refs.companies) companyIds.add(id);
    for (const id of refs.contacts) contactIds.add(id);
  }
  const [companyRows, contactRows] = await Promise.all([
    companyIds.size === 0
      ? []
      : db
          .select({ id: companies.id, name: companies.name })
          .from(companies)
          .where(and(visibleCompanies(viewer), inArray(companies.id, [...companyIds]))),
    contactIds.size === 0
      ? []
      : db
          .select({ id: contacts.id, name: sql<string>`trim(${contacts.firstName} || ' ' || ${contacts.lastName})` })
          .from(contacts)
          .where(and(visibleContacts(viewer), inArray(contacts.id, [...contactIds]))),
  ]);
  return Object.fromEntries([...companyRows, ...contactRows].map((row) => [row.id, row.name]));
}
