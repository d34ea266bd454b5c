import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createDb, type DbHandle, queryRows, sql } from "@nexo/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserClient, startTestGateway } from "./test-gateway";
import { listUrl, type Sample, startLoad, until } from "./test-load";
import {
  canRunPrivatePostgres,
  deleteRedisKeys,
  freePort,
  type PrivateService,
  startPrivatePostgres,
  startPrivateRedis,
} from "./test-services";

// Faults need real servers of the test's own to stop and start; the embedded mode has none.
const realServices = Boolean(process.env.DATABASE_URL) && canRunPrivatePostgres();

async function signIn(url: string): Promise<string> {
  const { client, jar } = browserClient(url);
  await client.auth.register.mutate({
    name: "Fault Tester",
    email: `faults-${crypto.randomUUID()}@example.com`,
    password: "fault tolerant password",
    organizationName: "Faults Org",
  });
  await client.crm.contacts.create.mutate({ firstName: "Survivor" });
  return jar.cookie;
}

const after = (samples: Sample[], t: number) => samples.filter((s) => s.start >= t);

/**
 * Stops `service` while clients load the gateway, keeps it down long enough for reconnect back-off
 * to grow, starts it again, and checks what every restart must show: requests during the outage
 * fail fast (never hang, never 500), and the first success comes within 2 s of the service's return.
 */
async function restartUnderLoad(url: string, service: PrivateService) {
  const cookie = await signIn(url);
  const load = startLoad(listUrl(url), { cookie });
  await until(() => load.samples.filter((s) => s.status === 200).length >= 20, "load to run");

  // The outage starts once the service has stopped: a request sent while it was shutting down may
  // still have been answered in full.
  await service.stop();
  const down = performance.now();
  await until(() => after(load.samples, down + 1_500).some((s) => s.status === 503), "1.5 s of outage");
  const up = performance.now();
  await service.start();
  await until(() => after(load.samples, up).some((s) => s.status === 200), "recovery");
  await load.stop();

  const outage = load.samples.filter((s) => s.start > down && s.end < up);
  expect(outage.length).toBeGreaterThan(0);
  // Fail fast: well inside the 20 s request deadline, bounded by the half-second reconnect
  // back-off plus scheduling on a busy machine.
  expect(Math.max(...outage.map((s) => s.end - s.start))).toBeLessThan(2_000);
  const firstOk = Math.min(
    ...after(load.samples, up)
      .filter((s) => s.status === 200)
      .map((s) => s.end),
  );
  expect(firstOk - up).toBeLessThan(2_000);
  expect(load.samples.some((s) => s.status === 500 || s.status === -1)).toBe(false);
  return { outage, cookie };
}

describe.runIf(realServices)("faults", () => {
  let pg: PrivateService;
  beforeAll(async () => {
    pg = await startPrivatePostgres();
  });
  afterAll(async () => {
    await pg?.close();
  });

  it("Redis restarted under load: fast 503s while it is down, recovery within 2 s", async () => {
    const redis = await startPrivateRedis();
    const gw = await startTestGateway({ redisUrl: redis.url });
    try {
      const { outage } = await restartUnderLoad(gw.url, redis);
      // A request that already passed session resolution may still be answered in full.
      expect(outage.filter((s) => s.status !== 503 && s.status !== 200).map((s) => s.status)).toEqual([]);
      expect((await fetch(`${gw.url}/healthz`)).status).toBe(200);
    } finally {
      await gw.stop();
      await redis.close();
    }
  });

  it("Postgres restarted under load: fast 503s while it is down, recovery within 2 s", async () => {
    const gw = await startTestGateway({ databaseUrl: pg.url });
    try {
      const { outage, cookie } = await restartUnderLoad(gw.url, pg);
      // Statuses, not a yes or no: a failure says what came instead.
      expect(outage.filter((s) => s.status !== 503).map((s) => s.status)).toEqual([]);
      const body = (await (await fetch(listUrl(gw.url), { headers: { cookie } })).json()) as {
        result: { data: { json: { items: { firstName: string }[] } } };
      };
      expect(body.result.data.json.items.map((c) => c.firstName)).toEqual(["Survivor"]);
    } finally {
      await gw.stop();
    }
  });

  it("pool exhaustion: a bounded wait, then a clear 504, and recovery", async () => {
    const gw = await startTestGateway({ databaseUrl: pg.url, poolSize: 2, requestTimeoutMs: 800 });
    const locker: DbHandle = await createDb({ kind: "postgres", url: pg.url, poolSize: 1 });
    let release = () => {};
    let holder: Promise<void> = Promise.resolve();
    try {
      const cookie = await signIn(gw.url);
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      let locked = () => {};
      const isLocked = new Promise<void>((resolve) => {
        locked = resolve;
      });
      holder = locker.db.transaction(async (tx) => {
        await tx.execute(sql`lock table contacts in access exclusive mode`);
        locked();
        await held;
      });
      await isLocked;

      const started = performance.now();
      const responses = await Promise.all(
        Array.from({ length: 6 }, async () => {
          const res = await fetch(listUrl(gw.url), { headers: { cookie } });
          const body = (await res.json()) as { error: { json: { message: string } } };
          return { status: res.status, body, ms: performance.now() - started };
        }),
      );
      release();
      await holder;
      for (const r of responses) {
        expect(r.status).toBe(504);
        expect(r.body.error.json.message).toMatch(/too busy/);
        expect(r.ms).toBeLessThan(3_000);
      }
      await until(async () => (await fetch(listUrl(gw.url), { headers: { cookie } })).status === 200, "recovery");
    } finally {
      release();
      await holder.catch(() => undefined);
      await locker.close();
      await gw.stop();
    }
  });

  it("SIGTERM under load: requests in flight complete, then the process exits 0", async () => {
    const sigtermPrefix = `nexo-test:${crypto.randomUUID()}:`;
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
      cwd: fileURLToPath(new URL("..", import.meta.url)),
      env: {
        ...process.env,
        NODE_ENV: "production",
        PORT: String(port),
        DATABASE_URL: pg.url,
        REDIS_URL: process.env.REDIS_URL,
        REDIS_KEY_PREFIX: sigtermPrefix,
        SESSION_SECRET: "sigterm-test-secret-sigterm-test-secret-0123",
        APP_URL: "http://app.test",
        LOG_LEVEL: "warn",
        // Room for every statement of the held requests and the load, each on a connection of its
        // own: a full pool would queue some behind statements that wait for the lock.
        DB_POOL_SIZE: "20",
      },
      stdio: "ignore",
    });
    const exitCode = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    // One connection holds the lock, the other watches who waits for it.
    const locker = await createDb({ kind: "postgres", url: pg.url, poolSize: 2 });
    let release = () => {};
    let holder: Promise<void> = Promise.resolve();
    try {
      await until(async () => (await fetch(`${url}/readyz`).catch(() => null))?.status === 200, "gateway", 30_000);
      const cookie = await signIn(url);
      const load = startLoad(listUrl(url), { cookie });
      await until(() => load.samples.filter((s) => s.status === 200).length >= 20, "load to run");

      // Hold five requests inside the database so they are certainly in flight at the signal.
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      let locked = () => {};
      const isLocked = new Promise<void>((resolve) => {
        locked = resolve;
      });
      holder = locker.db.transaction(async (tx) => {
        await tx.execute(sql`lock table contacts in access exclusive mode`);
        locked();
        await held;
      });
      await isLocked;
      // Filtered, unlike the load, so that their counts (a new list, so counted anew) can be told
      // apart in pg_stat_activity, which keeps only the first 1 kB of a statement.
      const leads = `${url}/trpc/crm.contacts.list?input=${encodeURIComponent(JSON.stringify({ json: { lifecycleStage: "lead" } }))}`;
      const inFlight = Array.from({ length: 5 }, async () => {
        const res = await fetch(leads, { headers: { cookie } });
        return res.status;
      });
      await until(async () => {
        const [row] = await queryRows<{ n: number }>(
          locker.db,
          sql`select count(*)::int as n from pg_stat_activity
              where wait_event_type = 'Lock' and query like ${"%count(*)%lifecycle_stage%"}`,
        );
        // Each of the five held requests waits in the database for its count.
        return (row?.n ?? 0) >= 5;
      }, "the held requests waiting in the database");

      child.kill("SIGTERM");
      await until(async () => (await fetch(`${url}/healthz`).catch(() => null)) === null, "listener to close");
      release();
      await holder;
      expect(await Promise.all(inFlight)).toEqual([200, 200, 200, 200, 200]);
      await load.stop();
      expect(await exitCode).toBe(0);
      // Load requests either completed or were refused once the listener closed; none got a 5xx.
      expect(load.samples.some((s) => s.status >= 500)).toBe(false);
    } finally {
      release();
      await holder.catch(() => undefined);
      if (child.exitCode === null) child.kill("SIGKILL");
      await locker.close();
      await deleteRedisKeys(sigtermPrefix);
    }
  });
});
