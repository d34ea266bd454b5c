import { contacts, type Db, type DbHandle, organizations, PgDialect, sql } from "@nexo/db";
import { createTestDb } from "@nexo/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type BoundValues,
  literalLimit,
  MAX_KEPT_STATEMENTS,
  placeholders,
  reusedRows,
  reusedStatement,
  selectionDecoder,
} from "./reuse";

/** A stand-in for a Drizzle select: counts how often it is built and records what it runs with. */
function statements(params: unknown[] = []) {
  const built: string[] = [];
  const ran: { statement: number; values: Record<string, unknown> | undefined }[] = [];
  const build = (label: string) => () => {
    built.push(label);
    const statement = built.length;
    return {
      toSQL: () => ({ sql: "select 1", params }),
      prepare: () => ({
        execute: async (values?: Record<string, unknown>) => {
          ran.push({ statement, values });
          return statement;
        },
      }),
    };
  };
  return { built, ran, build };
}

describe("literalLimit", () => {
  it("writes the limit into the statement's text, and refuses anything but a whole number", () => {
    expect(new PgDialect().sqlToQuery(sql`select 1 limit ${literalLimit(51)}`)).toEqual({
      sql: "select 1 limit 51",
      params: [],
    });
    for (const bad of [-1, 1.5, Number.NaN, 2 ** 60]) expect(() => literalLimit(bad)).toThrow(RangeError);
  });
});

describe("reusedStatement", () => {
  it("builds a statement once per shape and names of the values, and runs it with each call's values", async () => {
    const db = {} as Db;
    const { built, ran, build } = statements();
    await reusedStatement(db, "contacts|owner|newest", { orgId: "a", tagId: undefined }, build("first"));
    await reusedStatement(db, "contacts|owner|newest", { orgId: "b", tagId: undefined }, build("again"));
    await reusedStatement(db, "contacts|owner|newest", { orgId: "b", tagId: "t" }, build("with a tag"));
    await reusedStatement(db, "contacts|member|newest", { orgId: "b", tagId: undefined }, build("another role"));
    expect(built).toEqual(["first", "with a tag", "another role"]);
    // Values left undefined are not in the statement, so they are not passed to it either.
    expect(ran).toEqual([
      { statement: 1, values: { orgId: "a" } },
      { statement: 1, values: { orgId: "b" } },
      { statement: 2, values: { orgId: "b", tagId: "t" } },
      { statement: 3, values: { orgId: "b" } },
    ]);
    // Another database has statements of its own.
    await reusedStatement({} as Db, "contacts|owner|newest", { orgId: "a" }, build("other database"));
    expect(built.at(-1)).toBe("other database");
  });

  it(`keeps at most ${MAX_KEPT_STATEMENTS} statements, dropping the least recently used`, async () => {
    const db = {} as Db;
    const { built, build } = statements();
    for (let i = 0; i < MAX_KEPT_STATEMENTS; i++) await reusedStatement(db, `shape ${i}`, {}, build(`shape ${i}`));
    await reusedStatement(db, "shape 0", {}, build("shape 0 again")); // used again: now the most recent
    await reusedStatement(db, "one more", {}, build("one more")); // drops shape 1, the least recently used
    await reusedStatement(db, "shape 0", {}, build("shape 0 rebuilt"));
    await reusedStatement(db, "shape 1", {}, build("shape 1 rebuilt"));
    expect(built.slice(MAX_KEPT_STATEMENTS)).toEqual(["one more", "shape 1 rebuilt"]);
  });

  it("refuses a statement built with one of the call's ids instead of a placeholder", async () => {
    const orgId = "0193a5c4-7e7a-7b1c-9f00-2a64f4a0c001";
    const { build } = statements(["contact", orgId]);
    await expect(reusedStatement({} as Db, "contacts|owner|newest", { orgId }, build("baked"))).rejects.toThrow(
      "instead of a placeholder",
    );
    // Constants that are not the call's values are what a statement may hold.
    const fine = statements(["contact", 26]);
    await reusedStatement({} as Db, "contacts|owner|newest", { orgId, limit: 26 }, fine.build("fine"));
    expect(fine.built).toEqual(["fine"]);
  });

  it("stands a placeholder of the same name for every value given", () => {
    const bound = placeholders({ orgId: "a", limit: 26, tagId: undefined });
    expect(Object.keys(bound)).toEqual(["orgId", "limit", "tagId"]);
    expect(bound.tagId).toBeUndefined();
    expect(bound.orgId).toMatchObject({ name: "orgId" });
    expect(bound.limit).toMatchObject({ name: "limit" });
  });
});

describe("reusedRows", () => {
  let handle: DbHandle;
  beforeAll(async () => {
    handle = await createTestDb();
  });
  afterAll(async () => {
    await handle?.close();
  });

  it("builds once per shape and gives each call's rows as the caller decodes them, as Drizzle would", async () => {
    const [org] = await handle.db.insert(organizations).values({ name: "Rows" }).returning();
    if (!org) throw new Error("no organization");
    const when = new Date("2026-03-04T05:06:07.000Z");
    await handle.db.insert(contacts).values([
      { orgId: org.id, firstName: "Ada", lastActivityAt: when },
      { orgId: org.id, firstName: "Bo", lastActivityAt: null },
    ]);
    let builds = 0;
    const build = (v: BoundValues<{ orgId: string; name: string }>) => () => {
      builds++;
      return handle.db
        .select({ firstName: contacts.firstName, lastActivityAt: contacts.lastActivityAt })
        .from(contacts)
        .where(sql`${contacts.orgId} = ${v.orgId} and ${contacts.firstName} >= ${v.name}`)
        .orderBy(contacts.firstName);
    };
    const decode = selectionDecoder({ firstName: contacts.firstName, lastActivityAt: contacts.lastActivityAt });
    const run = (values: { orgId: string; name: string }) =>
      reusedRows(handle.db, "rows test", values, build(placeholders(values)), decode);

    const all = await run({ orgId: org.id, name: "A" });
    // Whichever way it ran (arrays decoded here on Postgres, Drizzle on PGlite), the same rows.
    expect(all).toEqual([
      { firstName: "Ada", lastActivityAt: when },
      { firstName: "Bo", lastActivityAt: null },
    ]);
    expect(await run({ orgId: org.id, name: "B" })).toEqual([{ firstName: "Bo", lastActivityAt: null }]);
    expect(builds).toBe(1);
  });
});
