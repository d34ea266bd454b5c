import { expect, test } from "@playwright/test";
import { newUser, registerViaApi } from "../e2e/support/accounts";
import { CPU_SLOWDOWN, longTasks, ROUNDS, recordLongTasks, summary, throttle } from "./measure";

async function importCsv(page: import("@playwright/test").Page, kind: string, csv: string) {
  const response = await page.request.post(`${process.env.E2E_GATEWAY_URL}/import/${kind}`, {
    data: csv,
    headers: { "content-type": "text/csv", origin: process.env.E2E_WEB_URL ?? "" },
  });
  expect(response.ok(), await response.text()).toBe(true);
}

test("scrolling the contacts list to its second page", async ({ page }) => {
  await registerViaApi(page.request, newUser("perf-list"));
  const companies = Array.from({ length: 20 }, (_, i) => `Acme ${i},acme${i}.example`);
  await importCsv(page, "companies", `Name,Domain\n${companies.join("\n")}\n`);
  const contacts = Array.from({ length: 200 }, (_, i) => {
    const n = String(i + 1).padStart(3, "0");
    return `Person,${n},person${n}@list.example,+44 20 7946 ${n},Engineer,Acme ${i % 20},customer,vip;beta`;
  });
  const header = "First name,Last name,Email,Phone,Job title,Company,Lifecycle stage,Tags";
  await importCsv(page, "contacts", `${header}\n${contacts.join("\n")}\n`);

  const cdp = await page.context().newCDPSession(page);
  const shown: number[] = [];
  const longest: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    await page.goto("/contacts");
    await expect(page.locator("tbody tr[aria-rowindex='51']")).toBeAttached();
    await page.waitForLoadState("networkidle");
    await recordLongTasks(page);
    await throttle(cdp, CPU_SLOWDOWN);
    // Timed in the page, and waited for without polling the page: Playwright's own queries would
    // take the throttled CPU from the page they measure.
    await page.evaluate(() => {
      const timing = { started: performance.now(), done: 0 };
      Object.assign(window, { secondPage: timing });
      new MutationObserver((_, observer) => {
        if (!document.querySelector("tbody tr[aria-rowindex='60']")) return;
        observer.disconnect();
        requestAnimationFrame(() => setTimeout(() => (timing.done = performance.now() - timing.started)));
      }).observe(document.body, { childList: true, subtree: true });
      const scroller = document.querySelector("table")?.parentElement;
      scroller?.scrollTo({ top: scroller.scrollHeight });
    });
    await page.waitForFunction(
      () => (window as unknown as { secondPage: { done: number } }).secondPage.done > 0,
      null,
      {
        polling: 1_000,
        timeout: 120_000,
      },
    );
    shown.push(await page.evaluate(() => (window as unknown as { secondPage: { done: number } }).secondPage.done));
    await throttle(cdp, 1);
    longest.push(Math.max(0, ...(await longTasks(page))));
  }
  console.log(
    [
      `contacts list, scrolled to the end of its first page, CPU ${CPU_SLOWDOWN}× slower, ${ROUNDS} rounds:`,
      `  second page's rows in view  ${summary(shown)}`,
      `  longest task                ${summary(longest)}`,
    ].join("\n"),
  );
});
