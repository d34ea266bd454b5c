import { type DbHandle, dealStageMoves, deals, eq, pipelineStages, sql } from "@nexo/db";
import { createTestDb } from "@nexo/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callerOn, signedInCaller } from "./test-context";
import { afterLockWait, expectTrpcError, fieldPaths, historyOf, holdOpen } from "./test-helpers";

type Caller = Awaited<ReturnType<typeof signedInCaller>>["caller"];

describe("crm.pipelines", () => {
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

  it("creates a pipeline with default stages, or the given ones, and lists them in order", async () => {
    const sales = await a.crm.pipelines.create({ name: "Sales" });
    expect(sales.stages.map((s) => [s.name, s.position, s.probability, s.isWon, s.isLost])).toEqual([
      ["Lead", 0, 10, false, false],
      ["Qualified", 1, 25, false, false],
      ["Proposal", 2, 50, false, false],
      ["Negotiation", 3, 75, false, false],
      ["Won", 4, 100, true, false],
      ["Lost", 5, 0, false, true],
    ]);
    const hiring = await a.crm.pipelines.create({
      name: "Partners",
      stages: [{ name: "Intro" }, { name: "Signed", isWon: true }],
    });
    expect(hiring.stages.map((s) => s.name)).toEqual(["Intro", "Signed"]);
    expect((await a.crm.pipelines.list()).map((p) => [p.name, p.position, p.stages.length])).toEqual([
      ["Sales", 0, 6],
      ["Partners", 1, 2],
    ]);
    expect((await a.crm.pipelines.update({ id: hiring.id, name: "Partnerships" })).name).toBe("Partnerships");
  });

  it("adds, edits, reorders and deletes stages", async () => {
    const p = await a.crm.pipelines.create({ name: "Stages", stages: [{ name: "A" }, { name: "B" }, { name: "C" }] });
    const inserted = await a.crm.pipelines.createStage({ pipelineId: p.id, name: "A2", position: 1, probability: 20 });
    expect(inserted.position).toBe(1);
    const names = async () => (await a.crm.pipelines.get({ id: p.id })).stages.map((s) => `${s.name}@${s.position}`);
    expect(await names()).toEqual(["A@0", "A2@1", "B@2", "C@3"]);

    expect(await a.crm.pipelines.updateStage({ id: inserted.id, probability: 30, name: "A bis" })).toMatchObject({
      probability: 30,
      name: "A bis",
    });
    const ids = (await a.crm.pipelines.get({ id: p.id })).stages.map((s) => s.id);
    const reordered = await a.crm.pipelines.reorderStages({ pipelineId: p.id, stageIds: [...ids].reverse() });
    expect(reordered.stages.map((s) => s.name)).toEqual(["C", "B", "A bis", "A"]);
    await expectTrpcError(a.crm.pipelines.reorderStages({ pipelineId: p.id, stageIds: ids.slice(1) }), "BAD_REQUEST");

    await a.crm.pipelines.deleteStage({ id: inserted.id });
    expect(await names()).toEqual(["C@0", "B@1", "A@2"]);
  });

  it("refuses to lose deals: a stage with deals needs a target, a pipeline with deals stays", async () => {
    const p = await a.crm.pipelines.create({ name: "Guarded", stages: [{ name: "One" }, { name: "Two" }] });
    const [one, two] = p.stages;
    const deal = await a.crm.deals.create({ title: "Keep me", currency: "EUR", stageId: one!.id });
    await expectTrpcError(a.crm.pipelines.deleteStage({ id: one!.id }), "CONFLICT");
    await expectTrpcError(a.crm.pipelines.deleteStage({ id: one!.id, moveDealsTo: one!.id }), "BAD_REQUEST");
    expect(await a.crm.pipelines.deleteStage({ id: one!.id, moveDealsTo: two!.id })).toEqual({
      id: one!.id,
      movedDeals: 1,
    });
    expect((await a.crm.deals.get({ id: deal.id })).stageId).toBe(two!.id);
    await expectTrpcError(a.crm.pipelines.delete({ id: p.id }), "CONFLICT");
    await a.crm.deals.delete({ id: deal.id });
    // Trashed deals can still be restored, so they keep the pipeline too.
    await expectTrpcError(a.crm.pipelines.delete({ id: p.id }), "CONFLICT");
    const empty = await a.crm.pipelines.create({ name: "Empty" });
    expect(await a.crm.pipelines.delete({ id: empty.id })).toEqual({ id: empty.id });
    await expectTrpcError(a.crm.pipelines.get({ id: empty.id }), "NOT_FOUND");
  });

  it("gives the deals of a deleted stage the status of the stage they move to, as deals.move does", async () => {
    const p = await a.crm.pipelines.create({ name: "Closing" });
    const [lead, qualified] = p.stages;
    const won = p.stages.find((s) => s.isWon)!;
    const lost = p.stages.find((s) => s.isLost)!;
    const open = await a.crm.deals.create({ title: "Open", currency: "EUR", stageId: lead!.id });
    const closedAt = new Date("2026-01-15T10:00:00Z");
    const gaveUp = await a.crm.deals.create({ title: "Gave up", currency: "EUR", stageId: qualified!.id });
    await a.crm.deals.close({ id: gaveUp.id, outcome: "lost", reason: "No budget", closedAt });
    await a.crm.deals.move({ id: gaveUp.id, stageId: lead!.id });
    const earlier = await a.crm.deals.create({ title: "Won before", currency: "EUR", stageId: won.id });

    expect(await a.crm.pipelines.deleteStage({ id: lead!.id, moveDealsTo: won.id })).toMatchObject({ movedDeals: 2 });
    const nowWon = await a.crm.deals.get({ id: open.id });
    expect(nowWon).toMatchObject({ stageId: won.id, status: "won" });
    expect(nowWon.closedAt).toBeInstanceOf(Date);
    expect((await historyOf(handle.db, "deal", open.id)).slice(1)).toEqual([
      { field: "stageId", oldValue: lead!.id, newValue: won.id },
      { field: "status", oldValue: "open", newValue: "won" },
    ]);
    const moves = await handle.db
      .select({ from: dealStageMoves.fromStageId, to: dealStageMoves.toStageId })
      .from(dealStageMoves)
      .where(eq(dealStageMoves.dealId, open.id))
      .orderBy(dealStageMoves.id);
    // The deleted stage's end of a move reads null.
    expect(moves).toEqual([
      { from: null, to: null },
      { from: null, to: won.id },
    ]);
    expect(await a.crm.deals.get({ id: gaveUp.id })).toMatchObject({ status: "won", stageId: won.id });
    // A deal already won keeps the date it was won.
    expect(await a.crm.deals.get({ id: earlier.id })).toMatchObject({ status: "won", closedAt: earlier.closedAt });

    // Out of a Won stage into an open one: open again, without a close date or reason.
    await a.crm.deals.close({ id: earlier.id, outcome: "won", reason: "Signed", closedAt });
    await a.crm.pipelines.deleteStage({ id: won.id, moveDealsTo: qualified!.id });
    for (const id of [open.id, gaveUp.id, earlier.id]) {
      expect(await a.crm.deals.get({ id })).toMatchObject({
        stageId: qualified!.id,
        status: "open",
        closedAt: null,
        closeReason: null,
      });
    }
    // Into a Lost stage, trashed deals too (they would be restored into it).
    await a.crm.deals.delete({ id: earlier.id });
    await a.crm.pipelines.deleteStage({ id: qualified!.id, moveDealsTo: lost.id });
    await a.crm.deals.restore({ id: earlier.id });
    expect(await a.crm.deals.get({ id: earlier.id })).toMatchObject({ stageId: lost.id, status: "lost" });
  });

  it("gives a stage's deals its new kind when it becomes won, lost or open, recording each change", async () => {
    const p = await a.crm.pipelines.create({ name: "Kinds", stages: [{ name: "Doing" }, { name: "Done" }] });
    const done = p.stages[1]!;
    const one = await a.crm.deals.create({ title: "One", currency: "EUR", stageId: done.id });
    const two = await a.crm.deals.create({ title: "Two", currency: "EUR", stageId: done.id });
    const elsewhere = await a.crm.deals.create({ title: "Elsewhere", currency: "EUR", stageId: p.stages[0]!.id });
    const trashed = await a.crm.deals.create({ title: "Trashed", currency: "EUR", stageId: done.id });
    await a.crm.deals.delete({ id: trashed.id });
    const statusOf = async (id: string) => {
      const deal = await a.crm.deals.get({ id });
      return { status: deal.status, closed: deal.closedAt !== null };
    };

    await a.crm.pipelines.updateStage({ id: done.id, isWon: true });
    expect(await statusOf(one.id)).toEqual({ status: "won", closed: true });
    expect(await statusOf(two.id)).toEqual({ status: "won", closed: true });
    expect(await statusOf(elsewhere.id)).toEqual({ status: "open", closed: false });
    const wonAt = (await a.crm.deals.get({ id: one.id })).closedAt;
    // Renaming it changes no deal.
    await a.crm.pipelines.updateStage({ id: done.id, name: "Done!", isWon: true });
    expect((await a.crm.deals.get({ id: one.id })).closedAt).toEqual(wonAt);

    await a.crm.pipelines.updateStage({ id: done.id, isWon: false, isLost: true });
    expect(await statusOf(one.id)).toEqual({ status: "lost", closed: true });
    await a.crm.pipelines.updateStage({ id: done.id, isLost: false });
    expect(await statusOf(one.id)).toEqual({ status: "open", closed: false });
    expect((await historyOf(handle.db, "deal", one.id)).filter((h) => h.field === "status")).toEqual([
      { field: "status", oldValue: "open", newValue: "won" },
      { field: "status", oldValue: "won", newValue: "lost" },
      { field: "status", oldValue: "lost", newValue: "open" },
    ]);
    expect((await historyOf(handle.db, "deal", elsewhere.id)).map((h) => h.field)).toEqual(["created"]);
    await a.crm.pipelines.updateStage({ id: done.id, isWon: true });
    await a.crm.deals.restore({ id: trashed.id });
    expect(await statusOf(trashed.id)).toEqual({ status: "won", closed: true });
  });

  it("holds at most 30 stages, as many as reorderStages takes", async () => {
    const tooMany = await expectTrpcError(
      a.crm.pipelines.create({ name: "Long", stages: Array.from({ length: 31 }, (_, i) => ({ name: `S${i}` })) }),
      "BAD_REQUEST",
    );
    expect(fieldPaths(tooMany)).toEqual(["stages"]);
    const p = await a.crm.pipelines.create({
      name: "Long",
      stages: Array.from({ length: 29 }, (_, i) => ({ name: `S${i}` })),
    });
    await a.crm.pipelines.createStage({ pipelineId: p.id, name: "S29", position: 0 });
    const full = await expectTrpcError(a.crm.pipelines.createStage({ pipelineId: p.id, name: "S30" }), "BAD_REQUEST");
    expect(full.message).toMatch(/at most 30 stages/);
    const ids = (await a.crm.pipelines.get({ id: p.id })).stages.map((s) => s.id);
    expect(ids).toHaveLength(30);
    const reordered = await a.crm.pipelines.reorderStages({ pipelineId: p.id, stageIds: [...ids].reverse() });
    expect(reordered.stages.map((s) => s.id)).toEqual([...ids].reverse());
  });

  it("lets a stage being deleted and a deal going into it settle with NOT_FOUND or CONFLICT, never a server error", async () => {
    const p = await a.crm.pipelines.create({ name: "Race", stages: [{ name: "Keep" }] });
    const keep = p.stages[0]!;
    const mover = await a.crm.deals.create({ title: "Mover", currency: "EUR", stageId: keep.id });
    const outcomes = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const tmp = await a.crm.pipelines.createStage({ pipelineId: p.id, name: `Tmp ${i}` });
      const [created, moved, deleted] = await Promise.allSettled([
        a.crm.deals.create({ title: `New ${i}`, currency: "EUR", stageId: tmp.id }),
        a.crm.deals.move({ id: mover.id, stageId: tmp.id }),
        a.crm.pipelines.deleteStage({ id: tmp.id }),
      ]);
      for (const [result, loses] of [
        [created, "NOT_FOUND"],
        [moved, "NOT_FOUND"],
        [deleted, "CONFLICT"],
      ] as const) {
        if (result.status === "rejected") expect(result.reason).toMatchObject({ code: loses });
        outcomes.add(`${result.status}`);
      }
      // Whoever won, no deal is left in a stage that is gone.
      const stageIds = (await a.crm.pipelines.get({ id: p.id })).stages.map((s) => s.id);
      expect(stageIds).toContain((await a.crm.deals.get({ id: mover.id })).stageId);
      if (deleted.status === "fulfilled") {
        expect(created.status).toBe("rejected");
        expect(moved.status).toBe("rejected");
      } else {
        expect(stageIds).toContain(tmp.id);
        await a.crm.deals.move({ id: mover.id, stageId: keep.id });
      }
    }
    expect(outcomes).toContain("fulfilled");
  });

  it.runIf(process.env.DATABASE_URL)(
    "moves and closes a deal taking its stages (where it is and where it goes) before the deal, the order a stage changing kind takes them in",
    async () => {
      const p = await a.crm.pipelines.create({ name: "Lock order" });
      const [first, second] = p.stages as [(typeof p.stages)[0], (typeof p.stages)[0]];
      const won = p.stages.find((s) => s.isWon)!;
      const deal = await a.crm.deals.create({ title: "Locked", currency: "EUR", stageId: first.id });
      const calls = [
        // The stage it goes to, then (moving on) the stage it leaves, whose move row names it.
        { stageId: first.id, call: () => a.crm.deals.move({ id: deal.id, stageId: first.id }) },
        { stageId: second.id, call: () => a.crm.deals.move({ id: deal.id, stageId: second.id }) },
        { stageId: second.id, call: () => a.crm.deals.move({ id: deal.id, stageId: first.id }) },
        { stageId: first.id, call: () => a.crm.deals.close({ id: deal.id, outcome: "won" }) },
        { stageId: won.id, call: () => a.crm.deals.close({ id: deal.id, outcome: "won" }) },
      ];
      for (const { stageId, call } of calls) {
        // Another transaction holds the stage, as updateStage or deleteStage would before the deals.
        const holder = await holdOpen(handle.db, (tx) =>
          tx.execute(sql`select id from pipeline_stages where id = ${stageId} for update`),
        );
        // The call waits for the stage without holding the deal: the deal can be locked meanwhile.
        await afterLockWait(handle.db, holder, call(), () =>
          handle.db.execute(sql`select id from deals where id = ${deal.id} for update nowait`),
        );
      }
      expect((await a.crm.deals.get({ id: deal.id })).status).toBe("won");
    },
  );

  it.runIf(process.env.DATABASE_URL)(
    "deletes a stage taking every stage of its pipeline before any deal, so a close under way finishes first",
    async () => {
      const p = await a.crm.pipelines.create({
        name: "Delete order",
        stages: [{ name: "Doomed" }, { name: "Refuge" }, { name: "Won", isWon: true }],
      });
      const [doomed, refuge, won] = p.stages as [(typeof p.stages)[0], (typeof p.stages)[0], (typeof p.stages)[0]];
      const deal = await a.crm.deals.create({ title: "Closing", currency: "EUR", stageId: doomed.id });
      // A close of that deal under way holds the won stage (renumbered by the delete), not yet the deal.
      const closing = await holdOpen(handle.db, (tx) =>
        tx.execute(sql`select id from pipeline_stages where id = ${won.id} for share`),
      );
      // The delete waits for the won stage before touching the deal: the close could take it meanwhile.
      const deleted = await afterLockWait(
        handle.db,
        closing,
        a.crm.pipelines.deleteStage({ id: doomed.id, moveDealsTo: refuge.id }),
        () => handle.db.execute(sql`select id from deals where id = ${deal.id} for update nowait`),
      );
      expect(deleted).toEqual({ id: doomed.id, movedDeals: 1 });
      expect(await a.crm.deals.get({ id: deal.id })).toMatchObject({ stageId: refuge.id });
    },
  );

  it("never shows or changes another organization's pipelines and stages", async () => {
    const foreign = await b.crm.pipelines.create({ name: "B pipeline" });
    const stage = foreign.stages[0]!;
    await expectTrpcError(a.crm.pipelines.get({ id: foreign.id }), "NOT_FOUND");
    await expectTrpcError(a.crm.pipelines.update({ id: foreign.id, name: "x" }), "NOT_FOUND");
    await expectTrpcError(a.crm.pipelines.delete({ id: foreign.id }), "NOT_FOUND");
    await expectTrpcError(a.crm.pipelines.createStage({ pipelineId: foreign.id, name: "x" }), "NOT_FOUND");
    await expectTrpcError(a.crm.pipelines.updateStage({ id: stage.id, name: "x" }), "NOT_FOUND");
    await expectTrpcError(a.crm.pipelines.deleteStage({ id: stage.id }), "NOT_FOUND");
    await expectTrpcError(
      a.crm.pipelines.reorderStages({ pipelineId: foreign.id, stageIds: foreign.stages.map((s) => s.id) }),
      "NOT_FOUND",
    );
    const mine = await a.crm.pipelines.create({ name: "Mine", stages: [{ name: "Only" }, { name: "Other" }] });
    await a.crm.deals.create({ title: "Mine", currency: "EUR", stageId: mine.stages[0]!.id });
    await expectTrpcError(a.crm.pipelines.deleteStage({ id: mine.stages[0]!.id, moveDealsTo: stage.id }), "NOT_FOUND");
    expect((await a.crm.pipelines.list()).map((p) => p.id)).not.toContain(foreign.id);
    expect((await b.crm.pipelines.get({ id: foreign.id })).stages.map((s) => s.name)).toEqual(
      foreign.stages.map((s) => s.name),
    );
  });

  it("rejects malformed input with field-level issues", async () => {
    const bad = await expectTrpcError(
      a.crm.pipelines.create({ name: "", stages: [{ name: "X", probability: 120, isWon: true, isLost: true }] }),
      "BAD_REQUEST",
    );
    expect(fieldPaths(bad).sort()).toEqual(["name", "stages.0.isLost", "stages.0.probability"]);
    const both = await expectTrpcError(
      a.crm.pipelines.create({ name: "Ok", stages: [{ name: "X", isWon: true, isLost: true }] }),
      "BAD_REQUEST",
    );
    expect(fieldPaths(both)).toEqual(["stages.0.isLost"]);
    await expectTrpcError(a.crm.pipelines.create({ name: "Ok", stages: [] }), "BAD_REQUEST");
    const p = await a.crm.pipelines.create({ name: "Flags", stages: [{ name: "W", isWon: true }] });
    await expectTrpcError(a.crm.pipelines.updateStage({ id: p.stages[0]!.id, isLost: true }), "BAD_REQUEST");
    await expectTrpcError(a.crm.pipelines.updateStage({ id: p.stages[0]!.id }), "BAD_REQUEST");
  });
  it.runIf(process.env.DATABASE_URL)(
    "reorders stages after a stage being added, and refuses the order that no longer names them all",
    async () => {
      const signedIn = await signedInCaller(handle.db, "Reorder race");
      const p = await signedIn.caller.crm.pipelines.create({
        name: "Reorder race",
        stages: [{ name: "A" }, { name: "B" }, { name: "C" }],
      });
      const adding = await holdOpen(handle.db, (tx) =>
        callerOn(tx, signedIn).crm.pipelines.createStage({ pipelineId: p.id, name: "New first", position: 0 }),
      );
      const reorder = signedIn.caller.crm.pipelines.reorderStages({
        pipelineId: p.id,
        stageIds: p.stages.map((s) => s.id).reverse(),
      });
      await expectTrpcError(afterLockWait(handle.db, adding, reorder), "BAD_REQUEST");
      const stages = await handle.db
        .select({ name: pipelineStages.name, position: pipelineStages.position })
        .from(pipelineStages)
        .where(eq(pipelineStages.pipelineId, p.id))
        .orderBy(pipelineStages.position);
      expect(stages).toEqual([
        { name: "New first", position: 0 },
        { name: "A", position: 1 },
        { name: "B", position: 2 },
        { name: "C", position: 3 },
      ]);
    },
  );

  it.runIf(process.env.DATABASE_URL)(
    "does not delete a pipeline while a deal is being created in it: CONFLICT once the deal is in",
    async () => {
      const signedIn = await signedInCaller(handle.db, "Delete race");
      const p = await signedIn.caller.crm.pipelines.create({ name: "Delete race", stages: [{ name: "Only" }] });
      let dealId = "";
      const creating = await holdOpen(handle.db, async (tx) => {
        dealId = (
          await callerOn(tx, signedIn).crm.deals.create({ title: "New", currency: "EUR", stageId: p.stages[0]!.id })
        ).id;
      });
      const deleting = signedIn.caller.crm.pipelines.delete({ id: p.id });
      await expectTrpcError(afterLockWait(handle.db, creating, deleting), "CONFLICT");
      expect(await handle.db.select({ id: deals.id }).from(deals).where(eq(deals.id, dealId))).toEqual([
        { id: dealId },
      ]);

      // A deal created once the delete has begun waits for it, then finds its stage gone.
      const empty = await signedIn.caller.crm.pipelines.create({ name: "Going", stages: [{ name: "Only" }] });
      const going = await holdOpen(handle.db, (tx) => callerOn(tx, signedIn).crm.pipelines.delete({ id: empty.id }));
      const late = signedIn.caller.crm.deals.create({ title: "Late", currency: "EUR", stageId: empty.stages[0]!.id });
      await expectTrpcError(afterLockWait(handle.db, going, late), "NOT_FOUND");
    },
  );
});
