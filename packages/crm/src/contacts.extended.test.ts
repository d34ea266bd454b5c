import { contacts, type DbHandle, eq } from "@nexo/db";
import { createTestDb } from "@nexo/db/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { countRows, ESTIMATE_TTL_MS, EXACT_COUNT_LIMIT } from "./counts";
import { signedInCaller } from "./test-context";
import { expectTrpcError, fieldPaths, historyOf } from "./test-helpers";

type Caller = Awaited<ReturnType<typeof signedInCaller>>["caller"];
type Page = Awaited<ReturnType<Caller["crm"]["contacts"]["list"]>>;

describe("crm.contacts: companies, lifecycle, history, filters, sorts and trash", () => {
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

  it("stores company, lifecycle stage and social links, and records each changed field", async () => {
    const acme = await a.crm.companies.create({ name: "Acme" });
    const contact = await a.crm.contacts.create({
      firstName: "Wile",
      lastName: "Coyote",
      companyId: acme.id,
      socialLinks: { linkedin: "https://linkedin.com/in/wile" },
    });
    expect(contact).toMatchObject({ companyId: acme.id, lifecycleStage: "lead", lastActivityAt: null });
    await a.crm.contacts.update({ id: contact.id, lifecycleStage: "customer", jobTitle: "Genius", lastName: "Coyote" });
    await a.crm.contacts.update({ id: contact.id, companyId: null });
    expect(await historyOf(handle.db, "contact", contact.id)).toEqual([
      { field: "created", oldValue: null, newValue: null },
      { field: "jobTitle", oldValue: null, newValue: "Genius" },
      { field: "lifecycleStage", oldValue: "lead", newValue: "customer" },
      { field: "companyId", oldValue: acme.id, newValue: null },
    ]);
  });

  it("filters by company, lifecycle stage, tag and creation date", async () => {
    const { caller } = await signedInCaller(handle.db, "Filter Org");
    const initech = await caller.crm.companies.create({ name: "Initech" });
    const peter = await caller.crm.contacts.create({
      firstName: "Peter",
      companyId: initech.id,
      lifecycleStage: "customer",
    });
    const milton = await caller.crm.contacts.create({ firstName: "Milton", companyId: initech.id });
    const bob = await caller.crm.contacts.create({ firstName: "Bob", lifecycleStage: "customer" });
    const stapler = await caller.crm.tags.create({ name: "Stapler" });
    await caller.crm.tags.set({ entityType: "contact", entityId: milton.id, tagIds: [stapler.id] });

    const names = async (input: Parameters<Caller["crm"]["contacts"]["list"]>[0]) =>
      (await caller.crm.contacts.list(input)).items.map((c) => c.firstName);
    expect(await names({ companyId: initech.id })).toEqual(["Milton", "Peter"]);
    expect(await names({ lifecycleStage: "customer" })).toEqual(["Bob", "Peter"]);
    expect(await names({ companyId: initech.id, lifecycleStage: "customer" })).toEqual(["Peter"]);
    expect(await names({ tagId: stapler.id })).toEqual(["Milton"]);
    expect(await names({ createdAt: { from: new Date(Date.now() + 60_000) } })).toEqual([]);
    expect(await names({ createdAt: { to: new Date(Date.now() + 60_000) } })).toEqual(["Bob", "Milton", "Peter"]);
    const page = await caller.crm.contacts.list({ companyId: initech.id });
    expect(page.count).toEqual({ value: 2, exact: true });
    expect(page.items.find((c) => c.id === peter.id)?.companyName).toBe("Initech");
    expect(page.items.find((c) => c.id === bob.id)).toBeUndefined();
  });

  it("sorts by name and by last activity, paging with keyset cursors", async () => {
    const { caller } = await signedInCaller(handle.db, "Sort Org");
    const people = [
      ["Zoe", "Adams"],
      ["Amy", "Baker"],
      ["Bob", "Adams"],
      ["Cid", "Cole"],
      ["Dee", "Baker"],
    ] as const;
    const ids: Record<string, string> = {};
    for (const [firstName, lastName] of people) {
      ids[firstName] = (await caller.crm.contacts.create({ firstName, lastName })).id;
    }
    const all = async (sort: "name" | "lastActivity") => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: Page = await caller.crm.contacts.list({ sort, limit: 2, cursor });
        seen.push(...page.items.map((c) => c.firstName));
        cursor = page.nextCursor;
      } while (cursor);
      return seen;
    };
    expect(await all("name")).toEqual(["Bob", "Zoe", "Amy", "Dee", "Cid"]);

    const at = (iso: string) => new Date(iso);
    await handle.db
      .update(contacts)
      .set({ lastActivityAt: at("2025-01-02T00:00:00Z") })
      .where(eq(contacts.id, ids.Amy!));
    await handle.db
      .update(contacts)
      .set({ lastActivityAt: at("2025-03-01T00:00:00Z") })
      .where(eq(contacts.id, ids.Cid!));
    await handle.db
      .update(contacts)
      .set({ lastActivityAt: at("2025-01-02T00:00:00Z") })
      .where(eq(contacts.id, ids.Dee!));
    // Newest activity first, ties by newest contact, never-active last.
    expect(await all("lastActivity")).toEqual(["Cid", "Dee", "Amy", "Bob", "Zoe"]);
    expect(
      (await caller.crm.contacts.list({ lastActivityAt: { from: at("2025-02-01") } })).items.map((c) => c.firstName),
    ).toEqual(["Cid"]);
  });

  it("estimates the count of very large lists and says so", async () => {
    const { caller, org } = await signedInCaller(handle.db, "Big Org");
    const rows = Array.from({ length: EXACT_COUNT_LIMIT + 50 }, (_, i) => ({ orgId: org.id, firstName: `P${i}` }));
    for (let i = 0; i < rows.length; i += 2000) await handle.db.insert(contacts).values(rows.slice(i, i + 2000));
    const page = await caller.crm.contacts.list({ limit: 1 });
    expect(page.count?.exact).toBe(false);
    expect(page.count?.value).toBeGreaterThan(EXACT_COUNT_LIMIT);

    // The estimate is reused for a while (paging and reopening cost no count); an exact count only
    // while nothing has been written since (counts.test.ts).
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      await handle.db.update(contacts).set({ deletedAt: new Date() }).where(eq(contacts.orgId, org.id));
      expect((await caller.crm.contacts.list({ limit: 1 })).count).toEqual(page.count);
      // Page size and order do not change what is counted; a filter does.
      expect((await caller.crm.contacts.list({ limit: 5, sort: "name" })).count).toEqual(page.count);
      expect((await caller.crm.contacts.list({ limit: 1, search: "p1" })).count).toEqual({ value: 0, exact: true });
      expect((await caller.crm.contacts.list({ limit: 1, lifecycleStage: "lead" })).count).toEqual({
        value: 0,
        exact: true,
      });
      vi.advanceTimersByTime(ESTIMATE_TTL_MS);
      expect((await caller.crm.contacts.list({ limit: 1 })).count).toEqual({ value: 0, exact: true });

      // Requests that find an estimate expired share one recount.
      const build = vi.fn(() =>
        handle.db.select({ id: contacts.id }).from(contacts).where(eq(contacts.orgId, org.id)).getSQL(),
      );
      const scope = ["recount test", org.id];
      expect((await countRows(handle.db, build, scope)).exact).toBe(false);
      vi.advanceTimersByTime(ESTIMATE_TTL_MS);
      const counts = await Promise.all([1, 2, 3].map(() => countRows(handle.db, build, scope)));
      expect(build).toHaveBeenCalledTimes(2);
      expect(counts.every((c) => !c.exact && c.value > EXACT_COUNT_LIMIT)).toBe(true);
      // Until it expires again, the new estimate is reused.
      await countRows(handle.db, build, scope);
      expect(build).toHaveBeenCalledTimes(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it("moves to the trash, lists the trash, restores", async () => {
    const { caller } = await signedInCaller(handle.db, "Trash Org");
    const gone = await caller.crm.contacts.create({ firstName: "Gone" });
    const kept = await caller.crm.contacts.create({ firstName: "Kept" });
    await caller.crm.contacts.delete({ id: gone.id });
    expect((await caller.crm.contacts.list({})).items.map((c) => c.id)).toEqual([kept.id]);
    expect((await caller.crm.contacts.list({ search: "gone" })).items).toEqual([]);
    const trash = await caller.crm.contacts.trash({});
    expect(trash.items.map((c) => c.id)).toEqual([gone.id]);
    expect(trash.items[0]?.deletedAt).toBeInstanceOf(Date);
    await expectTrpcError(caller.crm.contacts.update({ id: gone.id, firstName: "Zombie" }), "NOT_FOUND");
    await caller.crm.contacts.restore({ id: gone.id });
    expect((await caller.crm.contacts.get({ id: gone.id })).firstName).toBe("Gone");
    expect((await caller.crm.contacts.trash({})).items).toEqual([]);
  });

  it("keeps organizations apart: foreign companies, trash and restores", async () => {
    const foreignCompany = await b.crm.companies.create({ name: "B Co" });
    const foreignContact = await b.crm.contacts.create({ firstName: "B Person" });
    const mine = await a.crm.contacts.create({ firstName: "Mine" });
    await expectTrpcError(a.crm.contacts.update({ id: mine.id, companyId: foreignCompany.id }), "NOT_FOUND");
    expect((await a.crm.contacts.get({ id: mine.id })).companyId).toBeNull();
    expect((await a.crm.contacts.list({ companyId: foreignCompany.id })).items).toEqual([]);
    await b.crm.contacts.delete({ id: foreignContact.id });
    expect((await a.crm.contacts.trash({})).items.map((c) => c.id)).not.toContain(foreignContact.id);
    await expectTrpcError(a.crm.contacts.restore({ id: foreignContact.id }), "NOT_FOUND");
    expect((await b.crm.contacts.trash({})).items.map((c) => c.id)).toEqual([foreignContact.id]);
  });

  it("rejects malformed input with field-level issues", async () => {
    const bad = await expectTrpcError(
      a.crm.contacts.create({
        firstName: "X",
        lifecycleStage: "vip" as never,
        companyId: "acme",
        socialLinks: { linkedin: "javascript:alert(1)" },
      }),
      "BAD_REQUEST",
    );
    expect(fieldPaths(bad).sort()).toEqual(["companyId", "lifecycleStage", "socialLinks.linkedin"]);
    await expectTrpcError(a.crm.contacts.list({ sort: "name", cursor: "bm90IGpzb24" }), "BAD_REQUEST");
    await expectTrpcError(a.crm.contacts.list({ sort: "lastActivity", cursor: "W10" }), "BAD_REQUEST");
    await expectTrpcError(a.crm.contacts.list({ sort: "random" as never }), "BAD_REQUEST");
  });
});
