import {
  type AnyColumn,
  activities,
  and,
  companies,
  contacts,
  deals,
  eq,
  isNull,
  organizations,
  type Placeholder,
  type Role,
  type SQL,
  sql,
} from "@nexo/db";
import { can } from "@nexo/trpc";

/** Who is asking: every CRM query is scoped to their organization and to what they may see in it. */
export interface Viewer {
  orgId: string;
  userId: string;
  role: Role;
}

/** A viewer whose ids may be placeholders, in a statement built once and run for many viewers. */
export interface ViewerScope {
  orgId: string | Placeholder;
  userId: string | Placeholder;
  role: Role;
}

/**
 * The owner part of record visibility: true for roles that see everything; otherwise, when the
 * organization shows members only the records they own, `ownerId` must be the viewer. The setting is
 * read in the same statement (one init plan), so it costs no extra round trip and a change to it
 * applies to the very next query. `ownerId` may be raw SQL for queries that alias their tables.
 */
export function ownerScope(viewer: ViewerScope, ...ownerIds: (AnyColumn | SQL)[]): SQL {
  if (can(viewer.role, "records.readAll")) return sql`true`;
  const ownOnly = sql`(select ${organizations.recordVisibility} from ${organizations} where ${organizations.id} = ${viewer.orgId}) = 'own'`;
  const mine = ownerIds.map((id) => sql`${id} = ${viewer.userId}`);
  return sql`(not ${ownOnly} or ${sql.join(mine, sql` or `)})`;
}

function visibleOwned(table: typeof contacts | typeof companies | typeof deals, viewer: ViewerScope): SQL {
  const inOrg = eq(table.orgId, viewer.orgId);
  if (can(viewer.role, "records.readAll")) return inOrg;
  return and(inOrg, ownerScope(viewer, table.ownerId))!;
}

/** The contacts `viewer` may see (trashed ones included; callers add the `deleted_at` condition). */
export const visibleContacts = (viewer: ViewerScope) => visibleOwned(contacts, viewer);
export const visibleCompanies = (viewer: ViewerScope) => visibleOwned(companies, viewer);
export const visibleDeals = (viewer: ViewerScope) => visibleOwned(deals, viewer);

export const visibleTables = { contact: visibleContacts, company: visibleCompanies, deal: visibleDeals };

/**
 * The join to the company a record links to (`companyId`), for its name: only when the viewer may
 * see that company and it is not in the trash.
 */
export function linkedCompany(viewer: ViewerScope, companyId: AnyColumn): SQL {
  return and(eq(companies.id, companyId), visibleCompanies(viewer), isNull(companies.deletedAt)) as SQL;
}

/** The table of each kind of record that has an owner, tags and custom fields. */
export const recordTables = { contact: contacts, company: companies, deal: deals };

/**
 * Activities have no owner: under "own", a member sees the ones they logged or are assigned. On a
 * record they may see, its timeline shows all of the record's activities (see `timeline`).
 */
export function visibleActivities(viewer: Viewer): SQL {
  const inOrg = eq(activities.orgId, viewer.orgId);
  if (can(viewer.role, "records.readAll")) return inOrg;
  return and(inOrg, ownerScope(viewer, activities.createdBy, activities.assigneeId))!;
}
