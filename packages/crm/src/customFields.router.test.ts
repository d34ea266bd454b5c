import type { DbHandle } from "@nexo/db";
import { createTestDb } from "@nexo/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signedInCaller } from "./test-context";
import { expectTrpcError, fieldPaths, historyOf } from "./test-helpers";

type Caller = Awaited<ReturnType<typeof signedInCaller>>["caller"];

describe("crm.customFields", () => {
  let handle: DbHandle;
  let a: Caller;
  let b: Caller;

  beforeAll(async () => {
    handle = await createTestDb();
    a = (await signedInCaller(handle.db, "Org A")).caller;
    b = (await signedInCaller(handle.db, "Org B")).caller;
    await a.crm.customFields.create({ entityType: "contact", key: "nickname", label: "Nickname", type: "text" });
    await a.crm.customFields.create({ entityType: "contact", key: "score", label: "Score", type: "number" });
    await a.crm.customFields.create({ entityType: "contact", key: "renewal", label: "Renewal", type: "date" });
    await a.crm.customFields.create({
      entityType: "contact",
      key: "tier",
      label: "Tier",
      type: "select",
      options: ["gold", "silver"],
    });
    await a.crm.customFields.create({
      entityType: "contact",
      key: "channels",
      label: "Channels",
      type: "multi_select",
      options: ["email", "phone", "post"],
    });
    await a.crm.customFields.create({ entityType: "contact", key: "vip", label: "VIP", type: "checkbox" });
    await a.crm.customFields.create({ entityType: "contact", key: "site", label: "Site", type: "url" });
  });
  afterAll(async () => {
    await handle?.close();
  });

  it("defines fields per kind of record, in order, with keys unique per organization and kind", async () => {
    const contactFields = await a.crm.customFields.list({ entityType: "contact" });
    expect(contactFields.map((f) => [f.key, f.type, f.position])).toEqual([
      ["nickname", "text", 0],
      ["score", "number", 1],
      ["renewal", "date", 2],
      ["tier", "select", 3],
      ["channels", "multi_select", 4],
      ["vip", "checkbox", 5],
      ["site", "url", 6],
    ]);
    await expectTrpcError(
      a.crm.customFields.create({ entityType: "contact", key: "score", label: "Again", type: "text" }),
      "CONFLICT",
    );
    // The same key on another kind of record, or in another organization, is a different field.
    const dealScore = await a.crm.customFields.create({ entityType: "deal", key: "score", label: "S", type: "number" });
    expect(dealScore.position).toBe(0);
    await b.crm.customFields.create({ entityType: "contact", key: "score", label: "B score", type: "text" });
    expect((await a.crm.customFields.list()).filter((f) => f.key === "score").map((f) => f.entityType)).toEqual([
      "contact",
      "deal",
    ]);
  });

  it("renames, changes options, reorders and deletes; deleting a field deletes its values", async () => {
    const temp = await a.crm.customFields.create({ entityType: "company", key: "temp", label: "Temp", type: "text" });
    const kind = await a.crm.customFields.create({
      entityType: "company",
      key: "kind",
      label: "Kind",
      type: "select",
      options: ["a", "b"],
    });
    expect(await a.crm.customFields.update({ id: kind.id, label: "Sort", options: ["a", "b", "c"] })).toMatchObject({
      label: "Sort",
      options: ["a", "b", "c"],
      key: "kind",
    });
    const bad = await expectTrpcError(a.crm.customFields.update({ id: temp.id, options: ["x"] }), "BAD_REQUEST");
    expect(fieldPaths(bad)).toEqual(["options"]);
    await expectTrpcError(a.crm.customFields.update({ id: temp.id }), "BAD_REQUEST");

    const reordered = await a.crm.customFields.reorder({ entityType: "company", ids: [kind.id, temp.id] });
    expect(reordered.map((f) => f.key)).toEqual(["kind", "temp"]);
    await expectTrpcError(a.crm.customFields.reorder({ entityType: "company", ids: [kind.id] }), "BAD_REQUEST");
    await expectTrpcError(
      a.crm.customFields.reorder({ entityType: "company", ids: [kind.id, temp.id, crypto.randomUUID()] }),
      "NOT_FOUND",
    );

    const company = await a.crm.companies.create({ name: "Fielded", customFields: { temp: "x", kind: "c" } });
    expect(company.customFields).toEqual({ kind: "c", temp: "x" });
    expect(await a.crm.customFields.delete({ id: temp.id })).toEqual({ id: temp.id });
    expect((await a.crm.companies.get({ id: company.id })).customFields).toEqual({ kind: "c" });
    await expectTrpcError(a.crm.customFields.delete({ id: temp.id }), "NOT_FOUND");
  });

  it("rejects malformed definitions with field-level issues", async () => {
    const noOptions = await expectTrpcError(
      a.crm.customFields.create({ entityType: "contact", key: "pick", label: "Pick", type: "select" }),
      "BAD_REQUEST",
    );
    expect(fieldPaths(noOptions)).toEqual(["options"]);
    const many = await expectTrpcError(
      a.crm.customFields.create({
        entityType: "lead" as never,
        key: "Bad Key",
        label: "",
        type: "text",
        options: ["x", "x"],
      }),
      "BAD_REQUEST",
    );
    expect(fieldPaths(many).sort()).toEqual(["entityType", "key", "label", "options"]);
  });

  it("lets everyone read definitions but only owners and admins change them", async () => {
    const owner = await signedInCaller(handle.db, "Roles Org");
    const member = await signedInCaller(handle.db, "", "member", owner.org.id);
    const viewer = await signedInCaller(handle.db, "", "viewer", owner.org.id);
    const admin = await signedInCaller(handle.db, "", "admin", owner.org.id);
    const field = await admin.caller.crm.customFields.create({
      entityType: "deal",
      key: "region",
      label: "Region",
      type: "text",
    });
    expect((await viewer.caller.crm.customFields.list()).map((f) => f.id)).toEqual([field.id]);
    await expectTrpcError(
      member.caller.crm.customFields.create({ entityType: "deal", key: "x", label: "X", type: "text" }),
      "FORBIDDEN",
    );
    await expectTrpcError(member.caller.crm.customFields.update({ id: field.id, label: "Y" }), "FORBIDDEN");
    await expectTrpcError(member.caller.crm.customFields.delete({ id: field.id }), "FORBIDDEN");
    await expectTrpcError(viewer.caller.crm.customFields.reorder({ entityType: "deal", ids: [field.id] }), "FORBIDDEN");
    // Members set values on the records they edit.
    const stage = (await owner.caller.crm.pipelines.create({ name: "P" })).stages[0]!;
    const deal = await member.caller.crm.deals.create({
      title: "D",
      currency: "EUR",
      stageId: stage.id,
      customFields: { region: "North" },
    });
    expect(deal.customFields).toEqual({ region: "North" });
  });

  it("stores typed values with the record, returns them from get, list and update, and records the changes", async () => {
    const created = await a.crm.contacts.create({
      firstName: "Valued",
      customFields: {
        nickname: "  Val ",
        score: 4.5,
        renewal: "2026-03-01",
        tier: "gold",
        channels: ["phone", "email", "phone"],
        vip: true,
        site: "https://val.example.com/x",
      },
    });
    const expected = {
      nickname: "Val",
      score: 4.5,
      renewal: "2026-03-01",
      tier: "gold",
      channels: ["phone", "email"],
      vip: true,
      site: "https://val.example.com/x",
    };
    expect(created.customFields).toEqual(expected);
    expect((await a.crm.contacts.get({ id: created.id })).customFields).toEqual(expected);
    const listed = await a.crm.contacts.list({ search: "valued" });
    expect(listed.items.map((c) => c.customFields)).toEqual([expected]);

    // Only custom fields: the contact's own fields stay, null and "" clear values.
    const updated = await a.crm.contacts.update({
      id: created.id,
      customFields: { score: 5, nickname: "", tier: null, channels: [] },
    });
    expect(updated.customFields).toEqual({
      score: 5,
      renewal: "2026-03-01",
      vip: true,
      site: "https://val.example.com/x",
    });
    expect(updated.firstName).toBe("Valued");

    const history = (await historyOf(handle.db, "contact", created.id)).filter((h) =>
      h.field.startsWith("customFields."),
    );
    expect(history).toEqual(
      expect.arrayContaining([
        { field: "customFields.score", oldValue: null, newValue: 4.5 },
        { field: "customFields.score", oldValue: 4.5, newValue: 5 },
        { field: "customFields.nickname", oldValue: "Val", newValue: null },
        { field: "customFields.tier", oldValue: "gold", newValue: null },
        { field: "customFields.channels", oldValue: ["phone", "email"], newValue: null },
      ]),
    );
    expect(history).toHaveLength(7 + 4);
  });

  it("refuses values that do not fit their field, at customFields.<key>, and writes nothing", async () => {
    const contact = await a.crm.contacts.create({ firstName: "Strict", customFields: { score: 1 } });
    const error = await expectTrpcError(
      a.crm.contacts.update({
        id: contact.id,
        firstName: "Changed",
        customFields: {
          nope: "x",
          score: "ten",
          renewal: "2026-02-30",
          tier: "bronze",
          channels: ["email", "fax"],
          vip: "yes",
          site: "javascript:alert(1)",
          nickname: 3,
        },
      }),
      "BAD_REQUEST",
    );
    expect(fieldPaths(error).sort()).toEqual(
      [
        "customFields.channels",
        "customFields.nickname",
        "customFields.nope",
        "customFields.renewal",
        "customFields.score",
        "customFields.site",
        "customFields.tier",
        "customFields.vip",
      ].sort(),
    );
    const after = await a.crm.contacts.get({ id: contact.id });
    expect(after.firstName).toBe("Strict");
    expect(after.customFields).toEqual({ score: 1 });
    await expectTrpcError(a.crm.contacts.create({ firstName: "No", customFields: { score: "1" } }), "BAD_REQUEST");
    expect((await a.crm.contacts.list({ search: "No" })).items.filter((c) => c.firstName === "No")).toEqual([]);
    // A key of another kind of record or another organization is unknown here.
    const deal = await expectTrpcError(
      a.crm.companies.create({ name: "C", customFields: { score: 1 } }),
      "BAD_REQUEST",
    );
    expect(fieldPaths(deal)).toEqual(["customFields.score"]);
    // Text is bounded in bytes too (its index entry is): 2,000 CJK characters are about 6,000.
    let cjk = "";
    for (let i = 0; i < 2000; i++) cjk += String.fromCharCode(0x4e00 + ((i * 7919) % 20000));
    const long = await expectTrpcError(
      a.crm.contacts.create({ firstName: "Long", customFields: { nickname: cjk } }),
      "BAD_REQUEST",
    );
    expect(fieldPaths(long)).toEqual(["customFields.nickname"]);
    const fits = await a.crm.contacts.create({ firstName: "Long", customFields: { nickname: cjk.slice(0, 800) } });
    expect(fits.customFields).toEqual({ nickname: cjk.slice(0, 800) });
  });

  it("filters lists by a custom field, returning exactly the matching records", async () => {
    const { caller: c } = await signedInCaller(handle.db, "Filter Org");
    for (const [key, type, options] of [
      ["label", "text", undefined],
      ["size", "number", undefined],
      ["due", "date", undefined],
      ["tier", "select", ["gold", "silver"]],
      ["tags", "multi_select", ["a", "b", "c"]],
      ["active", "checkbox", undefined],
    ] as const) {
      await c.crm.customFields.create({
        entityType: "contact",
        key,
        label: key,
        type,
        ...(options ? { options: [...options] } : {}),
      });
    }
    const make = (firstName: string, customFields: Record<string, unknown>) =>
      c.crm.contacts.create({ firstName, customFields: customFields as never });
    await make("One", {
      label: "Alpha Beta",
      size: 10,
      due: "2026-01-10",
      tier: "gold",
      tags: ["a", "b"],
      active: true,
    });
    await make("Two", { label: "beta", size: 20, due: "2026-02-10", tier: "silver", tags: ["b"], active: false });
    await make("Three", { label: "Gamma", size: 30, due: "2026-03-10", tags: ["c"] });
    await make("Four", {});

    const names = async (customField: unknown) =>
      (await c.crm.contacts.list({ customField: customField as never, sort: "name" })).items
        .map((x) => x.firstName)
        .sort();
    expect(await names({ key: "label", op: "eq", value: "beta" })).toEqual(["Two"]);
    expect(await names({ key: "label", op: "contains", value: "BETA" })).toEqual(["One", "Two"]);
    expect(await names({ key: "label", op: "in", value: ["Gamma", "beta"] })).toEqual(["Three", "Two"]);
    expect(await names({ key: "size", op: "gt", value: 10 })).toEqual(["Three", "Two"]);
    expect(await names({ key: "size", op: "lt", value: 20 })).toEqual(["One"]);
    expect(await names({ key: "size", op: "eq", value: 30 })).toEqual(["Three"]);
    expect(await names({ key: "size", op: "in", value: [10, 30] })).toEqual(["One", "Three"]);
    expect(await names({ key: "due", op: "gt", value: "2026-01-10" })).toEqual(["Three", "Two"]);
    expect(await names({ key: "due", op: "lt", value: "2026-02-11" })).toEqual(["One", "Two"]);
    expect(await names({ key: "tier", op: "eq", value: "gold" })).toEqual(["One"]);
    expect(await names({ key: "tags", op: "contains", value: "b" })).toEqual(["One", "Two"]);
    expect(await names({ key: "tags", op: "in", value: ["a", "c"] })).toEqual(["One", "Three"]);
    expect(await names({ key: "tags", op: "eq", value: ["b", "a"] })).toEqual(["One"]);
    expect(await names({ key: "active", op: "eq", value: true })).toEqual(["One"]);
    expect(await names({ key: "active", op: "eq", value: false })).toEqual(["Four", "Three", "Two"]);
    const counted = await c.crm.contacts.list({ customField: { key: "size", op: "gt", value: 10 } });
    expect(counted.count).toEqual({ value: 2, exact: true });

    const unknown = await expectTrpcError(
      c.crm.contacts.list({ customField: { key: "nope", op: "eq", value: "x" } }),
      "BAD_REQUEST",
    );
    expect(fieldPaths(unknown)).toEqual(["customField.key"]);
    for (const misfit of [
      { key: "size", op: "contains", value: "1" },
      { key: "label", op: "gt", value: "a" },
      { key: "due", op: "eq", value: "tomorrow" },
      { key: "active", op: "in", value: ["true"] },
    ]) {
      const error = await expectTrpcError(c.crm.contacts.list({ customField: misfit as never }), "BAD_REQUEST");
      expect(fieldPaths(error)).toEqual(["customField.value"]);
    }
  });

  it("matches text with contains ignoring case and accents, wildcards taken literally", async () => {
    const { caller } = await signedInCaller(handle.db, "Accents");
    await caller.crm.customFields.create({ entityType: "contact", key: "office", label: "Office", type: "text" });
    for (const [firstName, office] of [
      ["Zu", "Zürich Hauptbahnhof"],
      ["Ma", "MÁLAGA"],
      ["Pc", "100% remote"],
      ["Ot", "Oslo"],
    ] as const) {
      await caller.crm.contacts.create({ firstName, customFields: { office } });
    }
    const names = async (value: string) =>
      (await caller.crm.contacts.list({ customField: { key: "office", op: "contains", value } })).items
        .map((x) => x.firstName)
        .sort();
    expect(await names("zurich")).toEqual(["Zu"]);
    expect(await names("ZÜRICH HAUPT")).toEqual(["Zu"]);
    expect(await names("malaga")).toEqual(["Ma"]);
    expect(await names("0%")).toEqual(["Pc"]);
    expect(await names("%")).toEqual(["Pc"]);
    expect(await names("_")).toEqual([]);
  });

  it("filters companies and deals too, and never across organizations", async () => {
    const { caller: c } = await signedInCaller(handle.db, "Records Org");
    await c.crm.customFields.create({ entityType: "company", key: "region", label: "Region", type: "text" });
    await c.crm.customFields.create({ entityType: "deal", key: "priority", label: "Priority", type: "number" });
    const north = await c.crm.companies.create({ name: "North Co", customFields: { region: "north" } });
    await c.crm.companies.create({ name: "South Co", customFields: { region: "south" } });
    const companies = await c.crm.companies.list({ customField: { key: "region", op: "eq", value: "north" } });
    expect(companies.items.map((x) => x.id)).toEqual([north.id]);
    expect(companies.items[0]?.customFields).toEqual({ region: "north" });
    expect((await c.crm.companies.overview({ id: north.id })).company.customFields).toEqual({ region: "north" });

    const stage = (await c.crm.pipelines.create({ name: "Sales" })).stages[0]!;
    const high = await c.crm.deals.create({
      title: "High",
      currency: "EUR",
      stageId: stage.id,
      customFields: { priority: 3 },
    });
    const low = await c.crm.deals.create({ title: "Low", currency: "EUR", stageId: stage.id });
    await c.crm.deals.update({ id: low.id, customFields: { priority: 1 } });
    const deals = await c.crm.deals.list({ customField: { key: "priority", op: "gt", value: 2 } });
    expect(deals.items.map((x) => x.id)).toEqual([high.id]);
    expect((await c.crm.deals.get({ id: low.id })).customFields).toEqual({ priority: 1 });

    // Org A's contacts carry "score" too; this organization has no such field.
    await expectTrpcError(c.crm.contacts.list({ customField: { key: "score", op: "gt", value: 0 } }), "BAD_REQUEST");
  });

  it("keeps each organization's definitions to itself", async () => {
    const [foreign] = await b.crm.customFields.list();
    expect(foreign).toBeDefined();
    expect((await a.crm.customFields.list()).map((f) => f.id)).not.toContain(foreign!.id);
    await expectTrpcError(a.crm.customFields.update({ id: foreign!.id, label: "Mine" }), "NOT_FOUND");
    await expectTrpcError(a.crm.customFields.delete({ id: foreign!.id }), "NOT_FOUND");
    await expectTrpcError(a.crm.customFields.reorder({ entityType: "contact", ids: [foreign!.id] }), "NOT_FOUND");
    expect((await b.crm.customFields.list())[0]).toEqual(foreign);
  });
});
