import { and, contacts, type DbHandle, eq, isNull, organizations } from "@nexo/db";
import { createMigratedPglite, createTestDb } from "@nexo/db/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { countRows, countSnapshot } from "./counts";
import { holdOpen } from "./test-helpers";

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

    // Inside a transaction that has written, its own change does not show in the snapshot: no reuse.
    await own.db.transaction(async (tx) => {
      expect(await countRows(tx, build, scope)).toEqual({ value: 3, exact: true });
      await tx.insert(contacts).values({ orgId: org.id, firstName: "Own" });
      expect(await countRows(tx, build, scope)).toEqual({ value: 4, exact: true });
    });
    expect(await countRows(own.db, build, scope)).toEqual({ value: 4, exact: true });

    // Each list (scope) has its own.
    const calls = build.mock.calls.length;
    expect(await countRows(own.db, other.build, other.scope)).toEqual({ value: 2, exact: true });
    expect(await countRows(own.db, build, scope)).toEqual({ value: 4, exact: true });
    expect(build).toHaveBeenCalledTimes(calls);
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

  it("names the snapshot and the server", async (ctx) => {
    if (handle.kind !== "postgres") ctx.skip();
    // xmin:xmax:running ids, then the server's start time.
    expect(await countSnapshot(handle.db)).toMatch(/^\d+:\d+:[\d,]* \d{4}-\d\d-\d\d /);
  });

  it("count a write that was in progress when they were taken once it commits", async (ctx) => {
    if (handle.kind !== "postgres") ctx.skip();
    const { org, build, scope } = await orgWithContacts(handle, "In flight", 2);
    const other = await orgWithContacts(handle, "Around", 0);
    // An older write stays open throughout, so the snapshot's lowest running id does not move; a
    // later one commits before the count, so its highest does not move either when the write
    // under test commits: only the list of running ids changes.
    const older = await holdOpen(handle.db, (tx) =>
      tx.insert(contacts).values({ orgId: other.org.id, firstName: "Older" }),
    );
    try {
      const pending = await holdOpen(handle.db, (tx) =>
        tx.insert(contacts).values({ orgId: org.id, firstName: "Pending" }),
      );
      try {
        await handle.db.insert(contacts).values({ orgId: other.org.id, firstName: "Later" });
        // Taken on another connection while the insert is not committed: it does not see it.
        expect(await countRows(handle.db, build, scope)).toEqual({ value: 2, exact: true });
      } finally {
        await pending.release();
      }
      expect(await countRows(handle.db, build, scope)).toEqual({ value: 3, exact: true });
    } finally {
      await older.release();
    }
  });
});
