import { and, companies, contacts, type Db, deals, type EntityType, eq, isNotNull, isNull, lt, sql } from "@nexo/db";
import { notFound } from "./errors";
import { type HistoryActor, recordEvent } from "./history";

const tables = { contact: contacts, company: companies, deal: deals };
const labels = { contact: "Contact", company: "Company", deal: "Deal" };

/** Soft delete: the record leaves every list and search but can be restored until purged. */
export function moveToTrash(db: Db, actor: HistoryActor, entityType: EntityType, id: string) {
  const table = tables[entityType];
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(table)
      .set({ deletedAt: new Date() })
      .where(and(eq(table.orgId, actor.orgId), eq(table.id, id), isNull(table.deletedAt)))
      .returning({ id: table.id });
    if (!row) throw notFound(labels[entityType]);
    await recordEvent(tx, actor, entityType, id, "deleted");
    return row;
  });
}

export function restoreFromTrash(db: Db, actor: HistoryActor, entityType: EntityType, id: string) {
  const table = tables[entityType];
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(table)
      .set({ deletedAt: null })
      .where(and(eq(table.orgId, actor.orgId), eq(table.id, id), isNotNull(table.deletedAt)))
      .returning({ id: table.id });
    if (!row) throw notFound(labels[entityType]);
    await recordEvent(tx, actor, entityType, id, "restored");
    return row;
  });
}

/** Deletes for good what has been in the trash longer than `olderThanDays`. */
export async function purgeTrash(db: Db, orgId: string, olderThanDays: number) {
  const cutoff = sql`now() - make_interval(days => ${olderThanDays})`;
  const purge = async (entityType: EntityType) => {
    const table = tables[entityType];
    const rows = await db
      .delete(table)
      .where(and(eq(table.orgId, orgId), isNotNull(table.deletedAt), lt(table.deletedAt, cutoff)))
      .returning({ id: table.id });
    return rows.length;
  };
  // Deals first: a purged company or contact only unlinks them, but order keeps counts honest.
  const dealsPurged = await purge("deal");
  const contactsPurged = await purge("contact");
  const companiesPurged = await purge("company");
  return { deals: dealsPurged, contacts: contactsPurged, companies: companiesPurged };
}
