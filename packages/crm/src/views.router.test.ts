import { type DbHandle, eq, organizations, sql } from "@nexo/db";
import { createTestDb } from "@nexo/db/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { signedInCaller } from "./test-context";
import { expectTrpcError, fieldPaths, holdOpen, sessionsWaitingForLocks } from "./test-helpers";

type Signed = Awaited<ReturnType<typeof signedInCaller>>;

describe("crm.views", () => {
  let handle: DbHandle;
  let owner: Signed;
  let admin: Signed;
  let member: Signed;
  let other: Signed;
  let foreign: Signed;

  beforeAll(async () => {
    handle = await createTestDb();
    owner = await signedInCaller(handle.db, "Views Org");
    admin = await signedInCaller(handle.db, "", "admin", owner.org.id);
    member = await signedInCaller(handle.db, "", "member", owner.org.id);
    other = await signedInCaller(handle.db, "", "member", owner.org.id);
    foreign = await signedInCaller(handle.db, "Other Org");
  });
  afterAll(async () => {
    await handle?.close();
  });

  it("saves a view whose filters and sort the list takes back unchanged, and finds exactly its rows", async () => {
    const c = member.caller;
    await owner.caller.crm.customFields.create({ entityType: "contact", key: "vip", label: "VIP", type: "checkbox" });
    await c.crm.contacts.create({ firstName: "Cust", lifecycleStage: "customer", customFields: { vip: true } });
    await c.crm.contacts.create({ firstName: "Cust2", lifecycleStage: "customer" });
    await c.crm.contacts.create({ firstName: "Lead", lifecycleStage: "lead", customFields: { vip: true } });
    const view = await c.crm.views.create({
      entityType: "contact",
      name: "  VIP customers ",
      filters: {
        lifecycleStage: "customer",
        createdAt: { from: new Date("2020-01-01") },
        customField: { key: "vip", op: "eq", value: true },
      },
      sort: "name",
      columns: ["firstName", "email", "customFields.vip"],
    });
    expect(view).toMatchObject({
      entityType: "contact",
      name: "VIP customers",
      sort: "name",
      shared: false,
      columns: ["firstName", "email", "customFields.vip"],
      userId: member.user.id,
    });
    const [listed] = await c.crm.views.list({ entityType: "contact" });
    expect(listed).toEqual(view);
    // What was stored is a valid list input as it is (dates come back as ISO text).
    const page = await c.crm.contacts.list({ ...(listed!.filters as object), sort: listed!.sort as "name" });
    expect(page.items.map((x) => x.firstName)).toEqual(["Cust"]);
    expect(await c.crm.views.list({ entityType: "deal" })).toEqual([]);
  });

  it("rejects filters and sorts the list would not take, with field paths", async () => {
    const c = member.caller;
    const bad = await expectTrpcError(
      c.crm.views.create({
        entityType: "contact",
        name: "",
        filters: { ownerId: "me", lifecycleStage: "vip" as never, createdAt: { from: "soon" } as never },
        sort: "stage" as never,
        columns: ["bad column"],
      }),
      "BAD_REQUEST",
    );
    expect(fieldPaths(bad).sort()).toEqual(
      ["columns.0", "filters.createdAt.from", "filters.lifecycleStage", "filters.ownerId", "name", "sort"].sort(),
    );
    // A company list has no lifecycle sort; deals sort only by age.
    const sortIssue = await expectTrpcError(
      c.crm.views.create({ entityType: "deal", name: "x", sort: "name" as never }),
      "BAD_REQUEST",
    );
    expect(fieldPaths(sortIssue)).toEqual(["sort"]);

    const view = await c.crm.views.create({ entityType: "company", name: "Companies" });
    expect(view).toMatchObject({ filters: {}, sort: "newest" });
    const update = await expectTrpcError(
      c.crm.views.update({ id: view.id, filters: { tagId: "nope", customField: { key: "x", op: "near" } }, sort: "x" }),
      "BAD_REQUEST",
    );
    expect(fieldPaths(update).sort()).toEqual(
      ["filters.customField.op", "filters.customField.value", "filters.tagId", "sort"].sort(),
    );
    const updated = await c.crm.views.update({
      id: view.id,
      filters: { industry: "Retail" },
      sort: "name",
      shared: true,
    });
    expect(updated).toMatchObject({ filters: { industry: "Retail" }, sort: "name", shared: true, name: "Companies" });
    await expectTrpcError(c.crm.views.update({ id: view.id }), "BAD_REQUEST");
  });

  it("lists one's own views and the shared ones; only the owner, or an admin for shared ones, changes them", async () => {
    const mine = await other.caller.crm.views.create({ entityType: "deal", name: "Mine only" });
    const shared = await other.caller.crm.views.create({ entityType: "deal", name: "Team", shared: true });
    const names = async (s: Signed) => (await s.caller.crm.views.list({ entityType: "deal" })).map((v) => v.name);
    expect(await names(other)).toEqual(["Mine only", "Team"]);
    expect(await names(member)).toEqual(["Team"]);
    expect(await names(admin)).toEqual(["Team"]);

    // Someone else's private view does not exist for others, admins included.
    await expectTrpcError(member.caller.crm.views.update({ id: mine.id, name: "Taken" }), "NOT_FOUND");
    await expectTrpcError(admin.caller.crm.views.delete({ id: mine.id }), "NOT_FOUND");
    // A shared view: visible to members but theirs to change only if they made it.
    await expectTrpcError(member.caller.crm.views.update({ id: shared.id, name: "Renamed" }), "FORBIDDEN");
    await expectTrpcError(member.caller.crm.views.delete({ id: shared.id }), "FORBIDDEN");
    expect(await admin.caller.crm.views.update({ id: shared.id, name: "Team board" })).toMatchObject({
      name: "Team board",
      userId: other.user.id,
    });
    expect(await other.caller.crm.views.update({ id: mine.id, shared: true })).toMatchObject({ shared: true });
    expect(await names(member)).toEqual(["Mine only", "Team board"]);
    expect(await admin.caller.crm.views.delete({ id: shared.id })).toEqual({ id: shared.id });
    expect(await other.caller.crm.views.delete({ id: mine.id })).toEqual({ id: mine.id });
    expect(await names(other)).toEqual([]);
    await expectTrpcError(other.caller.crm.views.delete({ id: mine.id }), "NOT_FOUND");
  });

  it("refuses filters naming another organization's records, or ones the caller may not see", async () => {
    const theirTag = await foreign.caller.crm.tags.create({ name: "Theirs" });
    const theirCompany = await foreign.caller.crm.companies.create({ name: "Their Co" });
    const theirContact = await foreign.caller.crm.contacts.create({ firstName: "Their contact" });
    const theirPipeline = await foreign.caller.crm.pipelines.create({ name: "Their pipeline" });
    const c = member.caller;
    const refused = {
      contact: [{ tagId: theirTag.id }, { companyId: theirCompany.id }, { ownerId: foreign.user.id }],
      deal: [
        { contactId: theirContact.id },
        { pipelineId: theirPipeline.id },
        { stageId: theirPipeline.stages[0]!.id },
      ],
    } as const;
    for (const filters of refused.contact) {
      await expectTrpcError(c.crm.views.create({ entityType: "contact", name: "x", filters }), "NOT_FOUND");
    }
    for (const filters of refused.deal) {
      await expectTrpcError(c.crm.views.create({ entityType: "deal", name: "x", filters }), "NOT_FOUND");
    }
    const view = await c.crm.views.create({ entityType: "deal", name: "Ours", filters: { ownerId: owner.user.id } });
    for (const filters of refused.deal) {
      await expectTrpcError(c.crm.views.update({ id: view.id, filters }), "NOT_FOUND");
    }
    expect((await c.crm.views.list({ entityType: "deal" })).find((v) => v.id === view.id)?.filters).toEqual({
      ownerId: owner.user.id,
    });
    expect((await c.crm.views.list({ entityType: "contact" })).filter((v) => v.name === "x")).toEqual([]);

    // Where members see only their own records, another member's company is as unknown as a foreign one.
    const own = await signedInCaller(handle.db, "Own Views Org");
    const alice = await signedInCaller(handle.db, "", "member", own.org.id);
    await handle.db.update(organizations).set({ recordVisibility: "own" }).where(eq(organizations.id, own.org.id));
    const hidden = await own.caller.crm.companies.create({ name: "Owner's" });
    const hers = await alice.caller.crm.companies.create({ name: "Hers" });
    await expectTrpcError(
      alice.caller.crm.views.create({ entityType: "contact", name: "x", filters: { companyId: hidden.id } }),
      "NOT_FOUND",
    );
    const herView = await alice.caller.crm.views.create({
      entityType: "contact",
      name: "Hers",
      filters: { companyId: hers.id },
    });
    expect(herView).toMatchObject({ filters: { companyId: hers.id } });
    // Her company goes to the trash: the view, sent back whole with a new filter, still saves.
    await alice.caller.crm.companies.delete({ id: hers.id });
    expect(
      await alice.caller.crm.views.update({
        id: herView.id,
        filters: { companyId: hers.id, lifecycleStage: "customer" },
      }),
    ).toMatchObject({ filters: { companyId: hers.id, lifecycleStage: "customer" } });
    // A new id it brings is still checked.
    await expectTrpcError(
      alice.caller.crm.views.update({ id: herView.id, filters: { companyId: hidden.id } }),
      "NOT_FOUND",
    );
  });

  it("keeps the saved sort and filters of a view that is only renamed or shared", async () => {
    const view = await member.caller.crm.views.create({
      entityType: "contact",
      name: "By name",
      sort: "name",
      filters: { lifecycleStage: "customer" },
    });
    const renamed = await member.caller.crm.views.update({ id: view.id, name: "Renamed", shared: true });
    expect(renamed).toMatchObject({
      name: "Renamed",
      shared: true,
      sort: "name",
      filters: { lifecycleStage: "customer" },
    });
  });

  it("checks a custom field filter against the field when saved, and drops it when the field is deleted", async () => {
    const c = owner.caller.crm;
    const field = await c.customFields.create({ entityType: "contact", key: "tier", label: "Tier", type: "number" });
    const save = (customField: { key: string; op: "eq" | "contains"; value: number | string }) =>
      member.caller.crm.views.create({ entityType: "contact", name: "Tiered", filters: { customField } });
    const unknown = await expectTrpcError(save({ key: "nosuch", op: "eq", value: 3 }), "BAD_REQUEST");
    expect(fieldPaths(unknown)).toEqual(["customField.key"]);
    const unfit = await expectTrpcError(save({ key: "tier", op: "contains", value: "x" }), "BAD_REQUEST");
    expect(fieldPaths(unfit)).toEqual(["customField.value"]);
    const view = await save({ key: "tier", op: "eq", value: 3 });
    await expectTrpcError(
      member.caller.crm.views.update({ id: view.id, filters: { customField: { key: "nosuch", op: "eq", value: 1 } } }),
      "BAD_REQUEST",
    );
    const kept = await member.caller.crm.views.create({
      entityType: "contact",
      name: "Customers",
      filters: { lifecycleStage: "customer", customField: { key: "tier", op: "eq", value: 3 } },
    });

    await c.customFields.delete({ id: field.id });
    const views = await member.caller.crm.views.list({ entityType: "contact" });
    const after = views.find((v) => v.id === kept.id);
    expect(after?.filters).toEqual({ lifecycleStage: "customer" });
    // What the view holds is an input its list takes.
    await expect(member.caller.crm.contacts.list({ ...after?.filters })).resolves.toBeDefined();
    expect(views.find((v) => v.id === view.id)?.filters).toEqual({});
  });

  it.runIf(process.env.DATABASE_URL)(
    "never keeps a filter on a custom field deleted while the view is being saved",
    async () => {
      const c = owner.caller.crm;
      await c.customFields.create({ entityType: "company", key: "grade", label: "Grade", type: "text" });
      const [field] = (await c.customFields.list({ entityType: "company" })).filter((f) => f.key === "grade");
      const filters = { customField: { key: "grade", op: "eq" as const, value: "A" } };
      const blocker = await member.caller.crm.views.create({ entityType: "company", name: "Blocker", filters });
      // Another transaction holds a view that the deletion's clean-up must change: the deletion waits
      // there, having deleted the field but not yet committed.
      const holder = await holdOpen(handle.db, (tx) =>
        tx.execute(sql`select id from saved_views where id = ${blocker.id} for update`),
      );
      const waiting = () => sessionsWaitingForLocks(handle.db);
      const deletion = c.customFields.delete({ id: field!.id });
      let created: Promise<unknown> | undefined;
      let settled = false;
      try {
        await vi.waitFor(async () => expect(await waiting()).toBe(1));
        // Saved meanwhile, with a filter on that field.
        created = member.caller.crm.views.create({ entityType: "company", name: "Grade A", filters });
        void created.then(
          () => {
            settled = true;
          },
          () => {
            settled = true;
          },
        );
        // It waits for the field (or, unlocked, is saved at once).
        await vi.waitFor(async () => expect(settled || (await waiting()) === 2).toBe(true));
      } finally {
        await holder.release();
      }
      await deletion;
      await expect(created).rejects.toMatchObject({ code: "BAD_REQUEST", message: "No such custom field." });
      const views = await member.caller.crm.views.list({ entityType: "company" });
      expect(views.filter((v) => v.name === "Grade A")).toEqual([]);
      expect(views.find((v) => v.id === blocker.id)?.filters).toEqual({});
    },
  );

  it("keeps views inside their organization", async () => {
    const theirs = await foreign.caller.crm.views.create({ entityType: "contact", name: "Theirs", shared: true });
    expect((await owner.caller.crm.views.list({ entityType: "contact" })).map((v) => v.id)).not.toContain(theirs.id);
    await expectTrpcError(owner.caller.crm.views.update({ id: theirs.id, name: "Ours" }), "NOT_FOUND");
    await expectTrpcError(owner.caller.crm.views.delete({ id: theirs.id }), "NOT_FOUND");
    expect(await foreign.caller.crm.views.list({ entityType: "contact" })).toEqual([theirs]);
  });
});
