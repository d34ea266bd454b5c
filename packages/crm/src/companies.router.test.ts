import type { DbHandle } from "@nexo/db";
import { createTestDb } from "@nexo/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeCursor } from "./keyset";
import { signedInCaller } from "./test-context";
import { expectTrpcError, fieldPaths, historyOf } from "./test-helpers";

type Caller = Awaited<ReturnType<typeof signedInCaller>>["caller"];

describe("crm.companies", () => {
  let handle: DbHandle;
  let a: Caller;
  let b: Caller;
  let aUser: string;
  let bUser: string;

  beforeAll(async () => {
    handle = await createTestDb();
    const orgA = await signedInCaller(handle.db, "Org A");
    const orgB = await signedInCaller(handle.db, "Org B");
    a = orgA.caller;
    b = orgB.caller;
    aUser = orgA.user.id;
    bUser = orgB.user.id;
  });
  afterAll(async () => {
    await handle?.close();
  });

  it("creates a company with a normalized domain, owned by its creator unless told otherwise", async () => {
    const acme = await a.crm.companies.create({
      name: " Acme Corp ",
      domain: "https://www.ACME.com/about",
      industry: "Manufacturing",
      size: "51-200",
      phone: "+1 555 0100",
    });
    expect(acme).toMatchObject({ name: "Acme Corp", domain: "acme.com", size: "51-200", ownerId: aUser });
    expect(await a.crm.companies.get({ id: acme.id })).toEqual({ ...acme, tags: [] });
    expect((await historyOf(handle.db, "company", acme.id)).map((h) => h.field)).toEqual(["created"]);
  });

  it("keeps domains unique per organization, not across organizations", async () => {
    await a.crm.companies.create({ name: "Globex", domain: "globex.com" });
    const conflict = await expectTrpcError(
      a.crm.companies.create({ name: "Globex again", domain: "WWW.globex.com" }),
      "CONFLICT",
    );
    expect(conflict.message).toMatch(/already has this domain/);
    expect((await b.crm.companies.create({ name: "Globex", domain: "globex.com" })).domain).toBe("globex.com");
    // Companies without a domain never collide.
    await a.crm.companies.create({ name: "No domain 1" });
    await a.crm.companies.create({ name: "No domain 2", domain: "" });
    const other = await a.crm.companies.create({ name: "Initech", domain: "initech.com" });
    await expectTrpcError(a.crm.companies.update({ id: other.id, domain: "globex.com" }), "CONFLICT");
  });

  it("records every changed field with old and new values in the history", async () => {
    const company = await a.crm.companies.create({ name: "Hooli", industry: "Tech" });
    const updated = await a.crm.companies.update({
      id: company.id,
      name: "Hooli XYZ",
      industry: "Tech",
      size: "1001+",
    });
    expect(updated).toMatchObject({ name: "Hooli XYZ", industry: "Tech", size: "1001+" });
    const history = await historyOf(handle.db, "company", company.id);
    expect(history.slice(1)).toEqual([
      { field: "name", oldValue: "Hooli", newValue: "Hooli XYZ" },
      { field: "size", oldValue: null, newValue: "1001+" },
    ]);
  });

  it("does not record history when a unique violation rolls the update back", async () => {
    await a.crm.companies.create({ name: "Taken", domain: "taken.io" });
    const company = await a.crm.companies.create({ name: "Free" });
    await expectTrpcError(a.crm.companies.update({ id: company.id, name: "Renamed", domain: "taken.io" }), "CONFLICT");
    expect((await a.crm.companies.get({ id: company.id })).name).toBe("Free");
    expect((await historyOf(handle.db, "company", company.id)).map((h) => h.field)).toEqual(["created"]);
  });

  it("lists with filters, sorts by name with a keyset cursor, and counts", async () => {
    const { caller, user } = await signedInCaller(handle.db, "List Org");
    for (const name of ["Delta", "alpha", "Charlie", "Bravo", "Echo"]) {
      await caller.crm.companies.create({ name, industry: name === "Echo" ? "Energy" : "Software" });
    }
    const names: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<Caller["crm"]["companies"]["list"]>> = await caller.crm.companies.list({
        sort: "name",
        limit: 2,
        cursor,
      });
      names.push(...page.items.map((c) => c.name));
      if (!cursor) expect(page.count).toEqual({ value: 5, exact: true });
      else expect(page.count).toBeNull();
      cursor = page.nextCursor;
    } while (cursor);
    // Byte order of the column's collation: the index order, whatever it is, without gaps or repeats.
    expect([...names].sort()).toEqual(["Bravo", "Charlie", "Delta", "Echo", "alpha"].sort());
    expect(new Set(names).size).toBe(5);

    const energy = await caller.crm.companies.list({ industry: "Energy" });
    expect(energy.items.map((c) => c.name)).toEqual(["Echo"]);
    expect((await caller.crm.companies.list({ ownerId: user.id })).items).toHaveLength(5);
    expect((await caller.crm.companies.list({ ownerId: aUser })).items).toHaveLength(0);
    expect((await caller.crm.companies.list({ search: "harl" })).items.map((c) => c.name)).toEqual(["Charlie"]);
    expect((await caller.crm.companies.list({ search: "HÄRL" })).items.map((c) => c.name)).toEqual(["Charlie"]);
    const newest = await caller.crm.companies.list({ limit: 5 });
    expect(newest.items.map((c) => c.name)).toEqual(["Echo", "Bravo", "Charlie", "alpha", "Delta"]);
    const future = new Date(Date.now() + 60_000);
    expect((await caller.crm.companies.list({ createdAt: { from: future } })).items).toEqual([]);
    const past = new Date(Date.now() - 3_600_000);
    expect((await caller.crm.companies.list({ createdAt: { from: past } })).items).toHaveLength(5);
    expect((await caller.crm.companies.list({ industry: "" })).items).toHaveLength(5);
    expect((await caller.crm.companies.list({ createdAt: { to: future }, industry: "Energy" })).items).toHaveLength(1);
  });

  it("filters by tag", async () => {
    const { caller } = await signedInCaller(handle.db, "Tag Org");
    const vip = await caller.crm.tags.create({ name: "VIP" });
    const tagged = await caller.crm.companies.create({ name: "Tagged" });
    await caller.crm.companies.create({ name: "Untagged" });
    await caller.crm.tags.set({ entityType: "company", entityId: tagged.id, tagIds: [vip.id] });
    const list = await caller.crm.companies.list({ tagId: vip.id });
    expect(list.items.map((c) => ({ name: c.name, tags: c.tags.map((t) => t.name) }))).toEqual([
      { name: "Tagged", tags: ["VIP"] },
    ]);
    expect((await caller.crm.companies.get({ id: tagged.id })).tags).toEqual([
      { id: vip.id, name: "VIP", color: vip.color },
    ]);
  });

  it("shows a company's contacts and deals on its page", async () => {
    const { caller } = await signedInCaller(handle.db, "Page Org");
    const company = await caller.crm.companies.create({ name: "Umbrella", domain: "umbrella.com" });
    const alice = await caller.crm.contacts.create({ firstName: "Alice", companyId: company.id });
    await caller.crm.contacts.create({ firstName: "Unrelated" });
    const overview = await caller.crm.companies.overview({ id: company.id });
    expect(overview.company.name).toBe("Umbrella");
    expect(overview.contacts.map((c) => c.id)).toEqual([alice.id]);
    expect(overview.deals).toEqual([]);
  });

  it("moves to the trash and restores", async () => {
    const { caller } = await signedInCaller(handle.db, "Trash Org");
    const company = await caller.crm.companies.create({ name: "Soon gone" });
    await caller.crm.companies.delete({ id: company.id });
    await expectTrpcError(caller.crm.companies.get({ id: company.id }), "NOT_FOUND");
    expect((await caller.crm.companies.list({})).items).toEqual([]);
    expect((await caller.crm.companies.trash({})).items.map((c) => c.id)).toEqual([company.id]);
    await expectTrpcError(caller.crm.companies.delete({ id: company.id }), "NOT_FOUND");
    await expectTrpcError(caller.crm.companies.update({ id: company.id, name: "x" }), "NOT_FOUND");
    await caller.crm.companies.restore({ id: company.id });
    await expectTrpcError(caller.crm.companies.restore({ id: company.id }), "NOT_FOUND");
    expect((await caller.crm.companies.get({ id: company.id })).deletedAt).toBeNull();
    expect((await historyOf(handle.db, "company", company.id)).map((h) => h.field)).toEqual([
      "created",
      "deleted",
      "restored",
    ]);
  });

  it("never shows or changes another organization's companies, nor assigns them another org's user", async () => {
    const secret = await b.crm.companies.create({ name: "B Secret", domain: "bsecret.com" });
    await expectTrpcError(a.crm.companies.get({ id: secret.id }), "NOT_FOUND");
    await expectTrpcError(a.crm.companies.overview({ id: secret.id }), "NOT_FOUND");
    await expectTrpcError(a.crm.companies.update({ id: secret.id, name: "Hacked" }), "NOT_FOUND");
    await expectTrpcError(a.crm.companies.delete({ id: secret.id }), "NOT_FOUND");
    await expectTrpcError(a.crm.companies.restore({ id: secret.id }), "NOT_FOUND");
    expect((await a.crm.companies.list({ search: "secret" })).items).toEqual([]);
    await expectTrpcError(a.crm.companies.create({ name: "X", ownerId: bUser }), "NOT_FOUND");
    await expectTrpcError(a.crm.contacts.create({ firstName: "X", companyId: secret.id }), "NOT_FOUND");
    expect((await b.crm.companies.get({ id: secret.id })).name).toBe("B Secret");
    expect((await historyOf(handle.db, "company", secret.id)).map((h) => h.field)).toEqual(["created"]);
  });

  it("rejects malformed input with field-level issues", async () => {
    const bad = await expectTrpcError(
      a.crm.companies.create({ name: " ", domain: "not a domain", phone: "call me", size: "huge" as never }),
      "BAD_REQUEST",
    );
    expect(fieldPaths(bad).sort()).toEqual(["domain", "name", "phone", "size"]);
    await expectTrpcError(a.crm.companies.get({ id: "nope" }), "BAD_REQUEST");
    await expectTrpcError(a.crm.companies.update({ id: crypto.randomUUID() }), "BAD_REQUEST");
    await expectTrpcError(a.crm.companies.list({ cursor: "garbage", sort: "name" }), "BAD_REQUEST");
    await expectTrpcError(a.crm.companies.list({ limit: 0 }), "BAD_REQUEST");
    const range = await expectTrpcError(
      a.crm.companies.list({ createdAt: { from: new Date("2025-02-01"), to: new Date("2025-01-01") } }),
      "BAD_REQUEST",
    );
    expect(fieldPaths(range)).toEqual(["createdAt.to"]);
    // Dates outside the years 1000–9999 never reach Postgres, in filters or in crafted cursors.
    const early = await expectTrpcError(
      a.crm.companies.list({ createdAt: { from: new Date("-001000-01-01T00:00:00Z") } }),
      "BAD_REQUEST",
    );
    expect(fieldPaths(early)).toEqual(["createdAt.from"]);
    const cursor = encodeCursor(["0000-01-01T00:00:00Z", crypto.randomUUID()]);
    await expectTrpcError(a.crm.companies.trash({ cursor }), "BAD_REQUEST");
  });
});
