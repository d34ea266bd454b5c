import {
  activities,
  and,
  customFieldValues,
  type Db,
  type EntityType,
  eq,
  inArray,
  isNotNull,
  isNull,
  lt,
  or,
  recordHistory,
  sql,
  taggings,
} from "@nexo/db";
import { notFound } from "./errors";
import { groupBy } from "./group";
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

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

const idsByOrg = (rows: { id: string; orgId: string }[]) =>
  groupBy(
    rows,
    (row) => row.orgId,
    (row) => row.id,
  );

const activityTarget = { contact: activities.contactId, company: activities.companyId, deal: activities.dealId };
const unlinked = { contact: { contactId: null }, company: { companyId: null }, deal: { dealId: null } };

/**
 * An activity logged on several records (a call with a contact, her company and a deal) stays with
 * the others when one of them is purged: only its link to the purged record goes. An activity on the
 * purged record alone goes with it (its foreign key cascades).
 */
async function unlinkSharedActivities(tx: Tx, entityType: EntityType, orgId: string, ids: string[]) {
  const target = activityTarget[entityType];
  const others = Object.entries(activityTarget)
    .filter(([kind]) => kind !== entityType)
    .map(([, column]) => isNotNull(column));
  await tx
    .update(activities)
    .set(unlinked[entityType])
    .where(and(eq(activities.orgId, orgId), inArray(target, ids), or(...others)));
}

/**
 * What points at a record without a foreign key (it may point at records of any kind): its tags, its
 * custom field values (ids are unique across kinds) and its history. Purged means gone, personal
 * data in old values included.
 */
async function deleteDependents(tx: Tx, entityType: EntityType, orgId: string, ids: string[]) {
  await tx
    .delete(taggings)
    .where(and(eq(taggings.orgId, orgId), eq(taggings.entityType, entityType), inArray(taggings.entityId, ids)));
  await tx
    .delete(customFieldValues)
    .where(and(eq(customFieldValues.orgId, orgId), inArray(customFieldValues.entityId, ids)));
  await tx
    .delete(recordHistory)
    .where(
      and(
        eq(recordHistory.orgId, orgId),
        eq(recordHistory.entityType, entityType),
        inArray(recordHistory.entityId, ids),
      ),
    );
}

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
        // Locked, so a restore in between waits and then finds the record gone; skipped when locked,
        // so gateways purging at once take different records.
        const rows = await tx
          .select({ id: table.id, orgId: table.orgId })
          .from(table)
          .where(expired)
          .limit(PURGE_BATCH)
          .for("update", { skipLocked: true });
        if (rows.length === 0) return 0;
        const byOrg = idsByOrg(rows);
        for (const [orgId, ids] of byOrg) await unlinkSharedActivities(tx, entityType, orgId, ids);
        await tx.delete(table).where(
          inArray(
            table.id,
            rows.map((r) => r.id),
          ),
        );
        for (const [orgId, ids] of byOrg) await deleteDependents(tx, entityType, orgId, ids);
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
