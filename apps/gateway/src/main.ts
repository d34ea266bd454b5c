import { resolve } from "node:path";
import { createAuth, defaultRateLimits } from "@nexo/auth";
import { createDb } from "@nexo/db";
import { EnvError, loadEnv } from "./env";
import { createLogger } from "./logger";
import { createGatewayServer } from "./server";
import { startStaleImportSweep } from "./stale-imports";
import { startTrashPurge } from "./trash-purge";

async function main() {
  let env: ReturnType<typeof loadEnv>;
  try {
    env = loadEnv();
  } catch (error) {
    if (error instanceof EnvError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const log = createLogger(env.LOG_LEVEL);

  const embedded = !env.DATABASE_URL;
  const dataDir = env.PGLITE_DIR === "memory" ? undefined : resolve(env.PGLITE_DIR);
  const db = env.DATABASE_URL
    ? await createDb({
        kind: "postgres",
        url: env.DATABASE_URL,
        poolSize: env.DB_POOL_SIZE,
        statementTimeoutMs: env.DB_STATEMENT_TIMEOUT_MS,
      })
    : await createDb({ kind: "pglite", dataDir });
  const auth = createAuth({
    secret: env.SESSION_SECRET,
    appUrl: env.APP_URL,
    redisUrl: env.REDIS_URL,
    keyPrefix: env.REDIS_KEY_PREFIX,
    idleTimeoutSeconds: env.SESSION_IDLE_TIMEOUT_SECONDS,
    absoluteLifetimeSeconds: env.SESSION_ABSOLUTE_LIFETIME_SECONDS,
    smtpUrl: env.SMTP_URL,
    mailFrom: env.MAIL_FROM,
    rateLimits: {
      loginPerIp: { ...defaultRateLimits.loginPerIp, limit: env.RATE_LIMIT_LOGIN_PER_IP },
      registerPerIp: { ...defaultRateLimits.registerPerIp, limit: env.RATE_LIMIT_REGISTER_PER_IP },
      resetPerIp: { ...defaultRateLimits.resetPerIp, limit: env.RATE_LIMIT_RESET_PER_IP },
      searchPerUser: { ...defaultRateLimits.searchPerUser, limit: env.RATE_LIMIT_SEARCH_PER_USER },
      importPerUser: { ...defaultRateLimits.importPerUser, limit: env.RATE_LIMIT_IMPORT_PER_USER },
      importPerOrg: { ...defaultRateLimits.importPerOrg, limit: env.RATE_LIMIT_IMPORT_PER_ORG },
      exportPerUser: { ...defaultRateLimits.exportPerUser, limit: env.RATE_LIMIT_EXPORT_PER_USER },
    },
    log,
  });
  if (env.sessionSecretGenerated) log.warn("SESSION_SECRET is not set: using a random one, sessions end at restart");
  if (!env.SMTP_URL) log.info("SMTP_URL is not set: password reset links are issued by admins");

  const migrationStart = Date.now();
  await db.migrate();
  log.info(
    {
      database: embedded ? `pglite (${dataDir ?? "in memory"})` : "postgres",
      sessions: auth.storeKind,
      ms: Date.now() - migrationStart,
    },
    "migrations applied",
  );

  // Before serving: an import this gateway's previous run left half-way is reported as such.
  const staleImports = await startStaleImportSweep({ db: db.db, log, staleAfterMs: env.IMPORT_STALE_AFTER_MS });

  const { server, shutdown } = createGatewayServer({
    db,
    auth,
    log,
    appUrl: env.APP_URL,
    trustProxy: env.TRUST_PROXY,
    maxBodyBytes: env.MAX_BODY_BYTES,
    maxImportBytes: env.IMPORT_MAX_BYTES,
    requestTimeoutMs: env.REQUEST_TIMEOUT_MS,
    headersTimeoutMs: env.HTTP_HEADERS_TIMEOUT_MS,
    bodyTimeoutMs: env.HTTP_REQUEST_TIMEOUT_MS,
  });
  const trashPurge = startTrashPurge({ db: db.db, log, retentionDays: env.TRASH_RETENTION_DAYS });
  server.listen(env.PORT, env.HOST, () => {
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : env.PORT;
    log.info({ url: `http://${env.HOST}:${port}` }, "gateway listening");
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "shutting down: finishing in-flight requests");
    shutdown(env.SHUTDOWN_TIMEOUT_MS)
      .then(() => Promise.all([trashPurge.stop(), staleImports.stop()]))
      .then(() => Promise.allSettled([db.close(), auth.close()]))
      .then(() => {
        log.info("stopped");
        process.exit(0);
      })
      .catch((error: unknown) => {
        log.error({ err: error }, "shutdown failed");
        process.exit(1);
      });
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

main().catch((error: unknown) => {
  process.stderr.write(`gateway failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
