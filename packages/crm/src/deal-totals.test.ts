import { Readable } from "node:stream";
import { type DbHandle, eq, queryRows, sql, users } from "@nexo/db";
import { createTestDb } from "@nexo/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importOptions, runImport } from "./import.run";
import { signedInCaller } from "./test-context";

type SignedIn = Awaited<ReturnType<typeof signedInCaller>>;

/**
 * `deal_stage_totals` and `deal_forecast_totals` are kept by triggers on `deals`; whatever writes a
 * deal, they must equal a fresh aggregate over the deals themselves.
 */
describe("deal totals", () => {
  let handle: DbHandle;
  let owner: SignedIn;
  let member: SignedIn;
  let other: SignedIn;

  beforeAll(async () => {
    handle = await createTestDb();
    owner = await signedInCaller(handle.db, "Totals Org");
    member = await signedInCaller(handle.db, "", "member", owner.org.id);
    other = await signedInCaller(handle.db, "Other Org");
  });
  afterAll(async () => {
    await handle?.close();
  });

  /** Both tables against a GROUP BY over every deal of every organization (zero rows left out). */
  async function expectTotalsFresh() {
    const [stageTotals, stageFresh, forecastTotals, forecastFresh] = await Promise.all([
      queryRows(
        handle.db,
        sql`select org_id, pipeline_id, stage_id, owner_id, currency, deal_count as n, amount_minor::text as amount
            from deal_stage_totals where deal_count <> 0 or amount_minor <> 0 order by 1, 2, 3, 4, 5`,
      ),
      queryRows(
        handle.db,
        sql`select org_id, pipeline_id, stage_id, owner_id, currency, count(*)::int as n, sum(amount_minor)::text as amount
            from deals where deleted_at is null group by 1, 2, 3, 4, 5 order by 1, 2, 3, 4, 5`,
      ),
      queryRows(
        handle.db,
        sql`select org_id, pipeline_id, to_char(month, 'YYYY-MM') as month, stage_id, owner_id, currency,
                   deal_count as n, amount_minor::text as amount
            from deal_forecast_totals where deal_count <> 0 or amount_minor <> 0 order by 1, 2, 3, 4, 5, 6`,
      ),
      queryRows(
        handle.db,
        sql`select org_id, pipeline_id, to_char(expected_close_date, 'YYYY-MM') as month, stage_id, owner_id, currency,
                   count(*)::int as n, sum(amount_minor)::text as amount
            from deals where deleted_at is null and status = 'open' and expected_close_date is not null
            group by 1, 2, 3, 4, 5, 6 order by 1, 2, 3, 4, 5, 6`,
      ),
    ]);
    expect(stageTotals).toEqual(stageFresh);
    expect(forecastTotals).toEqual(forecastFresh);
    return { stages: stageFresh.length, forecast: forecastFresh.length };
  }

  it("equal a fresh GROUP BY after every kind of write", async () => {
    const a = owner.caller;
    const sales = await a.crm.pipelines.create({
      name: "Sales",
      stages: [
        { name: "Lead", probability: 10 },
        { name: "Offer", probability: 60 },
        { name: "Won", probability: 100, isWon: true },
        { name: "Lost", isLost: true },
      ],
    });
    const partners = await a.crm.pipelines.create({ name: "Partners", stages: [{ name: "Talk" }, { name: "Deal" }] });
    const [lead, offer] = sales.stages;
    const acme = await a.crm.companies.create({ name: "Acme" });
    const acme2 = await a.crm.companies.create({ name: "Acme (duplicate)" });
    const ada = await a.crm.contacts.create({ firstName: "Ada", lastName: "L", email: "ada@example.com" });
    const ada2 = await a.crm.contacts.create({ firstName: "Ada", lastName: "L2", email: "ada2@example.com" });

    // Created: several owners, currencies, months, with and without a close date.
    const created = [];
    for (let i = 0; i < 12; i++) {
      created.push(
        await a.crm.deals.create({
          title: `Deal ${i}`,
          amountMinor: 1_000 * (i + 1),
          currency: i % 3 === 0 ? "USD" : "EUR",
          stageId: (i % 2 === 0 ? lead : offer)!.id,
          expectedCloseDate: i % 4 === 3 ? null : `2026-0${(i % 5) + 1}-1${i % 9}`,
          ownerId: i % 3 === 1 ? member.user.id : i % 3 === 2 ? null : owner.user.id,
          companyId: i % 2 === 0 ? acme2.id : acme.id,
          contactIds: [i % 2 === 0 ? ada2.id : ada.id],
        }),
      );
    }
    await other.caller.crm.deals.create({
      title: "Elsewhere",
      amountMinor: 5,
      currency: "EUR",
      stageId: (await other.caller.crm.pipelines.create({ name: "B" })).stages[0]!.id,
    });
    expect(await expectTotalsFresh()).toMatchObject({ stages: expect.any(Number) });
    const [d0, d1, d2, d3, d4, d5, d6, d7, d8] = created;

    // Updated: amount, currency, owner, close date (another month, then none), title only.
    await a.crm.deals.update({ id: d0!.id, amountMinor: 77_700 });
    await a.crm.deals.update({ id: d1!.id, currency: "GBP", amountMinor: 1 });
    await a.crm.deals.update({ id: d2!.id, ownerId: member.user.id });
    await a.crm.deals.update({ id: d3!.id, expectedCloseDate: "2027-11-30" });
    await a.crm.deals.update({ id: d4!.id, expectedCloseDate: null });
    await a.crm.deals.update({ id: d5!.id, title: "Renamed" });
    await expectTotalsFresh();

    // Moved between stages and within one; closed won (into the won stage) and lost (no lost stage here).
    await a.crm.deals.move({ id: d0!.id, stageId: offer!.id });
    await a.crm.deals.move({ id: d1!.id, stageId: offer!.id, afterDealId: d0!.id });
    await a.crm.deals.close({ id: d2!.id, outcome: "won", reason: "Signed" });
    await a.crm.deals.close({ id: d3!.id, outcome: "lost" });
    await expectTotalsFresh();

    // Trash and restore, one by one and in bulk; owner reassigned in bulk.
    await a.crm.deals.delete({ id: d4!.id });
    await expectTotalsFresh();
    await a.crm.deals.restore({ id: d4!.id });
    await a.crm.deals.bulkDelete({ ids: [d5!.id, d6!.id, d7!.id] });
    await expectTotalsFresh();
    await a.crm.deals.bulkRestore({ ids: [d6!.id] });
    await a.crm.deals.bulkAssignOwner({ ids: [d0!.id, d6!.id, d8!.id], ownerId: member.user.id });
    await expectTotalsFresh();

    // Merges move deals to the surviving company or contact: the totals stay.
    await a.crm.companies.merge({ survivorId: acme.id, duplicateId: acme2.id });
    await a.crm.contacts.merge({ survivorId: ada.id, duplicateId: ada2.id });
    await expectTotalsFresh();

    // Imported deals (one multi-row insert per batch).
    const csv =
      "Title,Amount,Currency,Stage,Pipeline,Expected close date\n" +
      "Imported 1,10,EUR,Lead,Sales,2026-03-01\nImported 2,20.50,usd,Offer,Sales,\nImported 3,30,EUR,Talk,Partners,2026-04-02\n";
    const imported = await runImport(
      handle.db,
      { orgId: owner.org.id, userId: owner.user.id, role: "owner" },
      "deals",
      { body: Readable.from([Buffer.from(csv)]), maxBytes: 1024 * 1024 },
      importOptions.parse({}),
    );
    expect(imported.dryRun ? null : imported.job).toMatchObject({ inserted: 3, failed: 0 });
    await expectTotalsFresh();

    // A stage deleted with its deals moved to another one; a deal moved to another pipeline.
    await a.crm.pipelines.deleteStage({ id: lead!.id, moveDealsTo: offer!.id });
    await handle.db.execute(
      sql`update deals set pipeline_id = ${partners.id}, stage_id = ${partners.stages[1]!.id} where id = ${d8!.id}`,
    );
    await expectTotalsFresh();

    // A stage made a won one closes its deals (they leave the forecast); made open again, reopens them.
    const offerForecast = () =>
      queryRows<{ n: number }>(
        handle.db,
        sql`select coalesce(sum(deal_count), 0)::int as n from deal_forecast_totals where stage_id = ${offer!.id}`,
      );
    const [before] = await offerForecast();
    expect(before!.n).toBeGreaterThan(0);
    await a.crm.pipelines.updateStage({ id: offer!.id, isWon: true });
    expect(await offerForecast()).toEqual([{ n: 0 }]);
    await expectTotalsFresh();
    await a.crm.pipelines.updateStage({ id: offer!.id, isWon: false });
    expect(await offerForecast()).toEqual([before]);
    await expectTotalsFresh();

    // Purged from the trash (hard delete); a member removed (their deals keep going, without owner).
    await a.crm.trash.purge({ olderThanDays: 0 });
    await handle.db.delete(users).where(eq(users.id, member.user.id));
    const counts = await expectTotalsFresh();
    expect(counts.stages).toBeGreaterThan(4);
    expect(counts.forecast).toBeGreaterThan(4);

    // What the board and the dashboard show comes from those totals.
    const board = await a.crm.deals.board({ pipelineId: sales.id });
    const dash = await a.crm.dashboard.pipeline({ pipelineId: sales.id });
    const live = await queryRows<{ stage_id: string; currency: string; n: number; amount: string }>(
      handle.db,
      sql`select stage_id, currency, count(*)::int as n, sum(amount_minor)::text as amount from deals
          where pipeline_id = ${sales.id} and deleted_at is null group by 1, 2 order by 1, 2`,
    );
    for (const stage of board.stages) {
      const expected = live.filter((r) => r.stage_id === stage.id);
      expect(stage.count).toBe(expected.reduce((n, r) => n + r.n, 0));
      expect(stage.totals).toEqual(expected.map((r) => ({ currency: r.currency, amountMinor: Number(r.amount) })));
      expect(dash.stages.find((s) => s.stageId === stage.id)).toMatchObject({
        count: stage.count,
        totals: stage.totals,
      });
    }
  });

  it("lose no increment when many writes hit the same groups at once", async () => {
    const p = await owner.caller.crm.pipelines.create({ name: "Busy", stages: [{ name: "One" }, { name: "Two" }] });
    const [one, two] = p.stages;
    const deals = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        owner.caller.crm.deals.create({
          title: `Busy ${i}`,
          amountMinor: 100 + i,
          currency: "EUR",
          stageId: one!.id,
          expectedCloseDate: "2026-06-15",
        }),
      ),
    );
    await Promise.all(deals.map((d, i) => owner.caller.crm.deals.move({ id: d.id, stageId: (i % 2 ? two : one)!.id })));
    await Promise.all(deals.slice(0, 8).map((d) => owner.caller.crm.deals.update({ id: d.id, amountMinor: 1 })));
    await expectTotalsFresh();
    const board = await owner.caller.crm.deals.board({ pipelineId: p.id });
    expect(board.stages.map((s) => s.count)).toEqual([8, 8]);
  });
});
