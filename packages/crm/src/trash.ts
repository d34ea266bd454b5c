import { and, type Db, type EntityType, eq, inArray, isNotNull, isNull, lt, sql, taggings } from "@nexo/db";
import { notFound } from "./errors";
import { recordEvent } from "./history";
import { recordTables, type Viewer, visibleTables } from "./visibility";

const labels = { contact: "Contact", company: "Company", deal: "Deal" };

/** Soft delete: the record leaves every list and search but can be restored until purged. */
export function moveToTrash(db: Db, actor: Viewer, entityType: EntityType, id: string) {
  const table = recordTables[entityType];
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(table)
      .set({ deletedAt: new Date() })
      .where(and(visibleTables[entityType](actor), eq(table.id, id), isNull(table.deletedAt)))
      .returning({ id: table.id });
    if (!row) throw notFound(labels[entityType]);
    await recordEvent(tx, actor, entityType, id, "deleted");
    return row;
  });
}

export function restoreFromTrash(db: Db, actor: Viewer, entityType: EntityType, id: string) {
  const table = recordTables[entityType];
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(table)
      .set({ deletedAt: null })
      .where(and(visibleTables[entityType](actor), eq(table.id, id), isNotNull(table.deletedAt)))
      .returning({ id: table.id });
    if (!row) throw notFound(labels[entityType]);
    await recordEvent(tx, actor, entityType, id, "restored");
    return row;
  });
}

const PURGE_BATCH = 1_000;

/**
 * Deletes for good what has been in the trash longer than `olderThanDays` — in one organization, or
 * in all of them (the gateway's periodic purge). Idempotent: several gateways may run it at once and
 * a row is deleted by whichever gets there first.
 */
export async function purgeTrash(db: Db, scope: { orgId: string } | "all", olderThanDays: number) {
  const cutoff = sql`now() - make_interval(days => ${olderThanDays})`;
  const purge = async (entityType: EntityType) => {
    const table = recordTables[entityType];
    const expired = and(
      scope === "all" ? undefined : eq(table.orgId, scope.orgId),
      isNotNull(table.deletedAt),
      lt(table.deletedAt, cutoff),
    );
    let purged = 0;
    // In batches, each a short transaction, so a large backlog neither holds locks long nor
    // overflows the statement's parameter limit.
    for (;;) {
      const n = await db.transaction(async (tx) => {
        const batch = tx.select({ id: table.id }).from(table).where(expired).limit(PURGE_BATCH);
        const rows = await tx
          .delete(table)
          .where(and(inArray(table.id, batch), expired))
          .returning({ id: table.id });
        // Taggings point at records of several kinds, so no foreign key removes them.
        if (rows.length > 0) {
          await tx.delete(taggings).where(
            and(
              eq(taggings.entityType, entityType),
              inArray(
                taggings.entityId,
                rows.map((r) => r.id),
              ),
            ),
          );
        }
        return rows.length;
      });
      purged += n;
      if (n < PURGE_BATCH) return purged;
    }
  };
  // Deals first: a purged company or contact only unlinks them, but order keeps counts honest.
  const dealsPurged = await purge("deal");
  const contactsPurged = await purge("contact");
  const companiesPurged = await purge("company");
  return { deals: dealsPurged, contacts: contactsPurged, companies: companiesPurged };
}
