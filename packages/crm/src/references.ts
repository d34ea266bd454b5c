/**
 * Checks for ids that arrive inside inputs (a deal's company, an activity's contact, an owner):
 * they must belong to the caller's organization, else NOT_FOUND, so a foreign key never links
 * across organizations or reveals that another organization's record exists.
 */
import {
  and,
  companies,
  contacts,
  type EntityType,
  eq,
  inArray,
  isNull,
  memberships,
  pipelineStages,
  pipelines,
  tags,
} from "@nexo/db";
import { notFound } from "./errors";
import type { DbOrTx } from "./history";
import { recordTables, type Viewer, visibleCompanies, visibleContacts, visibleTables } from "./visibility";

export async function assertMember(db: DbOrTx, orgId: string, userId: string | null | undefined): Promise<void> {
  if (!userId) return;
  const [row] = await db
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)));
  if (!row) throw notFound("User");
}

/** A company the viewer may see: linking to one they may not would reveal that it exists. */
export async function assertCompany(db: DbOrTx, viewer: Viewer, id: string | null | undefined): Promise<void> {
  if (!id) return;
  const [row] = await db
    .select({ id: companies.id })
    .from(companies)
    .where(and(visibleCompanies(viewer), eq(companies.id, id), isNull(companies.deletedAt)));
  if (!row) throw notFound("Company");
}

export async function assertContacts(db: DbOrTx, viewer: Viewer, ids: readonly string[] | undefined): Promise<void> {
  const unique = [...new Set(ids ?? [])];
  if (unique.length === 0) return;
  const rows = await db
    .select({ id: contacts.id })
    .from(contacts)
    .where(and(visibleContacts(viewer), inArray(contacts.id, unique), isNull(contacts.deletedAt)));
  if (rows.length !== unique.length) throw notFound("Contact");
}

export async function assertTags(db: DbOrTx, orgId: string, ids: readonly string[]): Promise<void> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return;
  const rows = await db
    .select({ id: tags.id })
    .from(tags)
    .where(and(eq(tags.orgId, orgId), inArray(tags.id, unique)));
  if (rows.length !== unique.length) throw notFound("Tag");
}

/**
 * A stage of the organization. `lock` holds it until the transaction ends: `share` while a deal
 * goes into it, `update` while it changes or goes, so the two wait for each other and the one
 * that comes second sees the stage as it is then (or not at all: NOT_FOUND), never a stale one.
 */
export async function findStage(db: DbOrTx, orgId: string, id: string, lock?: "share" | "update") {
  const query = db
    .select()
    .from(pipelineStages)
    .where(and(eq(pipelineStages.orgId, orgId), eq(pipelineStages.id, id)));
  const [stage] = await (lock ? query.for(lock) : query);
  if (!stage) throw notFound("Stage");
  return stage;
}

export async function assertPipeline(db: DbOrTx, orgId: string, id: string | null | undefined): Promise<void> {
  if (!id) return;
  const [row] = await db
    .select({ id: pipelines.id })
    .from(pipelines)
    .where(and(eq(pipelines.orgId, orgId), eq(pipelines.id, id)));
  if (!row) throw notFound("Pipeline");
}

/** A live (not trashed) contact, company or deal that the viewer may see; with `lock`, its row locked so. */
export async function assertRecord(
  db: DbOrTx,
  viewer: Viewer,
  entityType: EntityType,
  id: string,
  lock?: "no key update",
): Promise<void> {
  const table = recordTables[entityType];
  const query = db
    .select({ id: table.id })
    .from(table)
    .where(and(visibleTables[entityType](viewer), eq(table.id, id), isNull(table.deletedAt)));
  const [row] = await (lock ? query.for(lock) : query);
  if (!row) throw notFound({ contact: "Contact", company: "Company", deal: "Deal" }[entityType]);
}
