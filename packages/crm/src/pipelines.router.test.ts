import type { DbHandle } from "@nexo/db";
import { createTestDb } from "@nexo/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signedInCaller } from "./test-context";
import { expectTrpcError, fieldPaths } from "./test-helpers";

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
});
