import { contacts, type DbHandle, eq, organizations, taggings, tags } from "@nexo/db";
import { createTestDb } from "@nexo/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTrashPurge } from "./trash-purge";

const silentLog = { debug() {}, info() {}, warn() {}, error() {} };
const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000);

describe("the periodic trash purge", () => {
  let handle: DbHandle;
  beforeAll(async () => {
    handle = await createTestDb();
  });
  afterAll(async () => {
    await handle?.close();
  });

  it("deletes trash older than the retention in every organization, keeps the rest, and is idempotent", async () => {
    const db = handle.db;
    const orgs = await db
      .insert(organizations)
      .values([{ name: "P1" }, { name: "P2" }])
      .returning();
    const rows = orgs.flatMap((org) => [
      { orgId: org.id, firstName: "Expired", deletedAt: daysAgo(31) },
      { orgId: org.id, firstName: "Recent", deletedAt: daysAgo(29) },
      { orgId: org.id, firstName: "Live" },
    ]);
    const inserted = await db.insert(contacts).values(rows).returning();
    const [tag] = await db.insert(tags).values({ orgId: orgs[0]!.id, name: "t" }).returning();
    const expired = inserted.find((c) => c.firstName === "Expired" && c.orgId === orgs[0]!.id)!;
    await db
      .insert(taggings)
      .values({ orgId: orgs[0]!.id, tagId: tag!.id, entityType: "contact", entityId: expired.id });

    // Two gateways at once: together they purge each expired row exactly once.
    const purgers = [1, 2].map(() =>
      startTrashPurge({ db, log: silentLog, retentionDays: 30, everyMs: 3_600_000, firstAfterMs: 3_600_000 }),
    );
    await Promise.all(purgers.map((p) => p.run()));
    await purgers[0]!.run();
    await Promise.all(purgers.map((p) => p.stop()));

    for (const org of orgs) {
      const left = await db.select().from(contacts).where(eq(contacts.orgId, org.id));
      expect(left.map((c) => c.firstName).sort()).toEqual(["Live", "Recent"]);
    }
    expect(await db.select().from(taggings).where(eq(taggings.entityId, expired.id))).toEqual([]);
  });
});
