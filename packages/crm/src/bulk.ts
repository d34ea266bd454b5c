/**
 * Changes to many records of one kind at once, as the list pages' bulk actions make them. Each call
 * is one transaction: every id must be a record the caller may see (live, or trashed for a restore),
 * else NOT_FOUND and nothing changes, so a stale selection never half-applies. Each record gets the
 * same history rows a change to it alone would get.
 */
import { and, type Db, type EntityType, eq, inArray, isNotNull, isNull, recordHistory, taggings } from "@nexo/db";
import { TRPCError } from "@nexo/trpc";
import type { DbOrTx } from "./history";
import { assertMember, assertTags } from "./references";
import { recordTables, type Viewer, visibleTables } from "./visibility";

const plural = { contact: "contacts", company: "companies", deal: "deals" };

function missing(entityType: EntityType, count: number): TRPCError {
  const what = count === 1 ? "One of the chosen" : `${count} of the chosen`;
  return new TRPCError({
    code: "NOT_FOUND",
    message: `${what} ${plural[entityType]} no longer exist or were changed elsewhere. Reload the list and try again.`,
  });
}

type HistoryRow = typeof recordHistory.$inferInsert;

async function insertHistory(tx: DbOrTx, rows: HistoryRow[]): Promise<void> {
  if (rows.length > 0) await tx.insert(recordHistory).values(rows);
}

/** Moves the records to the trash; each gets a `deleted` event. */
export function bulkTrash(db: Db, viewer: Viewer, entityType: EntityType, ids: readonly string[]) {
  return setTrashed(db, viewer, entityType, ids, true);
}

/** Brings the records back from the trash (the Undo of a bulk delete); each gets a `restored` event. */
export function bulkRestore(db: Db, viewer: Viewer, entityType: EntityType, ids: readonly string[]) {
  return setTrashed(db, viewer, entityType, ids, false);
}

function setTrashed(db: Db, viewer: Viewer, entityType: EntityType, ids: readonly string[], trash: boolean) {
  const table = recordTables[entityType];
  const unique = [...new Set(ids)];
  return db.transaction(async (tx) => {
    const rows = await tx
      .update(table)
      .set({ deletedAt: trash ? new Date() : null })
      .where(
        and(
          visibleTables[entityType](viewer),
          inArray(table.id, unique),
          trash ? isNull(table.deletedAt) : isNotNull(table.deletedAt),
        ),
      )
      .returning({ id: table.id });
    if (rows.length !== unique.length) throw missing(entityType, unique.length - rows.length);
    await insertHistory(
      tx,
      rows.map((row) => ({
        orgId: viewer.orgId,
        entityType,
        entityId: row.id,
        field: trash ? "deleted" : "restored",
        newValue: null,
        changedBy: viewer.userId,
      })),
    );
    return { ids: rows.map((row) => row.id) };
  });
}

/** Hands the records to another member of the organization; each change of owner is recorded. */
export function bulkAssignOwner(
  db: Db,
  viewer: Viewer,
  entityType: EntityType,
  ids: readonly string[],
  ownerId: string,
) {
  const table = recordTables[entityType];
  const unique = [...new Set(ids)];
  return db.transaction(async (tx) => {
    await assertMember(tx, viewer.orgId, ownerId);
    const before = await tx
      .select({ id: table.id, ownerId: table.ownerId })
      .from(table)
      .where(and(visibleTables[entityType](viewer), inArray(table.id, unique), isNull(table.deletedAt)))
      .for("update");
    if (before.length !== unique.length) throw missing(entityType, unique.length - before.length);
    const changing = before.filter((row) => row.ownerId !== ownerId);
    if (changing.length > 0) {
      // By id alone once locked: handing records to someone else may take them out of the caller's view.
      await tx
        .update(table)
        .set({ ownerId })
        .where(
          and(
            eq(table.orgId, viewer.orgId),
            inArray(
              table.id,
              changing.map((row) => row.id),
            ),
          ),
        );
    }
    await insertHistory(
      tx,
      changing.map((row) => ({
        orgId: viewer.orgId,
        entityType,
        entityId: row.id,
        field: "ownerId",
        oldValue: row.ownerId,
        newValue: ownerId,
        changedBy: viewer.userId,
      })),
    );
    return { ids: unique, changed: changing.length };
  });
}

/** Adds a tag to the records that lack it; their `tags` history shows the list before and after. */
export function bulkAddTag(db: Db, actor: Viewer, entityType: EntityType, ids: readonly string[], tagId: string) {
  const table = recordTables[entityType];
  const unique = [...new Set(ids)];
  return db.transaction(async (tx) => {
    await assertTags(tx, actor.orgId, [tagId]);
    const live = await tx
      .select({ id: table.id })
      .from(table)
      .where(and(visibleTables[entityType](actor), inArray(table.id, unique), isNull(table.deletedAt)))
      .for("update");
    if (live.length !== unique.length) throw missing(entityType, unique.length - live.length);
    const current = await tx
      .select({ entityId: taggings.entityId, tagId: taggings.tagId })
      .from(taggings)
      .where(
        and(eq(taggings.orgId, actor.orgId), eq(taggings.entityType, entityType), inArray(taggings.entityId, unique)),
      );
    const tagsOf = new Map<string, string[]>(unique.map((id) => [id, []]));
    for (const row of current) tagsOf.get(row.entityId)?.push(row.tagId);
    const lacking = unique.filter((id) => !tagsOf.get(id)?.includes(tagId));
    if (lacking.length > 0) {
      await tx
        .insert(taggings)
        .values(lacking.map((entityId) => ({ orgId: actor.orgId, tagId, entityType, entityId })))
        .onConflictDoNothing();
    }
    await insertHistory(
      tx,
      lacking.map((entityId) => {
        const before = [...(tagsOf.get(entityId) ?? [])].sort();
        return {
          orgId: actor.orgId,
          entityType,
          entityId,
          field: "tags",
          oldValue: before,
          newValue: [...before, tagId].sort(),
          changedBy: actor.userId,
        };
      }),
    );
    return { ids: unique, tagged: lacking.length };
  });
}
