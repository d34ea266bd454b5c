import type { DbHandle } from "@nexo/db";
import { createTestDb } from "@nexo/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signedInCaller } from "./test-context";
import { expectTrpcError, fieldPaths } from "./test-helpers";
import { localDate, startOfLocalDay, startOfNextDay } from "./time-zones";

type Caller = Awaited<ReturnType<typeof signedInCaller>>["caller"];

describe("crm.dashboard", () => {
  let handle: DbHandle;
  let a: Caller;
  let b: Caller;
  let aUser: string;

  beforeAll(async () => {
    handle = await createTestDb();
    const orgA = await signedInCaller(handle.db, "Org A");
    a = orgA.caller;
    aUser = orgA.user.id;
    b = (await signedInCaller(handle.db, "Org B")).caller;
  });
  afterAll(async () => {
    await handle?.close();
  });

  it("sums open value per stage and forecasts by month weighted by stage probability", async () => {
    const p = await a.crm.pipelines.create({
      name: "Forecast",
      stages: [
        { name: "Early", probability: 10 },
        { name: "Late", probability: 50 },
        { name: "Won", probability: 100, isWon: true },
      ],
    });
    const [early, late] = p.stages;
    await a.crm.deals.create({
      title: "A",
      amountMinor: 10_000,
      currency: "EUR",
      stageId: early!.id,
      expectedCloseDate: "2026-05-10",
    });
    await a.crm.deals.create({
      title: "B",
      amountMinor: 20_000,
      currency: "EUR",
      stageId: late!.id,
      expectedCloseDate: "2026-05-20",
    });
    await a.crm.deals.create({
      title: "C",
      amountMinor: 5_000,
      currency: "USD",
      stageId: late!.id,
      expectedCloseDate: "2026-06-01",
    });
    const gone = await a.crm.deals.create({
      title: "Trashed",
      amountMinor: 99_999,
      currency: "EUR",
      stageId: late!.id,
    });
    await a.crm.deals.delete({ id: gone.id });
    await b.crm.pipelines.create({ name: "Other org" });

    const dash = await a.crm.dashboard.pipeline({ pipelineId: p.id });
    expect(dash.stages).toEqual([
      { stageId: early!.id, name: "Early", count: 1, totals: [{ currency: "EUR", amountMinor: 10_000 }] },
      {
        stageId: late!.id,
        name: "Late",
        count: 2,
        totals: [
          { currency: "EUR", amountMinor: 20_000 },
          { currency: "USD", amountMinor: 5_000 },
        ],
      },
      { stageId: p.stages[2]!.id, name: "Won", count: 0, totals: [] },
    ]);
    expect(dash.forecast).toEqual([
      { month: "2026-05", currency: "EUR", weightedMinor: 11_000, deals: 2 },
      { month: "2026-06", currency: "USD", weightedMinor: 2_500, deals: 1 },
    ]);
  });

  it("counts won and lost deals per month, activities per member and open tasks per assignee", async () => {
    const p = await a.crm.pipelines.create({ name: "Results" });
    const stageId = p.stages[0]!.id;
    const now = new Date();
    const won = await a.crm.deals.create({ title: "W", amountMinor: 700, currency: "EUR", stageId });
    const lost = await a.crm.deals.create({ title: "L", amountMinor: 300, currency: "EUR", stageId });
    await a.crm.deals.close({ id: won.id, outcome: "won", closedAt: now });
    await a.crm.deals.close({ id: lost.id, outcome: "lost", reason: "Budget", closedAt: now });
    const old = await a.crm.deals.create({ title: "Old", amountMinor: 1, currency: "EUR", stageId });
    await a.crm.deals.close({ id: old.id, outcome: "won", closedAt: new Date("2015-01-01") });
    const month = now.toISOString().slice(0, 7);
    expect(await a.crm.dashboard.wonLost({ months: 3 })).toEqual([
      { month, outcome: "won", currency: "EUR", count: 1, amountMinor: 700 },
      { month, outcome: "lost", currency: "EUR", count: 1, amountMinor: 300 },
    ]);

    await a.crm.activities.create({ kind: "call", dealId: won.id });
    await a.crm.activities.create({ kind: "call", dealId: won.id });
    await a.crm.activities.create({
      kind: "task",
      dealId: won.id,
      assigneeId: aUser,
      dueAt: new Date(Date.now() - 3_600_000),
    });
    await a.crm.activities.create({
      kind: "task",
      dealId: won.id,
      assigneeId: aUser,
      dueAt: new Date(Date.now() + 7 * 86_400_000),
    });
    await a.crm.activities.create({ kind: "task", dealId: won.id });
    const perMember = await a.crm.dashboard.activitiesPerMember({});
    expect(perMember).toEqual(
      [
        { userId: aUser, name: "Org A user", kind: "task", count: 3 },
        { userId: aUser, name: "Org A user", kind: "call", count: 2 },
      ].sort((x, y) => x.kind.localeCompare(y.kind)),
    );
    const tasks = await a.crm.dashboard.tasks();
    expect(tasks.find((t) => t.assigneeId === aUser)).toEqual({
      assigneeId: aUser,
      overdue: 1,
      today: 0,
      later: 1,
      undated: 0,
    });
    expect(tasks.find((t) => t.assigneeId === null)).toEqual({
      assigneeId: null,
      overdue: 0,
      today: 0,
      later: 0,
      undated: 1,
    });
    expect(await b.crm.dashboard.tasks()).toEqual([]);
    expect(await b.crm.dashboard.wonLost({})).toEqual([]);
  });

  it("keeps organizations apart and rejects bad input", async () => {
    const foreign = await b.crm.pipelines.create({ name: "B" });
    await expectTrpcError(a.crm.dashboard.pipeline({ pipelineId: foreign.id }), "NOT_FOUND");
    expect(fieldPaths(await expectTrpcError(a.crm.dashboard.pipeline({ pipelineId: "x" }), "BAD_REQUEST"))).toEqual([
      "pipelineId",
    ]);
    expect(fieldPaths(await expectTrpcError(a.crm.dashboard.wonLost({ months: 0 }), "BAD_REQUEST"))).toEqual([
      "months",
    ]);
    expect(
      fieldPaths(await expectTrpcError(a.crm.dashboard.tasks({ timeZone: "Mars/Olympus" }), "BAD_REQUEST")),
    ).toEqual(["timeZone"]);
  });

  it("reads months and today in the caller's time zone, and leaves out what is dated after now", async () => {
    const { caller: c, user } = await signedInCaller(handle.db, "Zones");
    const zone = "America/New_York";
    const p = await c.crm.pipelines.create({ name: "Zones" });
    const close = async (closedAt: Date) => {
      const deal = await c.crm.deals.create({
        title: "Z",
        amountMinor: 100,
        currency: "USD",
        stageId: p.stages[0]!.id,
      });
      await c.crm.deals.close({ id: deal.id, outcome: "won", closedAt });
    };
    // Two hours before last month began in New York: the month before it there, last month in UTC.
    const { year, month } = localDate(new Date(), zone);
    const lastMonthStarts = startOfLocalDay(year, month - 1, 1, zone);
    await close(new Date(lastMonthStarts.getTime() - 2 * 3600_000));
    // Closed "later today" (a close date may lie up to a day ahead): not counted before it comes.
    await close(new Date(Date.now() + 12 * 3600_000));
    const label = (m: number) => new Date(Date.UTC(year, m, 1)).toISOString().slice(0, 7);
    const months = async (timeZone?: string) =>
      (await c.crm.dashboard.wonLost({ months: 3, timeZone })).map((r) => [r.month, r.count]);
    expect(await months(zone)).toEqual([[label(month - 2), 1]]);
    expect(await months("UTC")).toEqual([[label(month - 1), 1]]);

    const contact = await c.crm.contacts.create({ firstName: "Later" });
    await c.crm.activities.create({
      kind: "meeting",
      contactId: contact.id,
      occurredAt: new Date(Date.now() + 86_400_000),
    });
    await c.crm.activities.create({ kind: "call", contactId: contact.id });
    expect((await c.crm.dashboard.activitiesPerMember({ months: 1, timeZone: zone })).map((r) => r.kind)).toEqual([
      "call",
    ]);

    // Due between the end of today in UTC and in New York: today in one, later in the other.
    const now = Date.now();
    const ends = [startOfNextDay(new Date(now), "UTC").getTime(), startOfNextDay(new Date(now), zone).getTime()];
    const dueAt = new Date(Math.max(now + 60_000, Math.round((ends[0]! + ends[1]!) / 2)));
    await c.crm.activities.create({ kind: "task", subject: "Edge", assigneeId: user.id, dueAt });
    const counts = async (timeZone: string) => {
      const [row] = await c.crm.dashboard.tasks({ timeZone });
      const listed = await c.crm.activities.tasks({ due: "today", timeZone });
      expect(row?.today).toBe(listed.items.length);
      return row?.today;
    };
    expect([await counts("UTC"), await counts(zone)].sort()).toEqual([0, 1]);
  });
});
