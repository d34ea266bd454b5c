import type { DbHandle } from "@nexo/db";
import { createTestDb } from "@nexo/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
