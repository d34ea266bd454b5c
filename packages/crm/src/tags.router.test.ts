import type { DbHandle } from "@nexo/db";
import { createTestDb } from "@nexo/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callerOn, signedInCaller } from "./test-context";
import { afterLockWait, expectTrpcError, fieldPaths, historyOf, holdOpen } from "./test-helpers";

type Caller = Awaited<ReturnType<typeof signedInCaller>>["caller"];

describe("crm.tags", () => {
  let handle: DbHandle;
  let a: Caller;
  let b: Caller;

  beforeAll(async () => {
    handle = await createTestDb();
    a = (await signedInCaller(handle.db, "Org A")).caller;
    b = (await signedInCaller(handle.db, "Org B")).caller;
  });
  afterAll(async () => {
    await handle?.close();
  });

  it("creates, renames, lists and deletes tags; names are unique per organization ignoring case", async () => {
    const hot = await a.crm.tags.create({ name: "Hot", color: "#ff0000" });
    await expectTrpcError(a.crm.tags.create({ name: "hot" }), "CONFLICT");
    await b.crm.tags.create({ name: "Hot" });
    const cold = await a.crm.tags.create({ name: "cold" });
    expect((await a.crm.tags.list()).map((t) => t.name)).toEqual(["cold", "Hot"]);
    await expectTrpcError(a.crm.tags.update({ id: cold.id, name: "HOT" }), "CONFLICT");
    expect((await a.crm.tags.update({ id: cold.id, name: "Frozen" })).name).toBe("Frozen");
    expect(await a.crm.tags.delete({ id: hot.id })).toEqual({ id: hot.id });
    expect((await a.crm.tags.list()).map((t) => t.name)).toEqual(["Frozen"]);
  });

  it("sets a record's tags, records the change, and drops taggings with a deleted tag", async () => {
    const x = await a.crm.tags.create({ name: "X" });
    const y = await a.crm.tags.create({ name: "Y" });
    const contact = await a.crm.contacts.create({ firstName: "Tagged" });
    await a.crm.tags.set({ entityType: "contact", entityId: contact.id, tagIds: [x.id, y.id, x.id] });
    expect((await a.crm.contacts.get({ id: contact.id })).tags.map((t) => t.name)).toEqual(["X", "Y"]);
    await a.crm.tags.set({ entityType: "contact", entityId: contact.id, tagIds: [y.id] });
    expect((await a.crm.contacts.get({ id: contact.id })).tags.map((t) => t.name)).toEqual(["Y"]);
    // Setting the same tags again records nothing.
    await a.crm.tags.set({ entityType: "contact", entityId: contact.id, tagIds: [y.id] });
    const history = (await historyOf(handle.db, "contact", contact.id)).filter((h) => h.field === "tags");
    expect(history).toEqual([
      { field: "tags", oldValue: [], newValue: [x.id, y.id].sort() },
      { field: "tags", oldValue: [x.id, y.id].sort(), newValue: [y.id] },
    ]);
    await a.crm.tags.delete({ id: y.id });
    expect((await a.crm.contacts.get({ id: contact.id })).tags).toEqual([]);
  });

  it("refuses another organization's tags and records", async () => {
    const foreignTag = await b.crm.tags.create({ name: "B only" });
    const foreignContact = await b.crm.contacts.create({ firstName: "B person" });
    const mine = await a.crm.contacts.create({ firstName: "Mine" });
    await expectTrpcError(
      a.crm.tags.set({ entityType: "contact", entityId: mine.id, tagIds: [foreignTag.id] }),
      "NOT_FOUND",
    );
    await expectTrpcError(
      a.crm.tags.set({ entityType: "contact", entityId: foreignContact.id, tagIds: [] }),
      "NOT_FOUND",
    );
    await expectTrpcError(a.crm.tags.update({ id: foreignTag.id, name: "Mine now" }), "NOT_FOUND");
    await expectTrpcError(a.crm.tags.delete({ id: foreignTag.id }), "NOT_FOUND");
    expect((await a.crm.tags.list()).map((t) => t.id)).not.toContain(foreignTag.id);
    expect((await a.crm.contacts.get({ id: mine.id })).tags).toEqual([]);
  });

  it("rejects malformed input with field-level issues", async () => {
    const bad = await expectTrpcError(a.crm.tags.create({ name: "", color: "red" }), "BAD_REQUEST");
    expect(fieldPaths(bad).sort()).toEqual(["color", "name"]);
    const set = await expectTrpcError(
      a.crm.tags.set({ entityType: "lead" as never, entityId: "x", tagIds: ["y"] }),
      "BAD_REQUEST",
    );
    expect(fieldPaths(set).sort()).toEqual(["entityId", "entityType", "tagIds.0"]);
    await expectTrpcError(a.crm.tags.update({ id: crypto.randomUUID() }), "BAD_REQUEST");
  });
  it.runIf(process.env.DATABASE_URL)(
    "replaces a record's tags one call after the other, never merging two",
    async () => {
      const signedIn = await signedInCaller(handle.db, "Set race");
      const crm = signedIn.caller.crm;
      const contact = await crm.contacts.create({ firstName: "Set race" });
      const x = await crm.tags.create({ name: "X" });
      const y = await crm.tags.create({ name: "Y" });
      // One call has set [x] and not committed yet when another sets [y]: the second waits, then wins.
      const first = await holdOpen(handle.db, (tx) =>
        callerOn(tx, signedIn).crm.tags.set({ entityType: "contact", entityId: contact.id, tagIds: [x.id] }),
      );
      const second = crm.tags.set({ entityType: "contact", entityId: contact.id, tagIds: [y.id] });
      expect(await afterLockWait(handle.db, first, second)).toEqual({ entityId: contact.id, tagIds: [y.id] });
      expect((await crm.contacts.get({ id: contact.id })).tags.map((t) => t.id)).toEqual([y.id]);
      expect((await historyOf(handle.db, "contact", contact.id)).filter((h) => h.field === "tags")).toEqual([
        { field: "tags", oldValue: [], newValue: [x.id] },
        { field: "tags", oldValue: [x.id], newValue: [y.id] },
      ]);
    },
  );
});
