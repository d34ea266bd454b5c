import { expect, type Locator, test } from "@playwright/test";
import { mutationData, newUser, registerViaApi } from "./support/accounts";

interface Pipeline {
  id: string;
  stages: { id: string; name: string }[];
}

/** "YYYY-MM-15" of the month after this one (UTC), an expected close date in the forecast. */
function nextMonthMid(): string {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 15)).toISOString().slice(0, 10);
}

function monthLabel(isoDate: string): string {
  return new Intl.DateTimeFormat("en-GB", { month: "short", year: "numeric", timeZone: "UTC" }).format(
    new Date(`${isoDate.slice(0, 7)}-01T00:00:00Z`),
  );
}

/** The cells of the table row whose header is `name`. */
async function rowCells(table: Locator, name: string): Promise<string[]> {
  const row = table.getByRole("row").filter({ has: table.page().getByRole("rowheader", { name, exact: true }) });
  await expect(row).toHaveCount(1);
  return (await row.getByRole("cell").allTextContents()).map((text) => text.trim());
}

test("the dashboard shows the pipeline's figures, the forecast, won and lost deals, activities and overdue tasks", async ({
  page,
}) => {
  // Hydration mismatches and uncaught exceptions only show up in the console. (Links prefetch the
  // pages they lead to; a 404 there is about another page, not this one.)
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" && !message.text().startsWith("Failed to load resource"))
      errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
  await registerViaApi(page.request, newUser("dashboard"));
  const pipeline = await mutationData<Pipeline>(page.request, "crm.pipelines.create", { name: "Sales" });
  const stage = Object.fromEntries(pipeline.stages.map((s) => [s.name, s.id])) as Record<string, string>;
  const closeDate = nextMonthMid();
  const deal = (title: string, amountMinor: number, stageName: string, expectedCloseDate: string | null = null) =>
    mutationData<{ id: string }>(page.request, "crm.deals.create", {
      title,
      amountMinor,
      currency: "EUR",
      stageId: stage[stageName],
      expectedCloseDate,
    });
  await deal("Dated lead", 1_000_00, "Lead", closeDate);
  await deal("Undated lead", 3_000_00, "Lead");
  const proposal = await deal("Big proposal", 5_000_00, "Proposal", closeDate);
  const winner = await deal("Signed deal", 2_000_00, "Negotiation");
  const loser = await deal("Lost deal", 700_00, "Qualified");
  await mutationData(page.request, "crm.deals.close", { id: winner.id, outcome: "won", reason: "Great fit" });
  await mutationData(page.request, "crm.deals.close", { id: loser.id, outcome: "lost", reason: "Budget" });
  await mutationData(page.request, "crm.activities.create", {
    kind: "task",
    subject: "Send the revised proposal",
    dueAt: new Date(Date.now() - 2 * 86_400_000).toISOString(),
    dealId: proposal.id,
  });
  await mutationData(page.request, "crm.activities.create", {
    kind: "call",
    subject: "Intro call",
    dealId: proposal.id,
  });

  // Counts the charts each DOM change adds: charts drawn one per task arrive one per change.
  await page.addInitScript(() => {
    const added: number[] = [];
    Object.assign(window, { chartsAdded: added });
    new MutationObserver((records) => {
      let count = 0;
      for (const record of records)
        for (const node of record.addedNodes)
          if (node instanceof Element)
            count += Number(node.matches(".recharts-wrapper")) + node.querySelectorAll(".recharts-wrapper").length;
      if (count > 0) added.push(count);
    }).observe(document, { childList: true, subtree: true });
  });
  await page.goto("/dashboard");
  await expect(page.getByRole("heading", { name: "Dashboard", level: 1 })).toBeVisible();

  // Key figures: open = Lead 4,000 + Proposal 5,000; weighted = 10 % of 4,000 + 50 % of 5,000.
  const kpis = page.getByRole("region", { name: "Key figures" });
  await expect(kpis.getByTestId("kpi")).toHaveText([
    /Open pipeline€9,000\.003 open deals in Sales/,
    /Weighted value€2,900\.00/,
    /Won this month€2,000\.001 deal won/,
    /Overdue tasks1/,
  ]);

  // Each chart has a name, a summary, a drawing and its figures in a table.
  const stageChart = page.getByRole("figure", { name: /Pipeline by stage/ });
  await expect(stageChart).toContainText("Proposal holds the most open value: €5,000.00.");
  // Drawn after hydration; see "on a phone" below for the longer wait.
  await expect(stageChart.locator(".recharts-bar-rectangle").first()).toBeVisible({ timeout: 30_000 });
  const stageTable = stageChart.getByRole("table", { name: "Pipeline by stage, in EUR" });
  expect(await rowCells(stageTable, "Lead")).toEqual(["2", "€4,000.00", "€400.00"]);
  expect(await rowCells(stageTable, "Proposal")).toEqual(["1", "€5,000.00", "€2,500.00"]);
  expect(await rowCells(stageTable, "Won")).toEqual(["1", "€2,000.00", "€2,000.00"]);
  expect(await rowCells(stageTable, "Lost")).toEqual(["1", "€700.00", "€0.00"]);
  expect(await rowCells(stageTable, "Negotiation")).toEqual(["0", "€0.00", "€0.00"]);

  // The forecast counts only dated open deals: 10 % of 1,000 + 50 % of 5,000.
  const forecast = page.getByRole("figure", { name: /Weighted forecast/ });
  await expect(forecast.locator(".recharts-bar-rectangle").first()).toBeVisible();
  expect(await rowCells(forecast.getByRole("table"), monthLabel(closeDate))).toEqual(["2", "€2,600.00"]);

  const wonLost = page.getByRole("figure", { name: /Won and lost/ });
  await expect(wonLost).toContainText("1 won, 1 lost.");
  const thisMonth = monthLabel(new Date().toISOString());
  expect(await rowCells(wonLost.getByRole("table"), thisMonth)).toEqual(["1", "€2,000.00", "1", "€700.00"]);

  const activities = page.getByRole("figure", { name: /Activities this month/ });
  expect(await rowCells(activities.getByRole("table"), "Grace Hopper")).toEqual(["1", "0", "1", "0", "2"]);

  // The overdue task links to its deal.
  const overdue = page.getByRole("list", { name: "Overdue" });
  await expect(overdue.getByRole("link", { name: "Send the revised proposal" })).toHaveAttribute(
    "href",
    `/deals/${proposal.id}`,
  );
  await expect(overdue).toContainText("2 days ago");

  // The four charts drew one at a time, so the page answered input between them.
  await expect(page.locator(".recharts-wrapper")).toHaveCount(4, { timeout: 30_000 });
  const chartsAdded = await page.evaluate(() => (window as unknown as { chartsAdded: number[] }).chartsAdded);
  expect(chartsAdded.reduce((sum, n) => sum + n, 0)).toBeGreaterThanOrEqual(4);
  expect(Math.max(...chartsAdded)).toBe(1);
  expect(errors).toEqual([]);
});

test("a brand-new organization is told how to fill its dashboard", async ({ page }) => {
  await registerViaApi(page.request, newUser("dashboard-empty"));
  await page.goto("/dashboard");
  await expect(page.getByRole("heading", { name: "Add deals to see your pipeline" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Open the deal board" })).toHaveAttribute("href", "/deals");
  await expect(page.getByRole("link", { name: "Import deals from CSV" })).toHaveAttribute("href", "/import?kind=deals");
  await expect(page.getByText("Nothing overdue. Nice work.")).toBeVisible();
  await expect(page.getByRole("figure")).toHaveCount(0);
});

test.describe("on a phone", () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test("the charts fit the screen", async ({ page }) => {
    await registerViaApi(page.request, newUser("dashboard-phone"));
    const pipeline = await mutationData<Pipeline>(page.request, "crm.pipelines.create", { name: "Sales" });
    for (const [i, stage] of pipeline.stages.slice(0, 4).entries()) {
      await mutationData(page.request, "crm.deals.create", {
        title: `Deal ${i}`,
        amountMinor: (i + 1) * 1_000_00,
        currency: "EUR",
        stageId: stage.id,
        expectedCloseDate: nextMonthMid(),
      });
    }
    await page.goto("/dashboard");
    const stageChart = page.getByRole("figure", { name: /Pipeline by stage/ });
    // The charts draw only once the page is hydrated: about half a second of script on a quiet
    // core, more than the default 10 s in CI with two browsers and both servers on two cores.
    await expect(stageChart.locator(".recharts-bar-rectangle").first()).toBeVisible({ timeout: 30_000 });
    await expect(
      page
        .getByRole("figure", { name: /Weighted forecast/ })
        .locator(".recharts-bar-rectangle")
        .first(),
    ).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const box = await stageChart.boundingBox();
    expect(box?.width).toBeLessThanOrEqual(390);
  });
});
