import { and, contacts, type DbHandle, eq, isNull, organizations } from "@nexo/db";
import { createMigratedPglite, createTestDb } from "@nexo/db/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { countRows } from "./counts";

async function orgWithContacts(handle: DbHandle, name: string, n: number) {
  const [org] = await handle.db.insert(organizations).values({ name }).returning();
  if (!org) throw new Error("no organization");
  const rows = Array.from({ length: n }, (_, i) => ({ orgId: org.id, firstName: `${name} ${i}` }));
  if (rows.length > 0) await handle.db.insert(contacts).values(rows);
  const build = vi.fn(() =>
    handle.db
      .select({ id: contacts.id })
      .from(contacts)
      .where(and(eq(contacts.orgId, org.id), isNull(contacts.deletedAt)))
      .getSQL(),
  );
  return { org, build, scope: ["contacts", org.id] };
}

describe("exact counts", () => {
  // An embedded server of its own: no other test's transactions move its snapshot.
  let own: DbHandle;
  beforeAll(async () => {
    own = await createMigratedPglite();
  });
  afterAll(async () => {
    await own?.close();
  });

  it("are reused while nothing has been written, and counted again after any write", async () => {
    const { org, build, scope } = await orgWithContacts(own, "Counted", 3);
    const other = await orgWithContacts(own, "Elsewhere", 1);

    expect(await countRows(own.db, build, scope)).toEqual({ value: 3, exact: true });
    expect(await countRows(own.db, build, scope)).toEqual({ value: 3, exact: true });
    expect(build).toHaveBeenCalledTimes(1);

    // A write that adds a row to the list.
    await own.db.insert(contacts).values({ orgId: org.id, firstName: "New" });
    expect(await countRows(own.db, build, scope)).toEqual({ value: 4, exact: true });
    expect(build).toHaveBeenCalledTimes(2);

    // A write that removes one, through a transaction.
    await own.db.transaction(async (tx) => {
      await tx.update(contacts).set({ deletedAt: new Date() }).where(eq(contacts.firstName, "New"));
    });
    expect(await countRows(own.db, build, scope)).toEqual({ value: 3, exact: true });
    expect(build).toHaveBeenCalledTimes(3);

    // A write anywhere else counts as a change too: the snapshot is the whole server's.
    await own.db.insert(contacts).values({ orgId: other.org.id, firstName: "Other" });
    expect(await countRows(own.db, build, scope)).toEqual({ value: 3, exact: true });
    expect(build).toHaveBeenCalledTimes(4);

    // Each list (scope) has its own.
    expect(await countRows(own.db, other.build, other.scope)).toEqual({ value: 2, exact: true });
    expect(await countRows(own.db, build, scope)).toEqual({ value: 3, exact: true });
    expect(build).toHaveBeenCalledTimes(4);
  });
});

describe("exact counts on Postgres", () => {
  let handle: DbHandle;
  beforeAll(async () => {
    handle = await createTestDb();
  });
  afterAll(async () => {
    await handle?.close();
  });

  it("count a write that was in progress when they were taken once it commits", async (ctx) => {
    if (handle.kind !== "postgres") ctx.skip();
    const { org, build, scope } = await orgWithContacts(handle, "In flight", 2);
    let commit = () => {};
    const committed = new Promise<void>((resolve) => {
      commit = resolve;
    });
    let inserted = () => {};
    const begun = new Promise<void>((resolve) => {
      inserted = resolve;
    });
    const writer = handle.db.transaction(async (tx) => {
      await tx.insert(contacts).values({ orgId: org.id, firstName: "Pending" });
      inserted();
      await committed;
    });
    await begun;
    // Taken on another connection while the insert is not committed: it does not see it.
    expect(await countRows(handle.db, build, scope)).toEqual({ value: 2, exact: true });
    commit();
    await writer;
    expect(await countRows(handle.db, build, scope)).toEqual({ value: 3, exact: true });
  });
});
