/**
 * Merging duplicates: everything attached to the duplicate (activities, deals, tags, custom field
 * values, history) moves to the survivor, the survivor's empty fields take the duplicate's values,
 * and the duplicate goes to the trash, all in one transaction. The merge itself is a history entry
 * on the survivor holding the duplicate as it was.
 */
import {
  activities,
  and,
  companies,
  contacts,
  customFieldValues,
  dealContacts,
  deals,
  type EntityType,
  eq,
  inArray,
  isNull,
  recordHistory,
  sql,
  taggings,
} from "@nexo/db";
import { permissionProcedure } from "@nexo/trpc";
import { z } from "zod";
import { idOf } from "./common.schemas";
import { companyColumns, companyTrackedFields } from "./companies.queries";
import { contactColumns, contactTrackedFields } from "./contacts.queries";
import { notFound } from "./errors";
import { groupBy } from "./group";
import { changeRows, type DbOrTx, type HistoryActor, insertHistory, recordChanges, recordEvent } from "./history";
import { type Viewer, visibleCompanies, visibleContacts } from "./visibility";

const mergeInput = (what: string) =>
  z.object({ survivorId: idOf(what), duplicateId: idOf(what) }).refine((i) => i.survivorId !== i.duplicateId, {
    message: `Choose two different ${what}s.`,
    path: ["duplicateId"],
  });

function isEmpty(value: unknown): boolean {
  return (
    value === null ||
    value === undefined ||
    value === "" ||
    (typeof value === "object" && !(value instanceof Date) && Object.keys(value).length === 0)
  );
}

/** The survivor's empty fields filled from the duplicate. */
function fillFrom(survivor: Record<string, unknown>, duplicate: Record<string, unknown>, fields: readonly string[]) {
  return Object.fromEntries(
    fields.filter((f) => isEmpty(survivor[f]) && !isEmpty(duplicate[f])).map((f) => [f, duplicate[f]]),
  );
}

/** Tags, custom field values and history: the tables that point at any record by (type, id). */
async function moveGenericLinks(tx: DbOrTx, orgId: string, entityType: EntityType, from: string, to: string) {
  await tx.execute(sql`
    insert into ${taggings} (org_id, tag_id, entity_type, entity_id)
    select org_id, tag_id, entity_type, ${to}::uuid from ${taggings}
    where org_id = ${orgId} and entity_type = ${entityType} and entity_id = ${from}
    on conflict do nothing`);
  await tx
    .delete(taggings)
    .where(and(eq(taggings.orgId, orgId), eq(taggings.entityType, entityType), eq(taggings.entityId, from)));
  // The survivor's own custom field values win; the duplicate's fill the ones it lacks.
  await tx.execute(sql`
    insert into ${customFieldValues} (org_id, field_id, entity_id, text_value, number_value, date_value, bool_value, list_value)
    select org_id, field_id, ${to}::uuid, text_value, number_value, date_value, bool_value, list_value
    from ${customFieldValues} where org_id = ${orgId} and entity_id = ${from}
    on conflict do nothing`);
  await tx
    .delete(customFieldValues)
    .where(and(eq(customFieldValues.orgId, orgId), eq(customFieldValues.entityId, from)));
  await tx
    .update(recordHistory)
    .set({ entityId: to })
    .where(
      and(eq(recordHistory.orgId, orgId), eq(recordHistory.entityType, entityType), eq(recordHistory.entityId, from)),
    );
}

/** Both records must be ones the viewer may see: another's, under "own" visibility, is NOT_FOUND. */
export async function mergeContacts(db: DbOrTx, viewer: Viewer, survivorId: string, duplicateId: string) {
  const { orgId } = viewer;
  const actor: HistoryActor = { orgId, userId: viewer.userId };
  const live = (id: string) => and(eq(contacts.orgId, orgId), eq(contacts.id, id), isNull(contacts.deletedAt));
  // Both rows locked in one statement, in id order, so two merges of the same pair cannot deadlock.
  const locked = await db
    .select(contactColumns)
    .from(contacts)
    .where(and(visibleContacts(viewer), inArray(contacts.id, [survivorId, duplicateId]), isNull(contacts.deletedAt)))
    .orderBy(contacts.id)
    .for("update");
  const survivor = locked.find((c) => c.id === survivorId);
  const duplicate = locked.find((c) => c.id === duplicateId);
  if (!survivor || !duplicate) throw notFound("Contact");

  const moved = await db
    .update(activities)
    .set({ contactId: survivorId })
    .where(and(eq(activities.orgId, orgId), eq(activities.contactId, duplicateId)))
    .returning({ id: activities.id });
  // The deals the duplicate was on change their contacts: each gets its `contactIds` history row,
  // as if edited by hand.
  const contactsBefore = await contactsOfDeals(db, orgId, duplicateId);
  const dealLinks = await db.execute(sql`
    insert into ${dealContacts} (org_id, deal_id, contact_id)
    select org_id, deal_id, ${survivorId}::uuid from ${dealContacts}
    where org_id = ${orgId} and contact_id = ${duplicateId}
    on conflict do nothing`);
  await db.delete(dealContacts).where(and(eq(dealContacts.orgId, orgId), eq(dealContacts.contactId, duplicateId)));
  const contactsAfter = await contactsOfDeals(db, orgId, survivorId);
  await insertHistory(
    db,
    [...contactsBefore.keys()].flatMap((dealId) =>
      changeRows(
        actor,
        "deal",
        dealId,
        { contactIds: contactsBefore.get(dealId) ?? [] },
        { contactIds: contactsAfter.get(dealId) ?? [] },
        ["contactIds"],
      ),
    ),
  );
  await moveGenericLinks(db, orgId, "contact", duplicateId, survivorId);

  await db
    .update(contacts)
    .set({ deletedAt: new Date() })
    .where(and(eq(contacts.orgId, orgId), eq(contacts.id, duplicateId)));
  const fill = fillFrom(survivor, duplicate, contactTrackedFields);
  const lastActivityAt =
    duplicate.lastActivityAt && (!survivor.lastActivityAt || duplicate.lastActivityAt > survivor.lastActivityAt)
      ? duplicate.lastActivityAt
      : survivor.lastActivityAt;
  const [after] = await db
    .update(contacts)
    .set({ ...fill, lastActivityAt })
    .where(live(survivorId))
    .returning(contactColumns);
  if (!after) throw notFound("Contact");
  await recordChanges(db, actor, "contact", survivorId, survivor, after, contactTrackedFields);
  await recordEvent(db, actor, "contact", survivorId, "merged", { duplicate, activities: moved.length });
  await recordEvent(db, actor, "contact", duplicateId, "mergedInto", { survivorId });
  return { survivor: after, movedActivities: moved.length, dealLinks: affected(dealLinks) };
}

export async function mergeCompanies(db: DbOrTx, viewer: Viewer, survivorId: string, duplicateId: string) {
  const { orgId } = viewer;
  const actor: HistoryActor = { orgId, userId: viewer.userId };
  const live = (id: string) => and(eq(companies.orgId, orgId), eq(companies.id, id), isNull(companies.deletedAt));
  const locked = await db
    .select(companyColumns)
    .from(companies)
    .where(and(visibleCompanies(viewer), inArray(companies.id, [survivorId, duplicateId]), isNull(companies.deletedAt)))
    .orderBy(companies.id)
    .for("update");
  const survivor = locked.find((c) => c.id === survivorId);
  const duplicate = locked.find((c) => c.id === duplicateId);
  if (!survivor || !duplicate) throw notFound("Company");

  const movedContacts = await db
    .update(contacts)
    .set({ companyId: survivorId })
    .where(and(eq(contacts.orgId, orgId), eq(contacts.companyId, duplicateId)))
    .returning({ id: contacts.id });
  const movedDeals = await db
    .update(deals)
    .set({ companyId: survivorId })
    .where(and(eq(deals.orgId, orgId), eq(deals.companyId, duplicateId)))
    .returning({ id: deals.id });
  // Their new company is in their history, as a change made by hand would be.
  const companyChange = (entityType: EntityType, id: string) =>
    changeRows(actor, entityType, id, { companyId: duplicateId }, { companyId: survivorId }, ["companyId"]);
  await insertHistory(db, [
    ...movedContacts.flatMap((c) => companyChange("contact", c.id)),
    ...movedDeals.flatMap((d) => companyChange("deal", d.id)),
  ]);
  const movedActivities = await db
    .update(activities)
    .set({ companyId: survivorId })
    .where(and(eq(activities.orgId, orgId), eq(activities.companyId, duplicateId)))
    .returning({ id: activities.id });
  await moveGenericLinks(db, orgId, "company", duplicateId, survivorId);

  // The duplicate gives up its domain first: domains are unique per organization, trash included.
  await db
    .update(companies)
    .set({ deletedAt: new Date(), domain: null })
    .where(and(eq(companies.orgId, orgId), eq(companies.id, duplicateId)));
  const fill = fillFrom(survivor, duplicate, companyTrackedFields);
  const [after] =
    Object.keys(fill).length > 0
      ? await db.update(companies).set(fill).where(live(survivorId)).returning(companyColumns)
      : [survivor];
  if (!after) throw notFound("Company");
  await recordChanges(db, actor, "company", survivorId, survivor, after, companyTrackedFields);
  await recordEvent(db, actor, "company", survivorId, "merged", {
    duplicate,
    contacts: movedContacts.length,
    deals: movedDeals.length,
    activities: movedActivities.length,
  });
  await recordEvent(db, actor, "company", duplicateId, "mergedInto", { survivorId });
  return {
    survivor: after,
    movedContacts: movedContacts.length,
    movedDeals: movedDeals.length,
    movedActivities: movedActivities.length,
  };
}

/** The contacts (sorted, as a deal's `contactIds`) of every deal `contactId` is on. */
async function contactsOfDeals(db: DbOrTx, orgId: string, contactId: string): Promise<Map<string, string[]>> {
  const rows = await db
    .select({ dealId: dealContacts.dealId, contactId: dealContacts.contactId })
    .from(dealContacts)
    .where(
      and(
        eq(dealContacts.orgId, orgId),
        sql`${dealContacts.dealId} in (select l.deal_id from ${dealContacts} l where l.org_id = ${orgId} and l.contact_id = ${contactId})`,
      ),
    )
    .orderBy(dealContacts.dealId, dealContacts.contactId);
  return groupBy(
    rows,
    (row) => row.dealId,
    (row) => row.contactId,
  );
}

function affected(result: unknown): number {
  const r = result as { count?: number; affectedRows?: number };
  return r.count ?? r.affectedRows ?? 0;
}

// Merging rewrites two records and everything linked to them: it needs the right to change contacts.
export const mergeContactsProcedure = permissionProcedure("contacts.write")
  .input(mergeInput("contact"))
  .mutation(({ ctx, input }) =>
    ctx.db.transaction((tx) => mergeContacts(tx, ctx, input.survivorId, input.duplicateId)),
  );

export const mergeCompaniesProcedure = permissionProcedure("companies.write")
  .input(mergeInput("company"))
  .mutation(({ ctx, input }) =>
    ctx.db.transaction((tx) => mergeCompanies(tx, ctx, input.survivorId, input.duplicateId)),
  );
