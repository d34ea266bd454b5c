import { contacts, type DbHandle, eq, organizations } from "@nexo/db";
import { createTestDb } from "@nexo/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signedInCaller } from "./test-context";
import { expectTrpcError } from "./test-helpers";

type Member = Awaited<ReturnType<typeof signedInCaller>>;

describe('record visibility "own" beyond contacts, owners, and the trash purge', () => {
  let handle: DbHandle;
  let owner: Member;
  let alice: Member;
  let bob: Member;
  let viewer: Member;

  beforeAll(async () => {
    handle = await createTestDb();
    owner = await signedInCaller(handle.db, "Own Org", "owner");
    alice = await signedInCaller(handle.db, "", "member", owner.org.id);
    bob = await signedInCaller(handle.db, "", "member", owner.org.id);
    viewer = await signedInCaller(handle.db, "", "viewer", owner.org.id);
  });
  afterAll(async () => {
    await handle?.close();
  });

  const setVisibility = (recordVisibility: "all" | "own") =>
    handle.db.update(organizations).set({ recordVisibility }).where(eq(organizations.id, owner.org.id));

  it("shows members only their companies, deals, board and dashboard figures, and search hits", async () => {
    const pipeline = await owner.caller.crm.pipelines.create({ name: "Own pipeline" });
    const stage = pipeline.stages[0]!;
    const aliceCo = await alice.caller.crm.companies.create({ name: "Zebulon Alice Co" });
    const bobCo = await bob.caller.crm.companies.create({ name: "Zebulon Bob Co" });
    const close = new Date().toISOString().slice(0, 10);
    const deal = (title: string) => ({
      title,
      amountMinor: 1_000,
      currency: "EUR",
      stageId: stage.id,
      expectedCloseDate: close,
    });
    const aliceDeal = await alice.caller.crm.deals.create(deal("Zebulon Alice deal"));
    const bobDeal = await bob.caller.crm.deals.create(deal("Zebulon Bob deal"));
    await setVisibility("own");
    try {
      const a = alice.caller.crm;
      expect((await a.companies.list({})).items.map((c) => c.id)).toEqual([aliceCo.id]);
      // A deal of hers at a company she may not see does not name that company in her list.
      const handedDeal = await owner.caller.crm.deals.create({
        ...deal("Zebulon handed deal"),
        ownerId: alice.user.id,
        companyId: bobCo.id,
      });
      const listed = (await a.deals.list({})).items.find((d) => d.id === handedDeal.id);
      expect(listed).toMatchObject({ companyId: bobCo.id, companyName: null });
      expect((await owner.caller.crm.deals.list({})).items.find((d) => d.id === handedDeal.id)?.companyName).toBe(
        "Zebulon Bob Co",
      );
      await owner.caller.crm.deals.delete({ id: handedDeal.id });
      await expectTrpcError(a.companies.get({ id: bobCo.id }), "NOT_FOUND");
      await expectTrpcError(a.companies.update({ id: bobCo.id, name: "X" }), "NOT_FOUND");
      await expectTrpcError(a.companies.delete({ id: bobCo.id }), "NOT_FOUND");
      expect((await a.deals.list({})).items.map((d) => d.id)).toEqual([aliceDeal.id]);
      await expectTrpcError(a.deals.get({ id: bobDeal.id }), "NOT_FOUND");
      await expectTrpcError(a.deals.move({ id: bobDeal.id, stageId: stage.id }), "NOT_FOUND");
      // Linking a deal to a company one may not see reveals nothing either.
      await expectTrpcError(a.deals.update({ id: aliceDeal.id, companyId: bobCo.id }), "NOT_FOUND");
      await expectTrpcError(a.activities.create({ kind: "note", dealId: bobDeal.id }), "NOT_FOUND");
      await expectTrpcError(a.activities.timeline({ entityType: "deal", entityId: bobDeal.id }), "NOT_FOUND");

      const board = await a.deals.board({ pipelineId: pipeline.id });
      const first = board.stages.find((s) => s.id === stage.id)!;
      expect(first.deals.map((d) => d.id)).toEqual([aliceDeal.id]);
      expect(first.count).toBe(1);
      expect(first.totals).toEqual([{ currency: "EUR", amountMinor: 1_000 }]);
      const dash = await a.dashboard.pipeline({ pipelineId: pipeline.id });
      expect(dash.stages.find((s) => s.stageId === stage.id)?.count).toBe(1);
      expect(dash.forecast.reduce((n, f) => n + f.deals, 0)).toBe(1);
      // Bob, a member too, right after her: the same statements, with his own figures.
      const bobBoard = await bob.caller.crm.deals.board({ pipelineId: pipeline.id });
      expect(bobBoard.stages.find((s) => s.id === stage.id)?.deals.map((d) => d.id)).toEqual([bobDeal.id]);
      const bobDash = await bob.caller.crm.dashboard.pipeline({ pipelineId: pipeline.id });
      expect(bobDash.stages.find((s) => s.stageId === stage.id)?.totals).toEqual([
        { currency: "EUR", amountMinor: 1_000 },
      ]);
      await alice.caller.crm.activities.create({ kind: "task", subject: "Hers", dealId: aliceDeal.id });
      await bob.caller.crm.activities.create({ kind: "task", subject: "His", dealId: bobDeal.id });
      await bob.caller.crm.activities.create({ kind: "task", subject: "His too", dealId: bobDeal.id });
      const undated = async (who: Member) =>
        (await who.caller.crm.dashboard.tasks()).reduce((n, row) => n + row.undated, 0);
      expect(await undated(alice)).toBe(1);
      expect(await undated(bob)).toBe(2);
      const logged = async (who: Member) =>
        (await who.caller.crm.dashboard.activitiesPerMember({})).map((row) => [row.userId, row.count]);
      expect(await logged(alice)).toEqual([[alice.user.id, 1]]);
      expect(await logged(bob)).toEqual([[bob.user.id, 2]]);

      const found = await a.search({ q: "zebulon" });
      expect(found.companies.map((c) => c.id)).toEqual([aliceCo.id]);
      expect(found.deals.map((d) => d.id)).toEqual([aliceDeal.id]);

      // The viewer owns nothing, so sees nothing; the owner sees everything.
      expect((await viewer.caller.crm.deals.list({})).items).toEqual([]);
      const all = await owner.caller.crm.deals.board({ pipelineId: pipeline.id });
      expect(all.stages.find((s) => s.id === stage.id)?.count).toBe(2);
    } finally {
      await setVisibility("all");
    }
    expect((await alice.caller.crm.deals.list({})).items.map((d) => d.id).sort()).toEqual(
      [aliceDeal.id, bobDeal.id].sort(),
    );
  });

  it("filters contacts by owner and reassigns a contact to another member (only a member)", async () => {
    const c = await alice.caller.crm.contacts.create({ firstName: "Handed", lastName: "Over" });
    expect((await owner.caller.crm.contacts.list({ ownerId: alice.user.id })).items.map((x) => x.id)).toContain(c.id);
    expect((await owner.caller.crm.contacts.list({ ownerId: bob.user.id })).items.map((x) => x.id)).not.toContain(c.id);

    const stranger = await signedInCaller(handle.db, "Elsewhere", "owner");
    await expectTrpcError(alice.caller.crm.contacts.update({ id: c.id, ownerId: stranger.user.id }), "NOT_FOUND");

    await setVisibility("own");
    try {
      // Handing it to Bob succeeds (and is returned) though Alice no longer sees it afterwards.
      const handed = await alice.caller.crm.contacts.update({ id: c.id, ownerId: bob.user.id });
      expect(handed.ownerId).toBe(bob.user.id);
      await expectTrpcError(alice.caller.crm.contacts.get({ id: c.id }), "NOT_FOUND");
      expect((await bob.caller.crm.contacts.get({ id: c.id })).ownerId).toBe(bob.user.id);
    } finally {
      await setVisibility("all");
    }
  });

  it("refuses a merge that takes in a record the member may not see, leaving both as they were", async () => {
    const mine = await alice.caller.crm.contacts.create({ firstName: "Alice's" });
    const theirs = await bob.caller.crm.contacts.create({ firstName: "Bob's", email: "secret@bob.example" });
    const myCo = await alice.caller.crm.companies.create({ name: "Alice Merge Co" });
    const theirCo = await bob.caller.crm.companies.create({ name: "Bob Merge Co", domain: "bob-secret.example" });
    await setVisibility("own");
    try {
      await expectTrpcError(
        alice.caller.crm.contacts.merge({ survivorId: mine.id, duplicateId: theirs.id }),
        "NOT_FOUND",
      );
      await expectTrpcError(
        alice.caller.crm.contacts.merge({ survivorId: theirs.id, duplicateId: mine.id }),
        "NOT_FOUND",
      );
      await expectTrpcError(
        alice.caller.crm.companies.merge({ survivorId: myCo.id, duplicateId: theirCo.id }),
        "NOT_FOUND",
      );
    } finally {
      await setVisibility("all");
    }
    expect(await bob.caller.crm.contacts.get({ id: theirs.id })).toMatchObject({
      deletedAt: null,
      email: "secret@bob.example",
    });
    expect((await alice.caller.crm.contacts.get({ id: mine.id })).email).toBeNull();
    expect(await bob.caller.crm.companies.get({ id: theirCo.id })).toMatchObject({
      deletedAt: null,
      domain: "bob-secret.example",
    });
    // With "all", the same member may merge them.
    const merged = await alice.caller.crm.contacts.merge({ survivorId: mine.id, duplicateId: theirs.id });
    expect(merged.survivor.email).toBe("secret@bob.example");
  });

  it("names a record's company in lists and on the board only when the member may see it and it is not in the trash", async () => {
    const pipeline = await owner.caller.crm.pipelines.create({ name: "Names pipeline" });
    const stage = pipeline.stages[0]!;
    const bobCo = await bob.caller.crm.companies.create({ name: "Hidden Bob Corp" });
    const binnedCo = await alice.caller.crm.companies.create({ name: "Binned Alice Co" });
    const linked = await alice.caller.crm.contacts.create({ firstName: "Linked" });
    await owner.caller.crm.contacts.update({ id: linked.id, companyId: bobCo.id });
    const orphan = await alice.caller.crm.contacts.create({ firstName: "Orphan", companyId: binnedCo.id });
    const deal = await owner.caller.crm.deals.create({
      title: "Handed to Alice",
      currency: "EUR",
      stageId: stage.id,
      ownerId: alice.user.id,
      companyId: bobCo.id,
    });
    await alice.caller.crm.companies.delete({ id: binnedCo.id });
    const contactNames = async (m: Member) => {
      const items = (await m.caller.crm.contacts.list({ limit: 100 })).items;
      return [linked.id, orphan.id].map((id) => items.find((c) => c.id === id)?.companyName);
    };
    const cardName = async (m: Member) => {
      const board = await m.caller.crm.deals.board({ pipelineId: pipeline.id });
      const onBoard = board.stages[0]?.deals.find((d) => d.id === deal.id)?.companyName;
      const page = await m.caller.crm.deals.stagePage({ stageId: stage.id });
      return [onBoard, page.items.find((d) => d.id === deal.id)?.companyName];
    };
    // Trashed: named for nobody. Bob's: named for everyone while visibility is "all".
    expect(await contactNames(alice)).toEqual(["Hidden Bob Corp", null]);
    expect(await cardName(alice)).toEqual(["Hidden Bob Corp", "Hidden Bob Corp"]);
    await setVisibility("own");
    try {
      expect(await contactNames(alice)).toEqual([null, null]);
      expect(await cardName(alice)).toEqual([null, null]);
      // The company is still linked, and the owner sees its name.
      expect((await alice.caller.crm.contacts.get({ id: linked.id })).companyId).toBe(bobCo.id);
      expect(await contactNames(owner)).toEqual(["Hidden Bob Corp", null]);
      expect(await cardName(owner)).toEqual(["Hidden Bob Corp", "Hidden Bob Corp"]);
    } finally {
      await setVisibility("all");
    }
  });

  it("lets owners and admins empty the trash, and nobody else", async () => {
    const c = await alice.caller.crm.contacts.create({ firstName: "Binned" });
    await alice.caller.crm.contacts.delete({ id: c.id });
    await expectTrpcError(alice.caller.crm.trash.purge({}), "FORBIDDEN");
    await expectTrpcError(viewer.caller.crm.trash.purge({}), "FORBIDDEN");
    // Retention: a fresh item in the trash survives "older than 1 day".
    expect((await owner.caller.crm.trash.purge({ olderThanDays: 1 })).contacts).toBe(0);
    expect((await owner.caller.crm.trash.purge({})).contacts).toBeGreaterThanOrEqual(1);
    expect(await handle.db.select().from(contacts).where(eq(contacts.id, c.id))).toEqual([]);
  });
});
