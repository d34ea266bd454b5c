import type { CDPSession, Page } from "@playwright/test";

/** How many times each measurement runs, and how much slower than this machine the CPU is made. */
export const ROUNDS = Number(process.env.PERF_ROUNDS ?? 5);
export const CPU_SLOWDOWN = Number(process.env.PERF_CPU_SLOWDOWN ?? 6);

/** Starts recording the page's long tasks (main-thread work over 50 ms), from now on. */
export async function recordLongTasks(page: Page): Promise<void> {
  await page.evaluate(() => {
    const durations: number[] = [];
    Object.assign(window, { longTasks: durations });
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) durations.push(entry.duration);
    }).observe({ type: "longtask" });
  });
}

export async function longTasks(page: Page): Promise<number[]> {
  return page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);
}

/** Makes the page's CPU `rate` times slower (1 puts it back). */
export async function throttle(cdp: CDPSession, rate: number): Promise<void> {
  await cdp.send("Emulation.setCPUThrottlingRate", { rate });
}

/** "median 640 (410–1,100) ms" over the rounds. */
export function summary(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN;
  const ms = (n: number) => Math.round(n).toLocaleString("en");
  return `median ${ms(median)} (${ms(sorted[0] ?? Number.NaN)}–${ms(sorted.at(-1) ?? Number.NaN)}) ms`;
}
