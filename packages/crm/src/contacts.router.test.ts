import type { DbHandle } from "@nexo/db";
import { createTestDb } from "@nexo/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { anonymousCaller, signedInCaller } from "./test-context";
import { expectTrpcError, fieldPaths } from "./test-helpers";

type Caller = Awaited<ReturnType<typeof signedInCaller>>["caller"];

describe("crm.contacts", () => {
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

  it("creates, reads, updates and deletes a contact", async () => {
    const created = await a.crm.contacts.create({
      firstName: "  Ada ",
      lastName: "Lovelace",
      email: "Ada@Example.com",
      phone: "+44 20 7946 0000",
      jobTitle: "Analyst",
    });
    expect(created).toMatchObject({ firstName: "Ada", lastName: "Lovelace", email: "ada@example.com", notes: null });
    expect(await a.crm.contacts.get({ id: created.id })).toEqual(created);

    const updated = await a.crm.contacts.update({ id: created.id, jobTitle: "Countess", email: "" });
    expect(updated).toMatchObject({ jobTitle: "Countess", email: null, firstName: "Ada", lastName: "Lovelace" });
    expect(updated.updatedAt.getTime()).toBeGreaterThanOrEqual(created.updatedAt.getTime());

    expect(await a.crm.contacts.delete({ id: created.id })).toEqual({ id: created.id });
    await expectTrpcError(a.crm.contacts.get({ id: created.id }), "NOT_FOUND");
    await expectTrpcError(a.crm.contacts.delete({ id: created.id }), "NOT_FOUND");
  });

  it("pages newest first with a keyset cursor and no gaps or repeats", async () => {
    const { caller } = await signedInCaller(handle.db, "Paging Org");
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push((await caller.crm.contacts.create({ firstName: `Person ${i}` })).id);

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Awaited<ReturnType<Caller["crm"]["contacts"]["list"]>> = await caller.crm.contacts.list({
        limit: 3,
        cursor,
      });
      seen.push(...page.items.map((c) => c.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual([...ids].reverse());
  });

  it("gives each page size its own statement, in every list", async () => {
    const { caller } = await signedInCaller(handle.db, "Sizes Org");
    const stageId = (await caller.crm.pipelines.create({ name: "P" })).stages[0]!.id;
    for (const name of ["A", "B", "C", "D", "E"]) {
      await caller.crm.contacts.create({ firstName: name, lastName: "Size" });
      await caller.crm.companies.create({ name });
      await caller.crm.deals.create({ title: name, currency: "EUR", stageId });
    }
    // Smaller sizes first: a statement kept for one size and reused for a larger one would end the
    // list early.
    for (const limit of [2, 3, 4, 2]) {
      for (const page of [
        await caller.crm.contacts.list({ limit }),
        await caller.crm.companies.list({ limit }),
        await caller.crm.deals.list({ limit }),
      ]) {
        expect(page.items).toHaveLength(limit);
        expect(page.nextCursor).not.toBeNull();
      }
    }
    for (const page of [
      await caller.crm.contacts.list({ limit: 5 }),
      await caller.crm.companies.list({ limit: 5 }),
      await caller.crm.deals.list({ limit: 5 }),
    ]) {
      expect(page.items).toHaveLength(5);
      expect(page.nextCursor).toBeNull();
    }
  });

  it("searches by name, email and job title, tolerating a typo", async () => {
    const { caller } = await signedInCaller(handle.db, "Search Org");
    const grace = await caller.crm.contacts.create({ firstName: "Grace", lastName: "Hopper", email: "grace@navy.mil" });
    await caller.crm.contacts.create({ firstName: "Alan", lastName: "Turing", jobTitle: "Cryptanalyst" });
    await caller.crm.contacts.create({ firstName: "Percent", lastName: "100%_literal" });
    await caller.crm.contacts.create({ firstName: "Zoë", lastName: "Łukasiewicz" });

    const ids = async (search: string) => (await caller.crm.contacts.list({ search })).items.map((c) => c.firstName);
    expect(await ids("hopper")).toEqual(["Grace"]);
    expect(await ids("NAVY.mil")).toEqual(["Grace"]);
    expect(await ids("crypt")).toEqual(["Alan"]);
    const typo = await caller.crm.contacts.list({ search: "Hoppr" });
    expect(typo.items.map((c) => c.firstName)).toEqual(["Grace"]);
    expect(typo.fuzzy).toBe(true);
    expect((await caller.crm.contacts.list({ search: "hopper" })).fuzzy).toBe(false);
    // LIKE wildcards in the search text are literal characters.
    expect(await ids("0%_l")).toEqual(["Percent"]);
    // Accents and case are ignored, on both sides; a folded wildcard ("％" → "%") is literal too.
    expect(await ids("zoe lukas")).toEqual(["Zoë"]);
    expect(await ids("ŁUKASIÉWICZ")).toEqual(["Zoë"]);
    // Found as text, not as a similar spelling.
    expect((await caller.crm.contacts.list({ search: "zoe lukasiewicz" })).fuzzy).toBe(false);
    expect(await ids("0％＿l")).toEqual(["Percent"]);
    expect(await ids("1％l")).toEqual([]);
    expect(await ids("zzzzqqq")).toEqual([]);
    expect((await caller.crm.contacts.list({ search: "grace" })).items[0]?.id).toBe(grace.id);
  });

  it("never shows, changes or deletes another organization's contacts", async () => {
    const secret = await b.crm.contacts.create({ firstName: "Bea", lastName: "Secret", email: "bea@b.example" });

    await expectTrpcError(a.crm.contacts.get({ id: secret.id }), "NOT_FOUND");
    await expectTrpcError(a.crm.contacts.update({ id: secret.id, firstName: "Hacked" }), "NOT_FOUND");
    await expectTrpcError(a.crm.contacts.delete({ id: secret.id }), "NOT_FOUND");
    expect((await a.crm.contacts.list({ search: "secret" })).items).toEqual([]);
    expect((await a.crm.contacts.list({ limit: 100 })).items.map((c) => c.id)).not.toContain(secret.id);
    // A cursor from another organization only positions the page; it reveals nothing.
    expect((await a.crm.contacts.list({ cursor: secret.id })).items.every((c) => c.id !== secret.id)).toBe(true);

    expect(await b.crm.contacts.get({ id: secret.id })).toEqual(secret);
  });

  it("runs a list statement built once with each caller's own organization and filter values", async () => {
    const one = await signedInCaller(handle.db, "Reuse One");
    const two = await signedInCaller(handle.db, "Reuse Two");
    const lead = await one.caller.crm.contacts.create({ firstName: "Lena", lifecycleStage: "lead" });
    const customer = await one.caller.crm.contacts.create({ firstName: "Carl", lifecycleStage: "customer" });
    const theirs = await two.caller.crm.contacts.create({ firstName: "Tara", lifecycleStage: "lead" });
    const ids = async (caller: Caller, lifecycleStage: "lead" | "customer") =>
      (await caller.crm.contacts.list({ lifecycleStage, sort: "name" })).items.map((c) => c.id);

    // The same shape each time (a lifecycle filter, sorted by name): one statement, new values.
    expect(await ids(one.caller, "lead")).toEqual([lead.id]);
    expect(await ids(one.caller, "customer")).toEqual([customer.id]);
    expect(await ids(two.caller, "lead")).toEqual([theirs.id]);
    expect(await ids(two.caller, "customer")).toEqual([]);
    expect(await ids(one.caller, "lead")).toEqual([lead.id]);
  });

  it("rejects malformed input with field-level issues, never an internal error", async () => {
    const missing = await expectTrpcError(a.crm.contacts.create({ firstName: "   " }), "BAD_REQUEST");
    expect(fieldPaths(missing)).toEqual(["firstName"]);

    const bad = await expectTrpcError(
      a.crm.contacts.create({ firstName: "X", email: "not-an-email", phone: "call me maybe" }),
      "BAD_REQUEST",
    );
    expect(fieldPaths(bad).sort()).toEqual(["email", "phone"]);

    await expectTrpcError(a.crm.contacts.get({ id: "not-a-uuid" }), "BAD_REQUEST");
    // Postgres cannot store a NUL character: the input is at fault, not the server.
    await expectTrpcError(a.crm.contacts.list({ search: "a\u0000b" }), "BAD_REQUEST");
    await expectTrpcError(a.crm.contacts.create({ firstName: "Nul\u0000" }), "BAD_REQUEST");
    await expectTrpcError(a.crm.contacts.list({ limit: 1000 }), "BAD_REQUEST");
    await expectTrpcError(a.crm.contacts.update({ id: crypto.randomUUID() }), "BAD_REQUEST");
    await expectTrpcError(
      // @ts-expect-error: a wrong type on purpose
      a.crm.contacts.create({ firstName: 42 }),
      "BAD_REQUEST",
    );
    await expectTrpcError(a.crm.contacts.create({ firstName: "x".repeat(101) }), "BAD_REQUEST");
    // Postgres has no year 0: a date filter outside the years 1000–9999 is the input's fault.
    const yearZero = await expectTrpcError(
      a.crm.contacts.list({ createdAt: { from: new Date("0000-01-01T00:00:00Z") } }),
      "BAD_REQUEST",
    );
    expect(fieldPaths(yearZero)).toEqual(["createdAt.from"]);
  });

  it("requires a session", async () => {
    const anon = anonymousCaller(handle.db);
    await expectTrpcError(anon.crm.contacts.list({}), "UNAUTHORIZED");
    await expectTrpcError(anon.crm.contacts.create({ firstName: "Nobody" }), "UNAUTHORIZED");
  });
});
