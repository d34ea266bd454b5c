import { type DbHandle, dealStageMoves, deals, eq } from "@nexo/db";
import { createTestDb } from "@nexo/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signedInCaller } from "./test-context";
import { expectTrpcError, fieldPaths, historyOf } from "./test-helpers";

type Caller = Awaited<ReturnType<typeof signedInCaller>>["caller"];
type Pipeline = Awaited<ReturnType<Caller["crm"]["pipelines"]["create"]>>;

describe("crm.deals", () => {
  let handle: DbHandle;
  let a: Caller;
  let b: Caller;
  let bUser: string;
  let sales: Pipeline;
  let stage: Record<string, string>;

  beforeAll(async () => {
    handle = await createTestDb();
    a = (await signedInCaller(handle.db, "Org A")).caller;
    const orgB = await signedInCaller(handle.db, "Org B");
    b = orgB.caller;
    bUser = orgB.user.id;
    sales = await a.crm.pipelines.create({ name: "Sales" });
    stage = Object.fromEntries(sales.stages.map((s) => [s.name, s.id]));
  });
  afterAll(async () => {
    await handle?.close();
  });

  const movesOf = (dealId: string) =>
    handle.db
      .select({ from: dealStageMoves.fromStageId, to: dealStageMoves.toStageId })
      .from(dealStageMoves)
      .where(eq(dealStageMoves.dealId, dealId))
      .orderBy(dealStageMoves.id);

  it("creates a deal with money in minor units, a company and contacts, on top of its stage", async () => {
    const acme = await a.crm.companies.create({ name: "Acme" });
    const wile = await a.crm.contacts.create({ firstName: "Wile" });
    const first = await a.crm.deals.create({
      title: "Anvils",
      amountMinor: 1_999_99,
      currency: "usd",
      stageId: stage.Lead!,
    });
    const deal = await a.crm.deals.create({
      title: "Rockets",
      amountMinor: 12_345_678_901,
      currency: "EUR",
      expectedCloseDate: "2026-03-31",
      stageId: stage.Lead!,
      companyId: acme.id,
      contactIds: [wile.id, wile.id],
    });
    expect(first).toMatchObject({ currency: "USD", amountMinor: 199_999, status: "open", pipelineId: sales.id });
    expect(deal).toMatchObject({ amountMinor: 12_345_678_901, companyId: acme.id, contactIds: [wile.id] });
    expect(deal.position).toBeLessThan(first.position);
    const got = await a.crm.deals.get({ id: deal.id });
    expect(got).toMatchObject({ title: "Rockets", expectedCloseDate: "2026-03-31", contactIds: [wile.id], tags: [] });
    expect((await a.crm.companies.overview({ id: acme.id })).deals.map((d) => d.id)).toEqual([deal.id]);
    const listed = (await a.crm.deals.list({})).items;
    expect(listed.find((d) => d.id === deal.id)?.companyName).toBe("Acme");
    expect(listed.find((d) => d.id === first.id)?.companyName).toBeNull();
    expect(await movesOf(deal.id)).toEqual([{ from: null, to: stage.Lead }]);
  });

  it("lists with each filter, pages oldest first, and keeps each filter's values apart", async () => {
    const { caller, user } = await signedInCaller(handle.db, "Deal List Org");
    const pipeline = await caller.crm.pipelines.create({ name: "Deals" });
    const [lead, won] = [pipeline.stages[0]!.id, pipeline.stages.find((s) => s.isWon)!.id];
    const globex = await caller.crm.companies.create({ name: "Globex" });
    const hot = await caller.crm.tags.create({ name: "Hot" });
    const make = (title: string, extra: Partial<Parameters<Caller["crm"]["deals"]["create"]>[0]> = {}) =>
      caller.crm.deals.create({ title, currency: "EUR", stageId: lead, ...extra });
    const march = await make("March", { expectedCloseDate: "2026-03-15", companyId: globex.id });
    const april = await make("April", { expectedCloseDate: "2026-04-15" });
    const closed = await make("Closed", { stageId: won });
    await caller.crm.tags.set({ entityType: "deal", entityId: april.id, tagIds: [hot.id] });
    const titles = async (input: Parameters<Caller["crm"]["deals"]["list"]>[0]) =>
      (await caller.crm.deals.list(input)).items.map((d) => d.title);

    expect(await titles({ stageId: lead })).toEqual(["April", "March"]);
    expect(await titles({ stageId: won })).toEqual(["Closed"]);
    expect(await titles({ search: "clösed" })).toEqual(["Closed"]);
    expect(await titles({ status: "won" })).toEqual(["Closed"]);
    expect(await titles({ companyId: globex.id })).toEqual(["March"]);
    expect(await titles({ tagId: hot.id })).toEqual(["April"]);
    expect(await titles({ ownerId: user.id, pipelineId: pipeline.id })).toEqual(["Closed", "April", "March"]);
    expect(await titles({ expectedCloseDate: { from: new Date("2026-04-01") } })).toEqual(["April"]);
    expect(await titles({ expectedCloseDate: { to: new Date("2026-04-01") } })).toEqual(["March"]);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<Caller["crm"]["deals"]["list"]>> = await caller.crm.deals.list({
        sort: "oldest",
        limit: 2,
        cursor,
      });
      seen.push(...page.items.map((d) => d.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([march.id, april.id, closed.id]);
  });

  it("meets expected close dates at the day nearest each end of the range: a local midnight names its day", async () => {
    const { caller } = await signedInCaller(handle.db, "Close days");
    const pipeline = await caller.crm.pipelines.create({ name: "Close days" });
    for (const [title, day] of [
      ["31 March", "2026-03-31"],
      ["1 April", "2026-04-01"],
    ] as const) {
      await caller.crm.deals.create({
        title,
        currency: "EUR",
        stageId: pipeline.stages[0]!.id,
        expectedCloseDate: day,
      });
    }
    const titles = async (range: { from?: Date; to?: Date }) =>
      (await caller.crm.deals.list({ expectedCloseDate: range })).items.map((d) => d.title);
    // Midnight of 1 April in Berlin (UTC+2), in New York (UTC−4) and in UTC: each names 1 April.
    for (const midnight of ["2026-03-31T22:00:00Z", "2026-04-01T04:00:00Z", "2026-04-01T00:00:00Z"]) {
      const at = new Date(midnight);
      expect(await titles({ from: at })).toEqual(["1 April"]);
      expect(await titles({ to: at })).toEqual(["31 March"]);
    }
    expect(await titles({ from: new Date("2026-03-31T22:00:00Z"), to: new Date("2026-04-01T22:00:00Z") })).toEqual([
      "1 April",
    ]);
    // Beyond UTC+12 the nearest UTC day is the day before; the caller's zone names the day exactly.
    const auckland = new Date("2026-04-01T00:00:00+13:00");
    expect(await titles({ from: auckland })).toEqual(["1 April", "31 March"]);
    const inZone = async (range: { from?: Date; to?: Date }) =>
      (await caller.crm.deals.list({ expectedCloseDate: range, timeZone: "Pacific/Auckland" })).items.map(
        (d) => d.title,
      );
    expect(await inZone({ from: auckland })).toEqual(["1 April"]);
    expect(await inZone({ to: auckland })).toEqual(["31 March"]);
    // An instant inside a local day: from keeps the days after it, to the days up to and including it.
    const noonOn31st = new Date("2026-03-31T12:00:00+13:00");
    expect(await inZone({ from: noonOn31st })).toEqual(["1 April"]);
    expect(await inZone({ to: noonOn31st })).toEqual(["31 March"]);
    expect(
      fieldPaths(await expectTrpcError(caller.crm.deals.list({ timeZone: "Nowhere/Atlantis" }), "BAD_REQUEST")),
    ).toEqual(["timeZone"]);
    // A day given as text is that day in any zone.
    const onFirst = async (timeZone?: string) =>
      (
        await caller.crm.deals.list({ expectedCloseDate: { from: "2026-04-01", to: "2026-04-02" }, timeZone })
      ).items.map((d) => d.title);
    for (const timeZone of [undefined, "America/New_York", "Europe/Berlin", "Pacific/Auckland"]) {
      expect(await onFirst(timeZone), timeZone).toEqual(["1 April"]);
    }
  });

  it("updates fields and contacts, recording each change", async () => {
    const c1 = await a.crm.contacts.create({ firstName: "One" });
    const c2 = await a.crm.contacts.create({ firstName: "Two" });
    const deal = await a.crm.deals.create({
      title: "Widgets",
      currency: "EUR",
      stageId: stage.Lead!,
      contactIds: [c1.id],
    });
    const updated = await a.crm.deals.update({ id: deal.id, amountMinor: 5000, contactIds: [c2.id] });
    expect(updated).toMatchObject({ amountMinor: 5000, contactIds: [c2.id] });
    const history = await historyOf(handle.db, "deal", deal.id);
    expect(history.slice(1)).toEqual([
      { field: "amountMinor", oldValue: 0, newValue: 5000 },
      { field: "contactIds", oldValue: [c1.id], newValue: [c2.id] },
    ]);
    expect((await a.crm.deals.list({ contactId: c2.id })).items.map((d) => d.id)).toEqual([deal.id]);

    // `get` reads the deal, its tags, contacts and custom field values in one statement: the same
    // deal as the update wrote.
    const vip = await a.crm.tags.create({ name: "Widget buyer" });
    await a.crm.tags.set({ entityType: "deal", entityId: deal.id, tagIds: [vip.id] });
    const both = await a.crm.deals.update({ id: deal.id, title: "Widgets & co", contactIds: [c2.id, c1.id] });
    expect(await a.crm.deals.get({ id: deal.id })).toEqual({
      ...both,
      contactIds: [c1.id, c2.id].sort(),
      tags: [{ id: vip.id, name: "Widget buyer", color: vip.color }],
    });
  });

  it("moves between stages at a position, recording the move; won/lost stages close the deal", async () => {
    const x = await a.crm.deals.create({ title: "X", currency: "EUR", stageId: stage.Proposal! });
    const y = await a.crm.deals.create({ title: "Y", currency: "EUR", stageId: stage.Proposal! });
    const z = await a.crm.deals.create({ title: "Z", currency: "EUR", stageId: stage.Qualified! });
    // Proposal is [Y, X]; put Z between them.
    await a.crm.deals.move({ id: z.id, stageId: stage.Proposal!, afterDealId: y.id });
    const column = await a.crm.deals.stagePage({ stageId: stage.Proposal! });
    expect(column.items.map((d) => d.title)).toEqual(["Y", "Z", "X"]);
    // Many moves into the same gap keep the order (positions get renumbered when needed).
    for (let i = 0; i < 60; i++) {
      await a.crm.deals.move({ id: i % 2 === 0 ? x.id : z.id, stageId: stage.Proposal!, afterDealId: y.id });
    }
    expect((await a.crm.deals.stagePage({ stageId: stage.Proposal! })).items.map((d) => d.title)).toEqual([
      "Y",
      "Z",
      "X",
    ]);

    const won = await a.crm.deals.move({ id: z.id, stageId: stage.Won! });
    expect(won.status).toBe("won");
    expect(won.closedAt).toBeInstanceOf(Date);
    const reopened = await a.crm.deals.move({ id: z.id, stageId: stage.Negotiation! });
    expect(reopened).toMatchObject({ status: "open", closedAt: null, closeReason: null });
    expect(await movesOf(z.id)).toEqual([
      { from: null, to: stage.Qualified },
      { from: stage.Qualified, to: stage.Proposal },
      { from: stage.Proposal, to: stage.Won },
      { from: stage.Won, to: stage.Negotiation },
    ]);
    const stageHistory = (await historyOf(handle.db, "deal", z.id)).filter((h) => h.field === "stageId");
    expect(stageHistory.map((h) => h.newValue)).toEqual([stage.Proposal, stage.Won, stage.Negotiation]);
  });

  it("closes as won or lost with a reason and a date", async () => {
    const deal = await a.crm.deals.create({ title: "Lost cause", currency: "EUR", stageId: stage.Proposal! });
    const closedAt = new Date("2026-01-15T10:00:00Z");
    const lost = await a.crm.deals.close({ id: deal.id, outcome: "lost", reason: "Went with a competitor", closedAt });
    expect(lost).toMatchObject({
      status: "lost",
      stageId: stage.Lost,
      closeReason: "Went with a competitor",
      closedAt,
    });
    const noStages = await a.crm.pipelines.create({ name: "Plain", stages: [{ name: "Only" }] });
    const plain = await a.crm.deals.create({ title: "Plain", currency: "EUR", stageId: noStages.stages[0]!.id });
    const won = await a.crm.deals.close({ id: plain.id, outcome: "won", reason: "Great fit" });
    expect(won).toMatchObject({ status: "won", stageId: noStages.stages[0]!.id, closeReason: "Great fit" });
    expect((await a.crm.deals.list({ status: "won", pipelineId: noStages.id })).items.map((d) => d.id)).toEqual([
      plain.id,
    ]);
  });

  it("shows a pipeline as a board with capped columns and totals per currency", async () => {
    const board = await a.crm.pipelines.create({ name: "Board" });
    const lead = board.stages[0]!.id;
    for (let i = 0; i < 3; i++)
      await a.crm.deals.create({ title: `EUR ${i}`, amountMinor: 100, currency: "EUR", stageId: lead });
    await a.crm.deals.create({ title: "USD", amountMinor: 250, currency: "USD", stageId: lead });
    const gone = await a.crm.deals.create({ title: "Trashed", amountMinor: 9999, currency: "EUR", stageId: lead });
    await a.crm.deals.delete({ id: gone.id });
    const view = await a.crm.deals.board({ pipelineId: board.id, perStage: 2 });
    expect(view.stages.map((s) => s.name)).toEqual(["Lead", "Qualified", "Proposal", "Negotiation", "Won", "Lost"]);
    const first = view.stages[0]!;
    expect(first.deals.map((d) => d.title)).toEqual(["USD", "EUR 2"]);
    expect(first.hasMore).toBe(true);
    expect(first.count).toBe(4);
    expect([...first.totals].sort((x, y) => x.currency.localeCompare(y.currency))).toEqual([
      { currency: "EUR", amountMinor: 300 },
      { currency: "USD", amountMinor: 250 },
    ]);
    expect(view.stages[1]).toMatchObject({ deals: [], count: 0, totals: [], hasMore: false });
    expect(view.stages[1]?.nextCursor).toBeNull();
    // Another number per stage is another statement (the number is written into its text).
    const three = await a.crm.deals.board({ pipelineId: board.id, perStage: 3 });
    expect(three.stages[0]?.deals.map((d) => d.title)).toEqual(["USD", "EUR 2", "EUR 1"]);
    expect(three.stages[0]?.hasMore).toBe(true);
    // With an owner filter, and other numbers per stage.
    const ownerId = gone.ownerId;
    if (!ownerId) throw new Error("a new deal has its creator as owner");
    const mine = await a.crm.deals.board({ pipelineId: board.id, perStage: 4, ownerId });
    expect(mine.stages[0]).toMatchObject({ count: 4, hasMore: false });
    expect(mine.stages[0]?.deals.map((d) => d.title)).toEqual(["USD", "EUR 2", "EUR 1", "EUR 0"]);
    const one = await a.crm.deals.board({ pipelineId: board.id, perStage: 1, ownerId });
    expect(one.stages[0]).toMatchObject({ count: 4, hasMore: true });
    expect(one.stages[0]?.deals.map((d) => d.title)).toEqual(["USD"]);
    const nobody = await a.crm.deals.board({ pipelineId: board.id, ownerId: bUser });
    expect(nobody.stages[0]).toMatchObject({ deals: [], count: 0, totals: [], hasMore: false });
    const rest = await a.crm.deals.stagePage({ stageId: lead, limit: 2 });
    const more = await a.crm.deals.stagePage({ stageId: lead, limit: 2, cursor: rest.nextCursor });
    expect([...rest.items, ...more.items].map((d) => d.title)).toEqual(["USD", "EUR 2", "EUR 1", "EUR 0"]);
    expect(more.nextCursor).toBeNull();
    // The board's own cursor goes on right after the cards it shows.
    const after = await a.crm.deals.stagePage({ stageId: lead, cursor: first.nextCursor });
    expect(after.items.map((d) => d.title)).toEqual(["EUR 1", "EUR 0"]);
  });

  it("gives each card on the board exactly as the stage's next page gives that deal", async () => {
    const board = await a.crm.pipelines.create({ name: "Exact" });
    const lead = board.stages[0]!.id;
    const initech = await a.crm.companies.create({ name: "Initech Ünlimited" });
    const big = await a.crm.deals.create({
      title: 'Big "quoted" \\ deal',
      amountMinor: 2 ** 40 + 7,
      currency: "jpy",
      stageId: lead,
      companyId: initech.id,
      expectedCloseDate: "2027-02-28",
    });
    const plain = await a.crm.deals.create({ title: "Plain", currency: "EUR", stageId: lead });
    // Between the two: a fractional position.
    await a.crm.deals.create({ title: "Between", currency: "EUR", stageId: lead });
    const between = (await a.crm.deals.list({ pipelineId: board.id })).items.find((d) => d.title === "Between")!;
    await a.crm.deals.move({ id: between.id, stageId: lead, afterDealId: plain.id });
    const cards = (await a.crm.deals.board({ pipelineId: board.id })).stages[0]!.deals;
    const page = await a.crm.deals.stagePage({ stageId: lead });
    expect(cards.map((c) => c.title)).toEqual(["Plain", "Between", 'Big "quoted" \\ deal']);
    expect(cards).toStrictEqual(page.items);
    expect(cards[1]!.position % 1).not.toBe(0);
    expect(cards[2]).toMatchObject({
      id: big.id,
      amountMinor: 2 ** 40 + 7,
      currency: "JPY",
      expectedCloseDate: "2027-02-28",
      companyName: "Initech Ünlimited",
      status: "open",
    });
  });

  it("names each card's company on the board, unless that company is in the trash", async () => {
    const board = await a.crm.pipelines.create({ name: "Cards" });
    const lead = board.stages[0]!.id;
    const globex = await a.crm.companies.create({ name: "Globex" });
    const gone = await a.crm.companies.create({ name: "Gone Inc" });
    await a.crm.deals.create({ title: "Plain", currency: "EUR", stageId: lead });
    await a.crm.deals.create({ title: "Trashed co", currency: "EUR", stageId: lead, companyId: gone.id });
    await a.crm.deals.create({
      title: "Globex deal",
      currency: "EUR",
      amountMinor: 12_345_678_901,
      expectedCloseDate: "2026-05-01",
      stageId: lead,
      companyId: globex.id,
    });
    await a.crm.companies.delete({ id: gone.id });
    const expected = [
      { title: "Globex deal", companyId: globex.id, companyName: "Globex" },
      { title: "Trashed co", companyId: gone.id, companyName: null },
      { title: "Plain", companyId: null, companyName: null },
    ];
    const view = await a.crm.deals.board({ pipelineId: board.id });
    expect(view.stages[0]?.deals).toMatchObject(expected);
    const page = (await a.crm.deals.stagePage({ stageId: lead })).items;
    expect(page).toMatchObject(expected);
    // The board's cards are decoded as the stage page's are (money, dates, positions).
    expect(view.stages[0]?.deals).toEqual(page);
    expect(page[0]).toMatchObject({ amountMinor: 12_345_678_901, expectedCloseDate: "2026-05-01" });
    expect(typeof page[0]?.position).toBe("number");
    // A card carries what it shows and what moving it needs, no more: boards send hundreds.
    expect(Object.keys(view.stages[0]?.deals[0] ?? {}).sort()).toEqual([
      "amountMinor",
      "companyId",
      "companyName",
      "currency",
      "expectedCloseDate",
      "id",
      "ownerId",
      "position",
      "stageId",
      "status",
      "title",
    ]);
  });

  it("trashes and restores deals", async () => {
    const deal = await a.crm.deals.create({ title: "Trash me", currency: "EUR", stageId: stage.Lead! });
    await a.crm.deals.delete({ id: deal.id });
    await expectTrpcError(a.crm.deals.get({ id: deal.id }), "NOT_FOUND");
    await expectTrpcError(a.crm.deals.move({ id: deal.id, stageId: stage.Won! }), "NOT_FOUND");
    expect((await a.crm.deals.trash({})).items.map((d) => d.id)).toContain(deal.id);
    await a.crm.deals.restore({ id: deal.id });
    expect((await a.crm.deals.get({ id: deal.id })).title).toBe("Trash me");
  });

  it("never touches or links another organization's records", async () => {
    const bPipeline = await b.crm.pipelines.create({ name: "B" });
    const bStage = bPipeline.stages[0]!.id;
    const bDeal = await b.crm.deals.create({ title: "B deal", currency: "EUR", stageId: bStage });
    const bCompany = await b.crm.companies.create({ name: "B Co" });
    const bContact = await b.crm.contacts.create({ firstName: "B Person" });

    await expectTrpcError(a.crm.deals.get({ id: bDeal.id }), "NOT_FOUND");
    await expectTrpcError(a.crm.deals.update({ id: bDeal.id, title: "x" }), "NOT_FOUND");
    await expectTrpcError(a.crm.deals.move({ id: bDeal.id, stageId: bStage }), "NOT_FOUND");
    await expectTrpcError(a.crm.deals.close({ id: bDeal.id, outcome: "won" }), "NOT_FOUND");
    await expectTrpcError(a.crm.deals.delete({ id: bDeal.id }), "NOT_FOUND");
    await expectTrpcError(a.crm.deals.board({ pipelineId: bPipeline.id }), "NOT_FOUND");
    await expectTrpcError(a.crm.deals.stagePage({ stageId: bStage }), "NOT_FOUND");
    await expectTrpcError(a.crm.deals.create({ title: "x", currency: "EUR", stageId: bStage }), "NOT_FOUND");
    const mine = await a.crm.deals.create({ title: "Mine", currency: "EUR", stageId: stage.Lead! });
    await expectTrpcError(a.crm.deals.update({ id: mine.id, companyId: bCompany.id }), "NOT_FOUND");
    await expectTrpcError(a.crm.deals.update({ id: mine.id, contactIds: [bContact.id] }), "NOT_FOUND");
    await expectTrpcError(a.crm.deals.update({ id: mine.id, ownerId: bUser }), "NOT_FOUND");
    await expectTrpcError(a.crm.deals.move({ id: mine.id, stageId: bStage }), "NOT_FOUND");
    await expectTrpcError(a.crm.deals.move({ id: mine.id, stageId: stage.Lead!, afterDealId: bDeal.id }), "NOT_FOUND");
    expect(await a.crm.deals.get({ id: mine.id })).toMatchObject({
      companyId: null,
      contactIds: [],
      stageId: stage.Lead,
    });
    expect((await a.crm.deals.list({ search: "b deal" })).items).toEqual([]);
    expect((await b.crm.deals.get({ id: bDeal.id })).title).toBe("B deal");
  });

  it("rejects malformed input with field-level issues", async () => {
    const bad = await expectTrpcError(
      a.crm.deals.create({
        title: "",
        amountMinor: 12.5,
        currency: "euro",
        expectedCloseDate: "31/12/2026",
        stageId: "lead",
      }),
      "BAD_REQUEST",
    );
    expect(fieldPaths(bad).sort()).toEqual(["amountMinor", "currency", "expectedCloseDate", "stageId", "title"]);
    await expectTrpcError(
      a.crm.deals.create({ title: "x", amountMinor: -1, currency: "EUR", stageId: stage.Lead! }),
      "BAD_REQUEST",
    );
    await expectTrpcError(a.crm.deals.close({ id: crypto.randomUUID(), outcome: "maybe" as never }), "BAD_REQUEST");
    await expectTrpcError(a.crm.deals.update({ id: crypto.randomUUID() }), "BAD_REQUEST");
    const other = await a.crm.pipelines.create({ name: "Other" });
    const deal = await a.crm.deals.create({ title: "Stay", currency: "EUR", stageId: stage.Lead! });
    await expectTrpcError(a.crm.deals.move({ id: deal.id, stageId: other.stages[0]!.id }), "BAD_REQUEST");
    await expectTrpcError(a.crm.deals.stagePage({ stageId: stage.Lead!, cursor: "xyz" }), "BAD_REQUEST");
  });

  it("refuses dates outside the years 1000–9999 per field, not as a server error", async () => {
    const yearMinus1000 = new Date("-001000-01-01T00:00:00Z");
    const yearZero = await expectTrpcError(
      a.crm.deals.create({ title: "x", currency: "EUR", stageId: stage.Lead!, expectedCloseDate: "0000-01-01" }),
      "BAD_REQUEST",
    );
    expect(fieldPaths(yearZero)).toEqual(["expectedCloseDate"]);
    const deal = await a.crm.deals.create({
      title: "Far ends",
      currency: "EUR",
      stageId: stage.Lead!,
      expectedCloseDate: "9999-12-31",
    });
    const close = await expectTrpcError(
      a.crm.deals.close({ id: deal.id, outcome: "won", closedAt: yearMinus1000 }),
      "BAD_REQUEST",
    );
    expect(fieldPaths(close)).toEqual(["closedAt"]);
    const year10000 = await expectTrpcError(
      a.crm.deals.close({ id: deal.id, outcome: "won", closedAt: new Date("+010000-01-01T00:00:00Z") }),
      "BAD_REQUEST",
    );
    expect(fieldPaths(year10000)).toEqual(["closedAt"]);
    const range = await expectTrpcError(
      a.crm.deals.list({ expectedCloseDate: { from: yearMinus1000 } }),
      "BAD_REQUEST",
    );
    expect(fieldPaths(range)).toEqual(["expectedCloseDate.from"]);
    // Year 1 is a valid Postgres date, but JS reads it back as 2001: refused too.
    await expectTrpcError(
      a.crm.deals.close({ id: deal.id, outcome: "won", closedAt: new Date("0001-01-01T00:00:00Z") }),
      "BAD_REQUEST",
    );
    // The first and last years still work.
    const closedAt = new Date("1000-01-01T00:00:00Z");
    expect(await a.crm.deals.close({ id: deal.id, outcome: "won", closedAt })).toMatchObject({ closedAt });
    // A close date is not in the future (a day of grace for a date picked in the reader's zone).
    const tomorrowNoon = await expectTrpcError(
      a.crm.deals.close({ id: deal.id, outcome: "lost", closedAt: new Date(Date.now() + 36 * 3_600_000) }),
      "BAD_REQUEST",
    );
    expect(tomorrowNoon.message).toContain("The close date can’t be in the future.");
    expect(fieldPaths(tomorrowNoon)).toEqual(["closedAt"]);
    expect(await a.crm.deals.get({ id: deal.id })).toMatchObject({ status: "won", closedAt });
    const inTwelveHours = new Date(Date.now() + 12 * 3_600_000);
    expect(await a.crm.deals.close({ id: deal.id, outcome: "lost", closedAt: inTwelveHours })).toMatchObject({
      status: "lost",
      closedAt: inTwelveHours,
    });
    const listed = await a.crm.deals.list({ expectedCloseDate: { from: closedAt } });
    expect(listed.items.map((d) => d.id)).toContain(deal.id);
    await expect(a.crm.deals.list({ expectedCloseDate: { to: new Date("9999-12-31") } })).resolves.toBeDefined();
  });

  it("takes ISO 4217 currency codes only", async () => {
    const unknown = await expectTrpcError(
      a.crm.deals.create({ title: "x", currency: "QQQ", stageId: stage.Lead! }),
      "BAD_REQUEST",
    );
    expect(fieldPaths(unknown)).toEqual(["currency"]);
    const deal = await a.crm.deals.create({ title: "Yen", currency: "jpy", stageId: stage.Lead! });
    expect(deal.currency).toBe("JPY");
    const changed = await expectTrpcError(a.crm.deals.update({ id: deal.id, currency: "ABC" }), "BAD_REQUEST");
    expect(fieldPaths(changed)).toEqual(["currency"]);
    expect((await a.crm.deals.update({ id: deal.id, currency: "chf" })).currency).toBe("CHF");
    // Codes newer than some runtimes' data are known.
    expect((await a.crm.deals.update({ id: deal.id, currency: "VED" })).currency).toBe("VED");
    // A code stored before currencies were checked can be sent back unchanged with a new amount.
    await handle.db.update(deals).set({ currency: "QQQ" }).where(eq(deals.id, deal.id));
    expect(await a.crm.deals.update({ id: deal.id, amountMinor: 500, currency: "QQQ" })).toMatchObject({
      amountMinor: 500,
      currency: "QQQ",
    });
    await expectTrpcError(a.crm.deals.update({ id: deal.id, currency: "QQZ" }), "BAD_REQUEST");
  });
});
