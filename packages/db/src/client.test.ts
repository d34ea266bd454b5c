import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DbHandle, preparedStatement, queryRows } from "./client";
import { contacts, organizations } from "./schema";
import { createTestDb } from "./testing";

describe("database", () => {
  let handle: DbHandle;
  beforeAll(async () => {
    handle = await createTestDb();
  });
  afterAll(async () => {
    await handle?.close();
  });

  it("migrates idempotently", async () => {
    await handle.migrate();
    await handle.migrate();
    const rows = await queryRows<{ extname: string }>(
      handle.db,
      sql`select extname from pg_extension where extname in ('pg_trgm', 'unaccent') order by extname`,
    );
    expect(rows.map((r) => r.extname)).toEqual(["pg_trgm", "unaccent"]);
    const [folded] = await queryRows<{ s: string }>(handle.db, sql`select search_fold('Müller Straße ÉCOLE') as s`);
    expect(folded?.s).toBe("muller strasse ecole");
  });

  it("runs a statement compiled once with new values each time, and refuses a value spliced into another", async () => {
    let builds = 0;
    const statement = preparedStatement<"a" | "b", { a: string; b: string; ab: string }>(["a", "b"], (v) => {
      builds++;
      return sql`select ${v.a}::text as a, ${v.b}::text as b, ${v.a}::text || ${v.b}::text as ab`;
    });
    for (const [a, b] of [
      ["x", "y"],
      ["1", "2"],
      ["é", "%"],
    ] as const) {
      expect(await statement(handle.db, { a, b })).toEqual([{ a, b, ab: a + b }]);
    }
    // On Postgres compiled once, with markers; elsewhere built with the values on every call.
    expect(builds).toBe(handle.kind === "postgres" ? 1 : 3);
    // In a transaction it is built with the values and runs on the transaction's connection.
    const inTx = await handle.db.transaction((tx) => statement(tx, { a: "t", b: "x" }));
    expect(inTx).toEqual([{ a: "t", b: "x", ab: "tx" }]);

    const spliced = preparedStatement<"a", { x: string }>(["a"], (v) => sql`select ${`%${v.a}%`}::text as x`);
    // A value whose name is missing from the list (typed away here) would go out as NULL.
    const unnamed = preparedStatement<"a", { x: number }>(
      [] as unknown as "a"[],
      (v) => sql`select count(*)::int as x from ${organizations} where ${eq(organizations.name, v.a)}`,
    );
    if (handle.kind === "postgres") {
      await expect(spliced(handle.db, { a: "q" })).rejects.toThrow(/a parameter of its own/);
      await expect(unnamed(handle.db, { a: "q" })).rejects.toThrow(/a parameter of its own/);
    } else {
      expect(await spliced(handle.db, { a: "q" })).toEqual([{ x: "%q%" }]);
      expect(await unnamed(handle.db, { a: "q" })).toEqual([{ x: 0 }]);
    }
  });

  it("generates time-ordered UUIDv7 ids and the search text", async () => {
    const [org] = await handle.db.insert(organizations).values({ name: "Acme" }).returning();
    if (!org) throw new Error("no org");
    expect(org.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
    const inserted = await handle.db
      .insert(contacts)
      .values([
        { orgId: org.id, firstName: "Ada", lastName: "Lovelace", email: "ADA@example.com" },
        { orgId: org.id, firstName: "Grace", lastName: "Hopper" },
      ])
      .returning();
    expect(inserted[0]!.id < inserted[1]!.id).toBe(true);
    const [ada] = await handle.db.select().from(contacts).where(eq(contacts.id, inserted[0]!.id));
    expect(ada?.searchText).toBe("ada lovelace ada@example.com  ");
  });

  it("has the trigram index that contact search relies on", async () => {
    const rows = await queryRows<{ indexdef: string }>(
      handle.db,
      sql`select indexdef from pg_indexes where indexname = 'contacts_search_trgm_idx'`,
    );
    expect(rows[0]?.indexdef).toContain("gin_trgm_ops");
  });
});
