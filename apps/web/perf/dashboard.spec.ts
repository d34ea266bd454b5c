import { expect, test } from "@playwright/test";
import { mutationData, newUser, registerViaApi } from "../e2e/support/accounts";
import { sidebar } from "../e2e/support/shell";
import { CPU_SLOWDOWN, longTasks, ROUNDS, recordLongTasks, summary, throttle } from "./measure";

test("opening the dashboard from another page", async ({ page }) => {
  await registerViaApi(page.request, newUser("perf-dashboard"));
  // Enough for all four charts to draw: open deals in four stages, a won and a lost one, activities.
  const pipeline = await mutationData<{ stages: { id: string }[] }>(page.request, "crm.pipelines.create", {
    name: "Sales",
  });
  const closeDate = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  const dealIds: string[] = [];
  for (const [i, stage] of pipeline.stages.slice(0, 4).entries()) {
    const deal = await mutationData<{ id: string }>(page.request, "crm.deals.create", {
      title: `Deal ${i}`,
      amountMinor: (i + 1) * 100_000,
      currency: "EUR",
      stageId: stage.id,
      expectedCloseDate: closeDate,
    });
    dealIds.push(deal.id);
  }
  await mutationData(page.request, "crm.deals.close", { id: dealIds[0], outcome: "won", reason: "Fit" });
  await mutationData(page.request, "crm.deals.close", { id: dealIds[1], outcome: "lost", reason: "Budget" });
  for (const kind of ["call", "meeting", "note"])
    await mutationData(page.request, "crm.activities.create", { kind, subject: `A ${kind}`, dealId: dealIds[2] });

  const cdp = await page.context().newCDPSession(page);
  const firstChart: number[] = [];
  const allCharts: number[] = [];
  const longest: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    await page.goto("/contacts");
    await expect(page.getByRole("heading", { name: "Contacts", level: 1 })).toBeVisible();
    await page.waitForLoadState("networkidle");
    await recordLongTasks(page);
    await throttle(cdp, CPU_SLOWDOWN);
    const started = Date.now();
    await sidebar(page).getByRole("link", { name: "Dashboard" }).click();
    await expect(page.locator(".recharts-wrapper").first()).toBeVisible({ timeout: 120_000 });
    firstChart.push(Date.now() - started);
    await expect(page.locator(".recharts-wrapper")).toHaveCount(4, { timeout: 120_000 });
    allCharts.push(Date.now() - started);
    await throttle(cdp, 1);
    longest.push(Math.max(0, ...(await longTasks(page))));
  }
  console.log(
    [
      `dashboard, opened from /contacts, CPU ${CPU_SLOWDOWN}× slower, ${ROUNDS} rounds:`,
      `  first chart drawn   ${summary(firstChart)}`,
      `  all 4 charts drawn  ${summary(allCharts)}`,
      `  longest task        ${summary(longest)}`,
    ].join("\n"),
  );
});
