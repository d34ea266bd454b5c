import { eq, importJobs, organizations, users } from "@nexo/db";
import { createTestDb } from "@nexo/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { markInterruptedImports } from "./stale-imports";

let handle: Awaited<ReturnType<typeof createTestDb>>;
beforeAll(async () => {
  handle = await createTestDb();
});
afterAll(async () => {
  await handle?.close();
});

describe("markInterruptedImports", () => {
  it("fails imports without progress for the given time, saying which rows went in, and leaves live ones alone", async () => {
    const db = handle.db;
    const [org] = await db.insert(organizations).values({ name: "Sweep Org" }).returning();
    const [user] = await db
      .insert(users)
      .values({ name: "Importer", email: `${crypto.randomUUID()}@example.com`, passwordHash: "x" })
      .returning();
    const job = (committedThroughRow: number, status: "running" | "completed", minutesAgo: number) => ({
      orgId: org!.id,
      userId: user!.id,
      entityType: "contact" as const,
      status,
      committedThroughRow,
      updatedAt: new Date(Date.now() - minutesAgo * 60_000),
    });
    const [abandoned, neverStarted, live, done] = await db
      .insert(importJobs)
      .values([job(3000, "running", 10), job(0, "running", 10), job(2000, "running", 0), job(500, "completed", 10)])
      .returning();
    // Rows are inserted with the given updated_at; an update would have moved it to now.
    const marked = await markInterruptedImports(db, 5 * 60_000);
    expect(marked.map((m) => m.id).sort()).toEqual([abandoned!.id, neverStarted!.id].sort());

    const state = async (id: string) => (await db.select().from(importJobs).where(eq(importJobs.id, id)))[0]!;
    expect(await state(abandoned!.id)).toMatchObject({
      status: "failed",
      committedThroughRow: 3000,
      message:
        "The import was interrupted: the server stopped while it ran. Rows 1 to 3000 went in; import the rest again from row 3001.",
    });
    expect((await state(abandoned!.id)).finishedAt).not.toBeNull();
    expect((await state(neverStarted!.id)).message).toBe(
      "The import was interrupted: the server stopped while it ran, before any rows went in.",
    );
    expect(await state(live!.id)).toMatchObject({ status: "running", message: null, finishedAt: null });
    expect(await state(done!.id)).toMatchObject({ status: "completed", message: null });
    // Idempotent: a second sweep (another gateway) finds nothing left.
    expect(await markInterruptedImports(db, 5 * 60_000)).toEqual([]);
  });
});
