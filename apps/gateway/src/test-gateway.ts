import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { createAuth, type Mail, type RateLimits } from "@nexo/auth";
import { createDb, type DbHandle } from "@nexo/db";
import { createTestDb } from "@nexo/db/testing";
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import superjson from "superjson";
import { createLogger } from "./logger";
import type { AppRouter } from "./router";
import { createGatewayServer } from "./server";

export const APP_URL = "http://app.test";

export interface TestGatewayOptions {
  /** A server of the test's own (fault tests); default: a fresh database from createTestDb. */
  databaseUrl?: string;
  poolSize?: number;
  redisUrl?: string;
  requestTimeoutMs?: number;
  headersTimeoutMs?: number;
  bodyTimeoutMs?: number;
  rateLimits?: Partial<RateLimits>;
  maxImportBytes?: number;
}

async function openDatabase(options: TestGatewayOptions): Promise<DbHandle> {
  if (!options.databaseUrl) return createTestDb();
  const handle = await createDb({ kind: "postgres", url: options.databaseUrl, poolSize: options.poolSize ?? 4 });
  await handle.migrate();
  return handle;
}

/**
 * A gateway on an ephemeral loopback port over a fresh database, capturing its log lines and the mail
 * it sends. Per-IP rate limits are generous unless a test sets its own: every test client shares one IP.
 */
export async function startTestGateway(options: TestGatewayOptions = {}) {
  const db: DbHandle = await openDatabase(options);
  const logLines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  const keyPrefix = `nexo-test:${crypto.randomUUID()}:`;
  const mails: Mail[] = [];
  const log = createLogger("debug", sink);
  const auth = createAuth({
    secret: "test-secret-test-secret-test-secret-0123456789",
    appUrl: APP_URL,
    redisUrl: options.redisUrl ?? process.env.REDIS_URL,
    keyPrefix,
    log,
    rateLimits: {
      loginPerIp: { limit: 10_000, windowSeconds: 60 },
      registerPerIp: { limit: 10_000, windowSeconds: 60 },
      resetPerIp: { limit: 10_000, windowSeconds: 60 },
      bearerFailuresPerIp: { limit: 10_000, windowSeconds: 60 },
      ...options.rateLimits,
    },
    mailer: {
      async send(mail) {
        mails.push(mail);
      },
    },
  });
  const { server, shutdown } = createGatewayServer({
    db,
    auth,
    log,
    appUrl: APP_URL,
    trustProxy: false,
    maxBodyBytes: 64 * 1024,
    maxImportBytes: options.maxImportBytes,
    requestTimeoutMs: options.requestTimeoutMs,
    headersTimeoutMs: options.headersTimeoutMs,
    bodyTimeoutMs: options.bodyTimeoutMs,
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    server,
    shutdown,
    db,
    auth,
    logLines,
    mails,
    keyPrefix,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (process.env.REDIS_URL) {
        const { Redis } = await import("ioredis");
        const redis = new Redis(process.env.REDIS_URL, { maxRetriesPerRequest: 2 });
        const keys = await redis.keys(`${keyPrefix}*`);
        if (keys.length > 0) await redis.del(...keys);
        await redis.quit();
      }
      await auth.close();
      await db.close();
    },
  };
}

/** A typed client that keeps its session cookie between calls, as a browser would. */
export function browserClient(
  url: string,
  userAgent = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
) {
  const jar = { cookie: "" };
  const client = createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: `${url}/trpc`,
        transformer: superjson,
        headers: () => ({
          origin: APP_URL,
          "user-agent": userAgent,
          ...(jar.cookie ? { cookie: jar.cookie } : {}),
        }),
        async fetch(input, init) {
          const res = await fetch(input, init);
          for (const setCookie of res.headers.getSetCookie()) {
            const [pair] = setCookie.split(";");
            jar.cookie = /max-age=0/i.test(setCookie) ? "" : (pair ?? "");
          }
          return res;
        },
      }),
    ],
  });
  return { client, jar };
}

/** A typed client that authenticates with a personal API token, as a script would (no cookie, no Origin). */
export function tokenClient(url: string, token: string) {
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: `${url}/trpc`,
        transformer: superjson,
        headers: () => ({ authorization: `Bearer ${token}` }),
      }),
    ],
  });
}
