import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { defineConfig, devices } from "@playwright/test";

/**
 * End-to-end tests against the production builds: the bundled gateway (apps/gateway/dist) and the
 * standalone web server (.next/standalone), on their own ports so a dev server can keep running.
 * Build first: `pnpm turbo run build --filter @nexo/web --filter @nexo/gateway`.
 *
 * E2E_BASE_URL points the tests at a stack that is already running instead (e.g. the compose
 * stack docker/verify.sh starts): then no servers are started and the ports above are unused.
 * E2E_GATEWAY_URL is where the API token tests call that stack's gateway.
 */

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
const webPort = Number(process.env.E2E_WEB_PORT ?? 3100);
const gatewayPort = Number(process.env.E2E_GATEWAY_PORT ?? 4100);
const externalUrl = process.env.E2E_BASE_URL?.replace(/\/+$/, "");
const webUrl = externalUrl ?? `http://127.0.0.1:${webPort}`;
const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
// Where tests reach the gateway directly, as API token scripts do; set it with E2E_BASE_URL when
// that stack's gateway is reachable from here.
process.env.E2E_GATEWAY_URL ??= gatewayUrl;
// Mutations carrying a session cookie must come from the app's origin (CSRF protection).
process.env.E2E_WEB_URL = webUrl;

// Workers load this file again: they must see the run id the main process chose, not a new one.
process.env.E2E_RUN_ID ??= `${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
const runId = process.env.E2E_RUN_ID;
process.env.E2E_SESSION_SECRET ??= randomBytes(48).toString("base64url");

const isCI = Boolean(process.env.CI);

const config = defineConfig({
  testDir: "./e2e",
  outputDir: "./test-results",
  fullyParallel: true,
  forbidOnly: isCI,
  retries: isCI ? 1 : 0,
  workers: isCI ? 2 : undefined,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: isCI ? [["list"], ["html", { open: "never", outputFolder: "playwright-report" }]] : "list",
  use: {
    baseURL: webUrl,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    video: "off",
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        launchOptions: {
          // CI and this machine use Debian's Chromium; elsewhere Playwright's own browser.
          executablePath: process.env.CHROMIUM_PATH || undefined,
          args: [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
          ],
        },
      },
    },
  ],
  webServer: [
    {
      name: "gateway",
      command: "node apps/web/e2e/support/with-database.mjs node apps/gateway/dist/main.mjs",
      cwd: repoRoot,
      url: `${gatewayUrl}/healthz`,
      reuseExistingServer: false,
      timeout: 120_000,
      // The wrapper drops the run's database once the gateway has shut down cleanly.
      gracefulShutdown: { signal: "SIGTERM", timeout: 20_000 },
      stdout: "pipe",
      env: {
        NODE_ENV: "production",
        HOST: "127.0.0.1",
        PORT: String(gatewayPort),
        APP_URL: webUrl,
        // Calls arrive through the web server, which passes the browser's address on.
        TRUST_PROXY: "true",
        SESSION_SECRET: process.env.E2E_SESSION_SECRET,
        SESSION_IDLE_TIMEOUT_SECONDS: "900",
        // Every test signs up and in from this one address: the production per-address limits
        // would refuse the suite long before it ends. Per-account limits stay as they ship.
        RATE_LIMIT_LOGIN_PER_IP: "1000",
        RATE_LIMIT_REGISTER_PER_IP: "1000",
        RATE_LIMIT_RESET_PER_IP: "1000",
        // One user may search, import and export many times in a run; the suite tests pages, not limits.
        RATE_LIMIT_SEARCH_PER_USER: "100000",
        RATE_LIMIT_IMPORT_PER_USER: "1000",
        RATE_LIMIT_IMPORT_PER_ORG: "1000",
        RATE_LIMIT_EXPORT_PER_USER: "1000",
        E2E_DATABASE_NAME: `nexo_e2e_${runId}`,
        REDIS_KEY_PREFIX: `nexo-e2e:${runId}:`,
        // Used only when DATABASE_URL is unset.
        PGLITE_DIR: "memory",
        LOG_LEVEL: "warn",
      },
    },
    {
      name: "web",
      command: "node .next/standalone/apps/web/serve.mjs",
      url: `${webUrl}/healthz`,
      reuseExistingServer: false,
      timeout: 60_000,
      env: {
        NODE_ENV: "production",
        NEXT_TELEMETRY_DISABLED: "1",
        HOSTNAME: "127.0.0.1",
        PORT: String(webPort),
        GATEWAY_URL: gatewayUrl,
      },
    },
  ],
});

if (externalUrl) config.webServer = undefined;

export default config;
