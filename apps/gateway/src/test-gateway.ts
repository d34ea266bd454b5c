import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { createAuth } from "@nexo/auth";
import type { DbHandle } from "@nexo/db";
import { createTestDb } from "@nexo/db/testing";
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import superjson from "superjson";
import { createLogger } from "./logger";
import type { AppRouter } from "./router";
import { createGatewayServer } from "./server";

export const APP_URL = "http://app.test";

/** A gateway on an ephemeral loopback port over a fresh database, capturing its log lines. */
export async function startTestGateway() {
  const db: DbHandle = await createTestDb();
  const logLines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  const keyPrefix = `nexo-test:${crypto.randomUUID()}:`;
  const log = createLogger("debug", sink);
  const auth = createAuth({
    secret: "test-secret-test-secret-test-secret-0123456789",
    appUrl: APP_URL,
    redisUrl: process.env.REDIS_URL,
    keyPrefix,
    log,
  });
  const { server, shutdown } = createGatewayServer({
    db,
    auth,
    log,
    appUrl: APP_URL,
    trustProxy: false,
    maxBodyBytes: 64 * 1024,
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
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await auth.close();
      await db.close();
    },
  };
}

/** A typed client that keeps its session cookie between calls, as a browser would. */
export function browserClient(url: string) {
  const jar = { cookie: "" };
  const client = createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: `${url}/trpc`,
        transformer: superjson,
        headers: () => (jar.cookie ? { cookie: jar.cookie, origin: APP_URL } : { origin: APP_URL }),
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
