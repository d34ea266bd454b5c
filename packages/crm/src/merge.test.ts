import { activities, contacts, type DbHandle, dealContacts, eq, recordHistory, taggings } from "@nexo/db";
import { createTestDb } from "@nexo/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mergeContacts } from "./merge";
import { signedInCaller } from "./test-context";
import { afterLockWait, expectTrpcError, historyOf, holdOpen } from "./test-helpers";

let handle: DbHandle;
let a: Awaited<ReturnType<typeof signedInCaller>>;
let b: Awaited<ReturnType<typeof signedInCaller>>;

beforeAll(async () => {
  handle = await createTestDb();
  a = await signedInCaller(handle.db, "Merge Org");
  b = await signedInCaller(handle.db, "Other Org");
});
afterAll(async () => {
  await handle?.close();
});

describe("merging duplicates", () => {
  it("moves a contact's activities, deals, tags and history to the survivor in one go", async () => {
    const crm = a.caller.crm;
    const survivor = await crm.contacts.create({ firstName: "Ada", lastName: "Lovelace" });
    const duplicate = await crm.contacts.create({ firstName: "Ada L.", email: "ada@example.com", phone: "+44 1" });
    await crm.contacts.update({ id: duplicate.id, jobTitle: "Analyst" });
    const sales = await crm.pipelines.create({ name: "Sales" });
    const shared = await crm.deals.create({
      title: "Shared",
      currency: "EUR",
      stageId: sales.stages[0]!.id,
      contactIds: [survivor.id, duplicate.id],
    });
    const own = await crm.deals.create({
      title: "Own",
      currency: "EUR",
      stageId: sales.stages[0]!.id,
      contactIds: [duplicate.id],
    });
    await crm.activities.create({ kind: "note", subject: "Met", contactId: duplicate.id });
    const vip = await crm.tags.create({ name: "VIP" });
    const lead = await crm.tags.create({ name: "Lead" });
    await crm.tags.set({ entityType: "contact", entityId: duplicate.id, tagIds: [vip.id, lead.id] });
    await crm.tags.set({ entityType: "contact", entityId: survivor.id, tagIds: [vip.id] });

    const result = await crm.contacts.merge({ survivorId: survivor.id, duplicateId: duplicate.id });
    // Empty fields of the survivor take the duplicate's values; set ones stay.
    expect(result.survivor).toMatchObject({
      firstName: "Ada",
      email: "ada@example.com",
      phone: "+44 1",
      jobTitle: "Analyst",
    });

    const db = handle.db;
    const moved = await db.select().from(activities).where(eq(activities.contactId, survivor.id));
    expect(moved.map((x) => x.subject)).toEqual(["Met"]);
    const links = await db.select().from(dealContacts).where(eq(dealContacts.contactId, survivor.id));
    expect(links.map((l) => l.dealId).sort()).toEqual([shared.id, own.id].sort());
    expect(await db.select().from(dealContacts).where(eq(dealContacts.contactId, duplicate.id))).toEqual([]);
    const tags = await db.select().from(taggings).where(eq(taggings.entityId, survivor.id));
    expect(tags.map((t) => t.tagId).sort()).toEqual([vip.id, lead.id].sort());
    const history = await db.select().from(recordHistory).where(eq(recordHistory.entityId, survivor.id));
    const fields = history.map((h) => h.field);
    expect(fields).toContain("jobTitle");
    expect(fields.filter((f) => f === "created")).toHaveLength(2);
    expect(history.find((h) => h.field === "merged")?.newValue).toMatchObject({ duplicate: { id: duplicate.id } });
    const [gone] = await db.select().from(contacts).where(eq(contacts.id, duplicate.id));
    expect(gone?.deletedAt).not.toBeNull();
    await expectTrpcError(crm.contacts.get({ id: duplicate.id }), "NOT_FOUND");
  });

  it("moves a company's contacts, deals and activities and hands over its domain", async () => {
    const crm = a.caller.crm;
    const survivor = await crm.companies.create({ name: "Acme" });
    const duplicate = await crm.companies.create({ name: "ACME Inc", domain: "acme.example", industry: "Anvils" });
    const person = await crm.contacts.create({ firstName: "Wile", companyId: duplicate.id });
    const [pipeline] = await crm.pipelines.list();
    const deal = await crm.deals.create({
      title: "Rockets",
      currency: "USD",
      stageId: pipeline!.stages[0]!.id,
      companyId: duplicate.id,
    });
    await crm.activities.create({ kind: "call", subject: "Called", companyId: duplicate.id });

    const result = await crm.companies.merge({ survivorId: survivor.id, duplicateId: duplicate.id });
    expect(result).toMatchObject({ movedContacts: 1, movedDeals: 1, movedActivities: 1 });
    expect(result.survivor).toMatchObject({ name: "Acme", domain: "acme.example", industry: "Anvils" });
    expect(await crm.contacts.get({ id: person.id })).toMatchObject({ companyId: survivor.id });
    expect(await crm.deals.get({ id: deal.id })).toMatchObject({ companyId: survivor.id });
    await expectTrpcError(crm.companies.get({ id: duplicate.id }), "NOT_FOUND");
  });

  it("answers another organization's ids, and a record merged with itself, without changing anything", async () => {
    const mine = await a.caller.crm.contacts.create({ firstName: "Mine" });
    const theirs = await b.caller.crm.contacts.create({ firstName: "Theirs" });
    await expectTrpcError(a.caller.crm.contacts.merge({ survivorId: mine.id, duplicateId: theirs.id }), "NOT_FOUND");
    await expectTrpcError(a.caller.crm.contacts.merge({ survivorId: theirs.id, duplicateId: mine.id }), "NOT_FOUND");
    await expectTrpcError(a.caller.crm.contacts.merge({ survivorId: mine.id, duplicateId: mine.id }), "BAD_REQUEST");
    expect(await b.caller.crm.contacts.get({ id: theirs.id })).toMatchObject({ firstName: "Theirs", deletedAt: null });
    const myCompany = await a.caller.crm.companies.create({ name: "Mine Co" });
    const theirCompany = await b.caller.crm.companies.create({ name: "Their Co" });
    await expectTrpcError(
      a.caller.crm.companies.merge({ survivorId: myCompany.id, duplicateId: theirCompany.id }),
      "NOT_FOUND",
    );
    expect(await b.caller.crm.companies.get({ id: theirCompany.id })).toMatchObject({ deletedAt: null });
  });
  it("records the moved contacts' and deals' new company in their history, as a change by hand would be", async () => {
    const crm = a.caller.crm;
    const survivor = await crm.companies.create({ name: "History Survivor" });
    const duplicate = await crm.companies.create({ name: "History Duplicate" });
    const person = await crm.contacts.create({ firstName: "Moved", companyId: duplicate.id });
    const pipeline = await crm.pipelines.create({ name: "Company merge" });
    const deal = await crm.deals.create({
      title: "Moved deal",
      currency: "EUR",
      stageId: pipeline.stages[0]!.id,
      companyId: duplicate.id,
    });
    await crm.companies.merge({ survivorId: survivor.id, duplicateId: duplicate.id });
    const moved = { field: "companyId", oldValue: duplicate.id, newValue: survivor.id };
    expect(await historyOf(handle.db, "contact", person.id)).toContainEqual(moved);
    expect(await historyOf(handle.db, "deal", deal.id)).toContainEqual(moved);
  });

  it("records the changed contacts of the duplicate's deals in their history", async () => {
    const crm = a.caller.crm;
    const survivor = await crm.contacts.create({ firstName: "Deal Survivor" });
    const duplicate = await crm.contacts.create({ firstName: "Deal Duplicate" });
    const other = await crm.contacts.create({ firstName: "Deal Other" });
    const pipeline = await crm.pipelines.create({ name: "Contact merge" });
    const stageId = pipeline.stages[0]!.id;
    const alone = await crm.deals.create({ title: "Alone", currency: "EUR", stageId, contactIds: [duplicate.id] });
    const both = await crm.deals.create({
      title: "Both",
      currency: "EUR",
      stageId,
      contactIds: [survivor.id, duplicate.id, other.id],
    });
    const untouched = await crm.deals.create({ title: "Untouched", currency: "EUR", stageId, contactIds: [other.id] });
    await crm.contacts.merge({ survivorId: survivor.id, duplicateId: duplicate.id });
    const sorted = (...ids: string[]) => ids.sort();
    expect((await crm.deals.get({ id: alone.id })).contactIds).toEqual([survivor.id]);
    expect(await historyOf(handle.db, "deal", alone.id)).toContainEqual({
      field: "contactIds",
      oldValue: [duplicate.id],
      newValue: [survivor.id],
    });
    expect(await historyOf(handle.db, "deal", both.id)).toContainEqual({
      field: "contactIds",
      oldValue: sorted(survivor.id, duplicate.id, other.id),
      newValue: sorted(survivor.id, other.id),
    });
    expect((await historyOf(handle.db, "deal", untouched.id)).map((h) => h.field)).not.toContain("contactIds");
  });

  it.runIf(process.env.DATABASE_URL)(
    "leaves no tag on the trashed duplicate when its tags are set while it is merged away",
    async () => {
      const crm = a.caller.crm;
      const survivor = await crm.contacts.create({ firstName: "Race Survivor" });
      const duplicate = await crm.contacts.create({ firstName: "Race Duplicate" });
      const tag = await crm.tags.create({ name: `Race ${crypto.randomUUID()}` });
      const viewer = { orgId: a.org.id, userId: a.user.id, role: "owner" as const };
      const merge = await holdOpen(handle.db, (tx) => mergeContacts(tx, viewer, survivor.id, duplicate.id));
      // The call waits for the merge: the duplicate's row is the merge's until it commits.
      const tagging = crm.tags.set({ entityType: "contact", entityId: duplicate.id, tagIds: [tag.id] });
      await expectTrpcError(afterLockWait(handle.db, merge, tagging), "NOT_FOUND");
      expect(await handle.db.select().from(taggings).where(eq(taggings.entityId, duplicate.id))).toEqual([]);
    },
  );
});
