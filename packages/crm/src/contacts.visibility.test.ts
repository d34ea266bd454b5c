import { contacts, type DbHandle, eq, organizations } from "@nexo/db";
import { createTestDb } from "@nexo/db/testing";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signedInCaller } from "./test-context";

type Member = Awaited<ReturnType<typeof signedInCaller>>;

async function code(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  return (error as TRPCError).code;
}

describe("crm.contacts roles and record visibility", () => {
  let handle: DbHandle;
  let owner: Member;
  let admin: Member;
  let alice: Member;
  let bob: Member;
  let viewer: Member;

  beforeAll(async () => {
    handle = await createTestDb();
    owner = await signedInCaller(handle.db, "Visible Org", "owner");
    const orgId = owner.org.id;
    admin = await signedInCaller(handle.db, "", "admin", orgId);
    alice = await signedInCaller(handle.db, "", "member", orgId);
    bob = await signedInCaller(handle.db, "", "member", orgId);
    viewer = await signedInCaller(handle.db, "", "viewer", orgId);
  });
  afterAll(async () => {
    await handle?.close();
  });

  const setVisibility = (recordVisibility: "all" | "own") =>
    handle.db.update(organizations).set({ recordVisibility }).where(eq(organizations.id, owner.org.id));

  it("makes the creator the owner of a contact", async () => {
    const created = await alice.caller.crm.contacts.create({ firstName: "Owned" });
    expect(created.ownerId).toBe(alice.user.id);
  });

  it("lets a viewer read but not write", async () => {
    const contact = await alice.caller.crm.contacts.create({ firstName: "Readable" });
    expect((await viewer.caller.crm.contacts.get({ id: contact.id })).id).toBe(contact.id);
    expect(await code(viewer.caller.crm.contacts.create({ firstName: "Nope" }))).toBe("FORBIDDEN");
    expect(await code(viewer.caller.crm.contacts.update({ id: contact.id, firstName: "Nope" }))).toBe("FORBIDDEN");
    expect(await code(viewer.caller.crm.contacts.delete({ id: contact.id }))).toBe("FORBIDDEN");
    expect((await alice.caller.crm.contacts.get({ id: contact.id })).firstName).toBe("Readable");
  });

  it('with "own", members see, find, change and delete only their own records; admins see all', async () => {
    const mine = await alice.caller.crm.contacts.create({ firstName: "Alicia", lastName: "Mine" });
    const theirs = await bob.caller.crm.contacts.create({ firstName: "Bobby", lastName: "Theirs" });
    await setVisibility("own");
    try {
      const aliceIds = (await alice.caller.crm.contacts.list({ limit: 100 })).items.map((c) => c.id);
      expect(aliceIds).toContain(mine.id);
      expect(aliceIds).not.toContain(theirs.id);
      expect((await alice.caller.crm.contacts.list({ search: "theirs" })).items).toEqual([]);
      // Nor through the typo-tolerant fallback.
      expect((await alice.caller.crm.contacts.list({ search: "Theirz" })).items).toEqual([]);
      expect(await code(alice.caller.crm.contacts.get({ id: theirs.id }))).toBe("NOT_FOUND");
      expect(await code(alice.caller.crm.contacts.update({ id: theirs.id, firstName: "X" }))).toBe("NOT_FOUND");
      expect(await code(alice.caller.crm.contacts.delete({ id: theirs.id }))).toBe("NOT_FOUND");
      expect(await code(viewer.caller.crm.contacts.get({ id: theirs.id }))).toBe("NOT_FOUND");
      // The same statements, run for another member of the same role right after: their own only.
      const bobIds = (await bob.caller.crm.contacts.list({ limit: 100 })).items.map((c) => c.id);
      expect(bobIds).toContain(theirs.id);
      expect(bobIds).not.toContain(mine.id);
      expect((await bob.caller.crm.contacts.get({ id: theirs.id })).id).toBe(theirs.id);
      expect(await code(bob.caller.crm.contacts.get({ id: mine.id }))).toBe("NOT_FOUND");
      expect(await code(alice.caller.crm.contacts.get({ id: theirs.id }))).toBe("NOT_FOUND");

      for (const { caller } of [owner, admin]) {
        const ids = (await caller.crm.contacts.list({ limit: 100 })).items.map((c) => c.id);
        expect(ids).toEqual(expect.arrayContaining([mine.id, theirs.id]));
        expect((await caller.crm.contacts.get({ id: theirs.id })).id).toBe(theirs.id);
      }
      const [untouched] = await handle.db.select().from(contacts).where(eq(contacts.id, theirs.id));
      expect(untouched?.firstName).toBe("Bobby");
    } finally {
      await setVisibility("all");
    }
    expect((await alice.caller.crm.contacts.get({ id: theirs.id })).id).toBe(theirs.id);
  });
});
