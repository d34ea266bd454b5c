import { contacts, type DbHandle, eq, organizations, queryRows, sql } from "@nexo/db";
import { createTestDb } from "@nexo/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RECENT_WINDOW_PER_RESULT } from "./search.queries";
import { signedInCaller } from "./test-context";
import { expectTrpcError, fieldPaths } from "./test-helpers";

type Caller = Awaited<ReturnType<typeof signedInCaller>>["caller"];

describe("crm.search", () => {
  let handle: DbHandle;
  let a: Caller;
  let b: Caller;

  beforeAll(async () => {
    handle = await createTestDb();
    a = (await signedInCaller(handle.db, "Org A")).caller;
    b = (await signedInCaller(handle.db, "Org B")).caller;
    const stageId = (await a.crm.pipelines.create({ name: "P" })).stages[0]!.id;
    const northwind = await a.crm.companies.create({ name: "Northwind Traders", domain: "northwind.com" });
    await a.crm.companies.create({ name: "Contoso" });
    await a.crm.contacts.create({
      firstName: "Nancy",
      lastName: "Davolio",
      email: "nancy@northwind.com",
      companyId: northwind.id,
    });
    await a.crm.contacts.create({ firstName: "Andrew", lastName: "Fuller" });
    await a.crm.deals.create({ title: "Northwind renewal", currency: "EUR", stageId });
    await a.crm.deals.create({ title: "Contoso pilot", currency: "EUR", stageId });
    const trashed = await a.crm.contacts.create({ firstName: "Northwind", lastName: "Ghost" });
    await a.crm.contacts.delete({ id: trashed.id });
    await b.crm.companies.create({ name: "Northwind Foreign" });
    await a.crm.companies.create({ name: "Société Générale" });
    await a.crm.deals.create({ title: "Renovación Norte", currency: "EUR", stageId });
  });
  afterAll(async () => {
    await handle?.close();
  });

  it("finds contacts, companies and deals in one call, grouped by kind", async () => {
    const hits = await a.crm.search({ q: "northwind" });
    expect(hits.companies.map((c) => c.name)).toEqual(["Northwind Traders"]);
    expect(hits.contacts.map((c) => c.firstName)).toEqual(["Nancy"]);
    expect(hits.deals.map((d) => d.title)).toEqual(["Northwind renewal"]);
  });

  it("tolerates typos and ranks exact substrings first", async () => {
    const typo = await a.crm.search({ q: "Nortwind" });
    expect(typo.companies.map((c) => c.name)).toEqual(["Northwind Traders"]);
    expect(typo.deals.map((d) => d.title)).toEqual(["Northwind renewal"]);
    expect((await a.crm.search({ q: "Contso" })).companies.map((c) => c.name)).toEqual(["Contoso"]);
    expect((await a.crm.search({ q: "fuller" })).contacts.map((c) => c.lastName)).toEqual(["Fuller"]);
    expect(await a.crm.search({ q: "zzqqxx" })).toEqual({ contacts: [], companies: [], deals: [] });
  });

  it("ignores accents in companies and deals, in search and in their lists' search filter", async () => {
    // The lists have no similarity fallback: these find the records only by their folded text.
    expect((await a.crm.companies.list({ search: "societe gen" })).items.map((c) => c.name)).toEqual([
      "Société Générale",
    ]);
    expect((await a.crm.deals.list({ search: "renovacion" })).items.map((d) => d.title)).toEqual(["Renovación Norte"]);
    expect((await a.crm.search({ q: "SOCIETE" })).companies.map((c) => c.name)).toEqual(["Société Générale"]);
    expect((await a.crm.search({ q: "renovación" })).deals.map((d) => d.title)).toEqual(["Renovación Norte"]);
  });

  it("finds nothing for a term that folds to nothing", async () => {
    // A lone combining accent passes the length check but leaves no text to look for.
    expect(await a.crm.search({ q: "\u0301" })).toEqual({ contacts: [], companies: [], deals: [] });
    expect((await a.crm.contacts.list({ search: "\u0301" })).items).toEqual([]);
    expect((await a.crm.companies.list({ search: "\u0301\u0301" })).items).toEqual([]);
  });

  it("never returns trashed records or another organization's", async () => {
    const hits = await a.crm.search({ q: "northwind", limit: 25 });
    const everything = JSON.stringify(hits);
    expect(everything).not.toContain("Ghost");
    expect(everything).not.toContain("Foreign");
    expect((await b.crm.search({ q: "northwind" })).companies.map((c) => c.name)).toEqual(["Northwind Foreign"]);
  });

  it("rejects an empty or oversized query with field issues", async () => {
    expect(fieldPaths(await expectTrpcError(a.crm.search({ q: "  " }), "BAD_REQUEST"))).toEqual(["q"]);
    expect(fieldPaths(await expectTrpcError(a.crm.search({ q: "x".repeat(201) }), "BAD_REQUEST"))).toEqual(["q"]);
    expect(fieldPaths(await expectTrpcError(a.crm.search({ q: "x", limit: 100 }), "BAD_REQUEST"))).toEqual(["limit"]);
  });
});

describe("crm.search ranking", () => {
  let handle: DbHandle;
  let owner: Awaited<ReturnType<typeof signedInCaller>>;
  const names = async (q: string, limit?: number) =>
    (await owner.caller.crm.search({ q, limit })).contacts.map((c) => `${c.firstName} ${c.lastName}`);
  /** Contacts inserted in one statement, in this order (ids are time-ordered, so the last is the newest). */
  const insertContacts = async (
    rows: { firstName: string; lastName?: string; ownerId?: string; jobTitle?: string }[],
  ) => {
    for (const row of rows) {
      await handle.db.insert(contacts).values({ orgId: owner.org.id, lastName: "", ...row });
    }
  };

  beforeAll(async () => {
    handle = await createTestDb();
    owner = await signedInCaller(handle.db, "Org R");
  });
  afterAll(async () => {
    await handle?.close();
  });

  it("ranks substring matches first, newest first, then similar ones by similarity", async () => {
    await insertContacts([
      { firstName: "Maria", lastName: "Lopez" },
      { firstName: "Eve", lastName: "Lopaz" },
      { firstName: "Ana", lastName: "Lopes" },
      { firstName: "Carla", lastName: "Lopez" },
      { firstName: "Tom", lastName: "Lopez" },
      { firstName: "Ed", lastName: "Lepez" },
    ]);
    // Lopes (word similarity 0.67) before Lopaz (0.5); Lepez (0.33) is below the threshold.
    expect(await names("lopez")).toEqual(["Tom Lopez", "Carla Lopez", "Maria Lopez", "Ana Lopes", "Eve Lopaz"]);
    expect(await names("LOPEZ", 2)).toEqual(["Tom Lopez", "Carla Lopez"]);
    expect(await names("lopez", 4)).toEqual(["Tom Lopez", "Carla Lopez", "Maria Lopez", "Ana Lopes"]);
  });

  it("ranks matches at the start of a word before matches inside one", async () => {
    await insertContacts([
      { firstName: "Annabel", lastName: "Berg" },
      { firstName: "Tom", lastName: "Hoffmann" },
      { firstName: "Lina", lastName: "Hoffmann" },
    ]);
    expect(await names("ann", 2)).toEqual(["Annabel Berg", "Lina Hoffmann"]);
    expect(await names("ann", 3)).toEqual(["Annabel Berg", "Lina Hoffmann", "Tom Hoffmann"]);
    // Characters that mean something in a regular expression are literal.
    await insertContacts([{ firstName: "Bjarne", lastName: "S", jobTitle: "C++ lead" }]);
    expect(await names("c++", 1)).toEqual(["Bjarne S"]);
    expect(await names("c+", 1)).toEqual(["Bjarne S"]);
  });

  it("ignores accents and case, in the records and in the term", async () => {
    await insertContacts([
      { firstName: "Jürgen", lastName: "Müller" },
      { firstName: "José", lastName: "Núñez" },
      { firstName: "Søren", lastName: "Großmann", jobTitle: "ÉCOLE director" },
    ]);
    expect(await names("muller", 1)).toEqual(["Jürgen Müller"]);
    expect(await names("MÜLLER", 1)).toEqual(["Jürgen Müller"]);
    expect(await names("jose nunez", 1)).toEqual(["José Núñez"]);
    expect(await names("grossmann", 1)).toEqual(["Søren Großmann"]);
    expect(await names("soren", 1)).toEqual(["Søren Großmann"]);
    expect(await names("ecole", 1)).toEqual(["Søren Großmann"]);
    // At the start of a word, so before a match inside one.
    await insertContacts([{ firstName: "Ramuller", lastName: "X" }]);
    expect(await names("muller", 2)).toEqual(["Jürgen Müller", "Ramuller X"]);
  });

  it("takes characters that folding turns into wildcards or escapes literally", async () => {
    await insertContacts([{ firstName: "Percy", lastName: "Cent", jobTitle: "50% off_sale \\ (c) [x]" }]);
    // A full-width "％", "＿" and "＼" fold to "%", "_" and "\"; "©" folds to "(C)".
    for (const q of ["50％", "off＿sale", "＼", "©", "%", "_", "\\", "(c", "[", "50% off_"]) {
      expect(await names(q, 1), q).toEqual(["Percy Cent"]);
    }
    expect(await names("5％0", 1)).toEqual([]);
    expect(await names("o＿f", 1)).toEqual([]);
  });

  it("finds substring matches older than the newest records it reads first", async () => {
    const window = RECENT_WINDOW_PER_RESULT * 2;
    await insertContacts([{ firstName: "Quenby", lastName: "Old" }]);
    await handle.db
      .insert(contacts)
      .values(Array.from({ length: window + 20 }, (_, i) => ({ orgId: owner.org.id, firstName: `Filler ${i}` })));
    await insertContacts([{ firstName: "Quenby", lastName: "New" }]);
    expect(await names("quenby", 2)).toEqual(["Quenby New", "Quenby Old"]);
    expect(await names("quenby", 1)).toEqual(["Quenby New"]);
    // Trashed ones stay out on both paths.
    const [old] = await handle.db.select({ id: contacts.id }).from(contacts).where(eq(contacts.lastName, "Old"));
    await owner.caller.crm.contacts.delete({ id: old!.id });
    expect(await names("quenby", 2)).toEqual(["Quenby New"]);
    expect(await names("quenb", 2)).toEqual(["Quenby New"]);
  });

  it("returns a full page for a typo of a name hundreds of records share", async () => {
    await handle.db
      .insert(contacts)
      .values(
        Array.from({ length: 300 }, (_, i) => ({ orgId: owner.org.id, firstName: `Ivo${i}`, lastName: "Garcia" })),
      );
    const hits = await owner.caller.crm.search({ q: "garcai" });
    expect(hits.contacts).toHaveLength(5);
    expect(hits.contacts.every((c) => c.lastName === "Garcia")).toBe(true);
  });

  it("keeps similar matches to the records the member may see", async () => {
    const member = await signedInCaller(handle.db, "Org R", "member", owner.org.id);
    await insertContacts([
      { firstName: "Theodora", lastName: "Mine", ownerId: member.user.id },
      { firstName: "Theodora", lastName: "Theirs", ownerId: owner.user.id },
    ]);
    await handle.db.update(organizations).set({ recordVisibility: "own" }).where(eq(organizations.id, owner.org.id));
    try {
      const seen = async (q: string) => (await member.caller.crm.search({ q })).contacts.map((c) => c.lastName);
      expect(await seen("theodora")).toEqual(["Mine"]);
      expect(await seen("theodorra")).toEqual(["Mine"]);
    } finally {
      await handle.db.update(organizations).set({ recordVisibility: "all" }).where(eq(organizations.id, owner.org.id));
    }
  });

  it("leaves the similarity threshold of the session as it was", async () => {
    const threshold = async () =>
      (
        await queryRows<{ t: string }>(handle.db, sql`select current_setting('pg_trgm.word_similarity_threshold') as t`)
      )[0]?.t;
    const before = await threshold();
    for (const q of ["nortwind", "garcai", "lopez"]) await owner.caller.crm.search({ q });
    for (let i = 0; i < 3; i++) expect(await threshold()).toBe(before);
  });
});
