import { activities, customFieldValues, type DbHandle, eq, inArray, recordHistory, taggings } from "@nexo/db";
import { createTestDb } from "@nexo/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signedInCaller } from "./test-context";

type Member = Awaited<ReturnType<typeof signedInCaller>>;

describe("trash.purge", () => {
  let handle: DbHandle;
  let owner: Member;
  let other: Member;

  beforeAll(async () => {
    handle = await createTestDb();
    owner = await signedInCaller(handle.db, "Purge Org", "owner");
    other = await signedInCaller(handle.db, "Other Org", "owner");
  });
  afterAll(async () => {
    await handle?.close();
  });

  it("keeps an activity that also names a live record, and takes one that names only the purged record", async () => {
    const c = owner.caller.crm;
    const company = await c.companies.create({ name: "Gone Co" });
    const contact = await c.contacts.create({ firstName: "Stays" });
    const shared = await c.activities.create({
      kind: "call",
      subject: "Discovery call",
      contactId: contact.id,
      companyId: company.id,
    });
    const own = await c.activities.create({ kind: "note", body: "About the company only", companyId: company.id });
    await c.companies.delete({ id: company.id });
    expect((await c.trash.purge({})).companies).toBe(1);

    const timeline = await c.activities.timeline({ entityType: "contact", entityId: contact.id });
    const kept = timeline.items.flatMap((e) => (e.type === "activity" ? [e.activity] : []));
    expect(kept.map((a) => [a.id, a.companyId])).toEqual([[shared.id, null]]);
    expect(await handle.db.select().from(activities).where(eq(activities.id, own.id))).toEqual([]);
  });

  it("deletes a purged record's tags, custom field values and history, and nothing of another's", async () => {
    const c = owner.caller.crm;
    await c.customFields.create({ entityType: "contact", key: "nickname", label: "Nickname", type: "text" });
    const tag = await c.tags.create({ name: "Purged tag" });
    const make = async (firstName: string) => {
      const contact = await c.contacts.create({ firstName, customFields: { nickname: `${firstName}y` } });
      await c.contacts.update({ id: contact.id, lastName: "Changed" });
      await c.tags.set({ entityType: "contact", entityId: contact.id, tagIds: [tag.id] });
      return contact;
    };
    const [purged, kept] = [await make("Purged"), await make("Kept")];
    const theirs = await other.caller.crm.contacts.create({ firstName: "Theirs" });
    await other.caller.crm.contacts.delete({ id: theirs.id });
    await c.contacts.delete({ id: purged.id });
    await c.trash.purge({});

    const left = async (id: string) => ({
      tags: (await handle.db.select().from(taggings).where(eq(taggings.entityId, id))).length,
      values: (await handle.db.select().from(customFieldValues).where(eq(customFieldValues.entityId, id))).length,
      history: (await handle.db.select().from(recordHistory).where(eq(recordHistory.entityId, id))).length > 0,
    });
    expect(await left(purged.id)).toEqual({ tags: 0, values: 0, history: false });
    expect(await left(kept.id)).toEqual({ tags: 1, values: 1, history: true });
    // Another organization's trash is its own to empty.
    expect(
      await handle.db
        .select()
        .from(recordHistory)
        .where(inArray(recordHistory.entityId, [theirs.id])),
    ).not.toEqual([]);
    expect((await other.caller.crm.contacts.trash({})).items.map((i) => i.id)).toEqual([theirs.id]);
  });
});
