import { Readable } from "node:stream";
import { and, type DbHandle, eq, importJobs, recordHistory, tags } from "@nexo/db";
import { createTestDb } from "@nexo/db/testing";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { customFieldHeaders, type ExportKind, exportCsv, importErrorReport, type ListPage } from "./export.csv";
import { mapHeaders, parseNumber, splitList } from "./import.fields";
import { type ImportOptions, importOptions, runImport } from "./import.run";
import { signedInCaller } from "./test-context";

type Signed = Awaited<ReturnType<typeof signedInCaller>>;

let handle: DbHandle;
let owner: Signed;

const opts = (o: Partial<ImportOptions> = {}) => importOptions.parse(o);
const source = (text: string) => ({ body: Readable.from([Buffer.from(text)]), maxBytes: 1024 * 1024 });
const actorOf = (s: Signed, role: "owner" | "member" = "owner") => ({ orgId: s.org.id, userId: s.user.id, role });

/** The custom fields every organization of these tests has on its contacts. */
async function defineContactFields(s: Signed) {
  const crm = s.caller.crm.customFields;
  await crm.create({ entityType: "contact", key: "seats", label: "Seats", type: "number" });
  await crm.create({ entityType: "contact", key: "renewal", label: "Renewal date", type: "date" });
  await crm.create({ entityType: "contact", key: "tier", label: "Tier", type: "select", options: ["Gold", "Silver"] });
  await crm.create({
    entityType: "contact",
    key: "channels",
    label: "Channels",
    type: "multi_select",
    options: ["Email", "Phone", "Events"],
  });
  await crm.create({ entityType: "contact", key: "vip", label: "VIP", type: "checkbox" });
  await crm.create({ entityType: "contact", key: "profile", label: "Profile", type: "url" });
  await crm.create({ entityType: "contact", key: "source", label: "Lead source", type: "text" });
}

async function contactsOf(s: Signed) {
  const page = await s.caller.crm.contacts.list({ limit: 100, sort: "oldest" });
  return page.items;
}

async function jobErrors(id: string) {
  const [job] = await handle.db.select().from(importJobs).where(eq(importJobs.id, id));
  return job?.errors ?? [];
}

beforeAll(async () => {
  handle = await createTestDb();
  owner = await signedInCaller(handle.db, "Extras Org");
  await defineContactFields(owner);
  await owner.caller.crm.tags.create({ name: "Customer" });
});
afterAll(async () => {
  await handle?.close();
});

describe("import of tags and custom fields", () => {
  it("maps custom field columns by label or key, before the built-in spellings", () => {
    const customFields = [
      { id: "1", key: "renewal", label: "Renewal date", type: "date" as const, options: null },
      { id: "2", key: "rank", label: "Title", type: "text" as const, options: null },
    ];
    const { mapping } = mapHeaders(
      "contacts",
      ["First name", "Tags", "renewal", "Title", "Job title", "customFields.rank"],
      {},
      customFields,
    );
    // "Title" is the custom field's label, so it no longer falls to the job title's alias; the
    // second column naming the same custom field is ignored.
    expect(mapping).toEqual(["firstName", "tags", "customFields.renewal", "customFields.rank", "jobTitle", null]);
    const { problems } = mapHeaders("contacts", ["A"], { A: "customFields.nope" }, customFields);
    expect(problems[0]).toMatch(/not a contacts field/);
    expect(splitList("a, b;c ; ;C", "semicolonOrComma")).toEqual(["a, b", "c"]);
    expect(splitList("a, b,A", "semicolonOrComma")).toEqual(["a", "b"]);
    expect([
      parseNumber("1,234.5"),
      parseNumber("-3"),
      parseNumber("1 000"),
      parseNumber("1,5"),
      parseNumber(""),
    ]).toEqual([1234.5, -3, 1000, null, null]);
  });

  it("dry-runs invalid values as per-row errors naming the field, for every type", async () => {
    const csv = [
      "First name,Seats,Renewal date,Tier,Channels,VIP,Profile,Tags",
      "Ok,12,2026-03-01,gold,email; phone,yes,https://example.com/ok,vip; Customer",
      "BadNumber,twelve,,,,,,",
      "BadDate,,2026-02-30,,,,,",
      "BadSelect,,,Bronze,,,,",
      "BadMulti,,,,Email;Fax,,,",
      "BadCheckbox,,,,,maybe,,",
      "BadUrl,,,,,,ftp://example.com,",
      `BadTag,,,,,,,${"x".repeat(51)}`,
      ",,,,,,,",
    ].join("\n");
    const result = await runImport(handle.db, actorOf(owner), "contacts", source(csv), opts({ dryRun: true }));
    if (!result.dryRun) throw new Error("expected a dry run");
    expect(result.mapping).toMatchObject({
      Seats: "customFields.seats",
      "Renewal date": "customFields.renewal",
      Tags: "tags",
      VIP: "customFields.vip",
    });
    expect(result.rows).toHaveLength(1);
    expect(result.rows[0]).toMatchObject({
      tags: ["vip", "Customer"],
      customFields: {
        seats: 12,
        renewal: "2026-03-01",
        tier: "Gold",
        channels: ["Email", "Phone"],
        vip: true,
        profile: "https://example.com/ok",
      },
    });
    expect(result.errors.map((e) => [e.row, e.issues.map((i) => i.field)])).toEqual([
      [2, ["customFields.seats"]],
      [3, ["customFields.renewal"]],
      [4, ["customFields.tier"]],
      [5, ["customFields.channels"]],
      [6, ["customFields.vip"]],
      [7, ["customFields.profile"]],
      [8, ["tags"]],
      [9, ["firstName"]],
    ]);
    expect(result.errors[2]?.message).toBe("customFields.tier: Choose one of: Gold, Silver.");
    expect(result.errors[3]?.message).toMatch(/Not an option: Fax/);
    const tagRows = await handle.db.select().from(tags).where(eq(tags.orgId, owner.org.id));
    expect(tagRows.map((t) => t.name)).toEqual(["Customer"]);
  });

  it("a dry run reports unmapped required fields instead of refusing the file", async () => {
    const result = await runImport(
      handle.db,
      actorOf(owner),
      "contacts",
      source("Vorname,Mail\nAda,ada@example.com\n"),
      opts({ dryRun: true }),
    );
    expect(result).toMatchObject({ dryRun: true, missing: ["firstName"], rows: [], errors: [] });
    const mapped = await runImport(
      handle.db,
      actorOf(owner),
      "contacts",
      source("Vorname,Mail\nAda,ada@example.com\n"),
      opts({ dryRun: true, mapping: { Vorname: "firstName", Mail: "email" } }),
    );
    expect(mapped).toMatchObject({ missing: [], rows: [{ row: 1, action: "create" }] });
  });

  it("imports tags (creating the missing ones once) and typed values; bad rows go to the report", async () => {
    const csv = [
      "First name,Email,Tags,Seats,Channels,VIP,Tier",
      "Ada,ada@example.com,customer; New Tag,5,Email;Events,TRUE,Silver",
      "Bob,bob@example.com,new tag,1e3,,0,",
      "Cy,cy@example.com,,not a number,,,",
      "Dee,dee@example.com,Other,,,no,gold",
    ].join("\n");
    const result = await runImport(handle.db, actorOf(owner), "contacts", source(csv), opts(), { batchSize: 2 });
    if (result.dryRun) throw new Error("not a dry run");
    expect(result.job).toMatchObject({ inserted: 3, failed: 1, status: "completed" });
    const tagRows = await handle.db.select().from(tags).where(eq(tags.orgId, owner.org.id)).orderBy(tags.name);
    expect(tagRows.map((t) => t.name)).toEqual(["Customer", "New Tag", "Other"]);

    const byName = new Map((await contactsOf(owner)).map((c) => [c.firstName, c]));
    const ada = byName.get("Ada");
    expect(ada?.tags.map((t) => t.name).sort()).toEqual(["Customer", "New Tag"]);
    expect(ada?.customFields).toEqual({ seats: 5, channels: ["Email", "Events"], vip: true, tier: "Silver" });
    expect(byName.get("Bob")?.tags.map((t) => t.name)).toEqual(["New Tag"]);
    expect(byName.get("Bob")?.customFields).toEqual({ seats: 1000, vip: false });
    expect(byName.get("Dee")?.customFields).toEqual({ vip: false, tier: "Gold" });
    expect(byName.has("Cy")).toBe(false);

    const report = parse(
      [...importErrorReport(csv.split("\n")[0]!.split(","), await jobErrors(result.job.id))].join(""),
      {
        bom: true,
      },
    );
    expect(report[1]).toEqual([
      "3",
      "customFields.seats: Expected a number like 1234.5.",
      "Cy",
      "cy@example.com",
      "",
      "not a number",
      "",
      "",
      "",
    ]);
  });

  it("a member's rows naming tags the organization lacks fail; known tags still apply", async () => {
    const member = await signedInCaller(handle.db, "Extras Org", "member", owner.org.id);
    const tagsHint = async (s: Signed) =>
      (await s.caller.crm.imports.fields({ kind: "contacts" })).targets.find((t) => t.name === "tags")?.hint;
    expect(await tagsHint(owner)).toMatch(/you don’t have yet are created/);
    expect(await tagsHint(member)).toMatch(/Existing tags only/);
    const csv = "First name,Tags\nKnown,customer\nUnknown,Brand new; Customer\n";
    const result = await runImport(handle.db, actorOf(member, "member"), "contacts", source(csv), opts());
    if (result.dryRun) throw new Error("not a dry run");
    expect(result.job).toMatchObject({ inserted: 1, failed: 1 });
    expect((await jobErrors(result.job.id))[0]).toMatchObject({
      row: 2,
      message: "tags: No tag named “Brand new”; an owner or admin must create it first.",
    });
    const tagRows = await handle.db.select().from(tags).where(eq(tags.orgId, owner.org.id));
    expect(tagRows.map((t) => t.name)).not.toContain("Brand new");
  });

  it("dedupe update replaces the tags given, sets the values given, keeps the rest, records history", async () => {
    const csv =
      "Email,First name,Tags,Seats,Lead source\nada@example.com,Ada,Other,7,Fair\nada@example.com,Ada,Other;Customer,,\n";
    const result = await runImport(handle.db, actorOf(owner), "contacts", source(csv), opts({ dedupe: "update" }));
    if (result.dryRun) throw new Error("not a dry run");
    expect(result.job).toMatchObject({ updated: 2, inserted: 0, failed: 0 });
    const ada = (await contactsOf(owner)).find((c) => c.firstName === "Ada");
    // The repeat's tags win; its empty cells leave the first row's values and the older ones alone.
    expect(ada?.tags.map((t) => t.name).sort()).toEqual(["Customer", "Other"]);
    expect(ada?.customFields).toEqual({
      seats: 7,
      channels: ["Email", "Events"],
      vip: true,
      tier: "Silver",
      source: "Fair",
    });
    const history = await handle.db
      .select({ field: recordHistory.field, oldValue: recordHistory.oldValue, newValue: recordHistory.newValue })
      .from(recordHistory)
      .where(and(eq(recordHistory.entityId, ada!.id)))
      .orderBy(recordHistory.id);
    expect(history.map((h) => h.field)).toEqual(["created", "tags", "customFields.seats", "customFields.source"]);
    expect(history[2]).toMatchObject({ oldValue: 5, newValue: 7 });
  });
});

describe("export of tags and custom fields, imported back", () => {
  it("names a custom field column by its key when its label could mean another column", () => {
    const headers = customFieldHeaders("contacts", [
      { key: "seats", label: "Seats", type: "number" },
      { key: "rank", label: "Email", type: "text" },
      { key: "created_on", label: "Created", type: "date" },
      { key: "a", label: "Region", type: "text" },
      { key: "b", label: "Region", type: "text" },
    ]);
    expect(headers).toEqual([
      "Seats",
      "customFields.rank",
      "customFields.created_on",
      "customFields.a",
      "customFields.b",
    ]);
  });

  it("round trip: what one organization exports, another imports with the same values", async () => {
    const crm = owner.caller.crm;
    // Companies and deals carry tags and custom fields too.
    await crm.customFields.create({ entityType: "company", key: "employees", label: "Employees", type: "number" });
    await crm.customFields.create({ entityType: "deal", key: "signed", label: "Signed", type: "checkbox" });
    await crm.customFields.create({ entityType: "deal", key: "close_on", label: "Close on", type: "date" });
    const acme = await crm.companies.create({
      name: "Acme, Inc",
      domain: "acme.example",
      customFields: { employees: 250 },
    });
    const acmeTag = await crm.tags.create({ name: "Key, Account" });
    await crm.tags.set({ entityType: "company", entityId: acme.id, tagIds: [acmeTag.id] });
    const special = await crm.contacts.create({
      firstName: "=Formula",
      lastName: 'Quote "Q", Comma',
      email: "q@example.com",
      customFields: {
        seats: -3,
        renewal: "2027-01-31",
        tier: "Gold",
        channels: ["Phone", "Email"],
        vip: false,
        profile: "https://example.com/q?a=1,b=2",
        source: "+Referral, partner",
      },
    });
    await crm.tags.set({ entityType: "contact", entityId: special.id, tagIds: [acmeTag.id] });
    const pipeline = await crm.pipelines.create({ name: "Sales" });
    const won = pipeline.stages.find((s) => s.name === "Won")!;
    const deal = await crm.deals.create({
      title: "Renewal 2027",
      amountMinor: 123456,
      currency: "USD",
      stageId: won.id,
      customFields: { signed: true, close_on: "2027-02-01" },
    });
    await crm.tags.set({ entityType: "deal", entityId: deal.id, tagIds: [acmeTag.id] });

    const other = await signedInCaller(handle.db, "Round Trip Org");
    await defineContactFields(other);
    await other.caller.crm.customFields.create({
      entityType: "company",
      key: "employees",
      label: "Employees",
      type: "number",
    });
    await other.caller.crm.customFields.create({
      entityType: "deal",
      key: "signed",
      label: "Signed",
      type: "checkbox",
    });
    await other.caller.crm.customFields.create({
      entityType: "deal",
      key: "close_on",
      label: "Close on",
      type: "date",
    });
    await other.caller.crm.pipelines.create({ name: "Sales" });

    const entity = { contacts: "contact", companies: "company", deals: "deal" } as const;
    async function exported(kind: ExportKind): Promise<string> {
      const [customFields, pipelines] = await Promise.all([
        crm.customFields.list({ entityType: entity[kind] }),
        crm.pipelines.list(),
      ]);
      const names = new Map(
        pipelines.flatMap((p) => [[p.id, p.name] as const, ...p.stages.map((s) => [s.id, s.name] as const)]),
      );
      const list = (cursor: string | null) => crm[kind].list({ cursor, limit: 2 }) as Promise<ListPage>;
      let text = "";
      for await (const chunk of exportCsv(kind, list, { customFields, names })) text += chunk;
      return text;
    }
    // Companies first: contacts refer to theirs by name.
    for (const kind of ["companies", "contacts", "deals"] as const) {
      const result = await runImport(handle.db, actorOf(other), kind, source(await exported(kind)), opts());
      if (result.dryRun) throw new Error("not a dry run");
      expect(result.job.failed, `${kind}: ${JSON.stringify(await jobErrors(result.job.id))}`).toBe(0);
    }

    const comparable = (items: { tags: { name: string }[]; customFields: Record<string, unknown> }[], key: string) =>
      items
        .map((item) => ({
          key: (item as unknown as Record<string, unknown>)[key],
          tags: item.tags.map((t) => t.name).sort(),
          customFields: item.customFields,
        }))
        .sort((a, b) => String(a.key).localeCompare(String(b.key)));
    const [mine, theirs] = await Promise.all([contactsOf(owner), contactsOf(other)]);
    expect(theirs.length).toBe(mine.length);
    expect(comparable(theirs, "email")).toEqual(comparable(mine, "email"));
    const q = theirs.find((c) => c.email === "q@example.com");
    expect(q).toMatchObject({ firstName: "=Formula", lastName: 'Quote "Q", Comma', companyName: null });

    const [myCompanies, theirCompanies] = await Promise.all([
      crm.companies.list({ limit: 100 }),
      other.caller.crm.companies.list({ limit: 100 }),
    ]);
    expect(comparable(theirCompanies.items, "domain")).toEqual(comparable(myCompanies.items, "domain"));
    expect(theirCompanies.items[0]).toMatchObject({ name: "Acme, Inc", customFields: { employees: 250 } });

    const [myDeals, theirDeals] = await Promise.all([
      crm.deals.list({ limit: 100 }),
      other.caller.crm.deals.list({ limit: 100 }),
    ]);
    expect(comparable(theirDeals.items, "title")).toEqual(comparable(myDeals.items, "title"));
    expect(theirDeals.items[0]).toMatchObject({ amountMinor: 123456, currency: "USD", status: "won" });
  });
});
