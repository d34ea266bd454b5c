import { activities, contacts, type DbHandle, dealContacts, eq, recordHistory, taggings } from "@nexo/db";
import { createTestDb } from "@nexo/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signedInCaller } from "./test-context";
import { expectTrpcError } from "./test-helpers";

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
});
