import { defineConfig } from "@playwright/test";
import e2e from "./playwright.config";

/**
 * Browser measurements (`pnpm --filter @nexo/web perf`): the same production builds and servers as
 * the end-to-end tests, one browser at a time, each measurement printing its numbers. They check
 * that the page did its work, never how fast: the numbers are for reading, on a quiet machine.
 */
export default defineConfig({
  ...e2e,
  testDir: "./perf",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 300_000,
  reporter: "list",
});
