import { type ChildProcess, spawn } from "node:child_process";
import { request } from "node:http";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { createDb } from "@nexo/db";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { APP_URL } from "./test-gateway";
import { until } from "./test-load";
import { deleteRedisKeys, freePort } from "./test-services";

// A gateway process of the test's own, killed with SIGKILL: only with a real Postgres server.
const realDatabase = Boolean(process.env.DATABASE_URL);
const BATCH = 1000;

interface Gateway {
  url: string;
  child: ChildProcess;
  exited: Promise<void>;
}

// One prefix for every gateway of this file: a killed gateway cannot clean up after itself.
const redisPrefix = `nexo-test:${crypto.randomUUID()}:`;

async function startGateway(databaseUrl: string, env: Record<string, string> = {}): Promise<Gateway> {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: fileURLToPath(new URL("..", import.meta.url)),
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      REDIS_URL: process.env.REDIS_URL ?? "",
      REDIS_KEY_PREFIX: redisPrefix,
      SESSION_SECRET: "import-crash-secret-import-crash-secret-0123",
      APP_URL,
      LOG_LEVEL: "warn",
      ...env,
    },
    stdio: "ignore",
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  await until(async () => (await fetch(`${url}/readyz`).catch(() => null))?.status === 200, "gateway", 30_000);
  return { url, child, exited };
}

async function trpc(url: string, path: string, body: unknown, cookie = "") {
  const res = await fetch(`${url}/trpc/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: APP_URL, cookie },
    body: JSON.stringify({ json: body }),
  });
  const cookies = res.headers.getSetCookie().map((c) => c.split(";")[0]);
  const json = (await res.json()) as { result: { data: { json: Record<string, unknown> } } };
  return { cookie: cookies.join("; ") || cookie, data: json.result.data.json };
}

/** Rows generated as they are sent: the upload never ends on its own before the process is killed. */
function endlessCsv(): Readable {
  let row = 0;
  return new Readable({
    read() {
      let chunk = row === 0 ? "First name,Last name,Email\n" : "";
      for (let i = 0; i < 500; i++, row++) chunk += `Row${row},Crash,row.${row}@crash.example\n`;
      this.push(chunk);
    },
  });
}

describe.runIf(realDatabase)("kill -9 during a CSV import", () => {
  const name = `nexo_test_crash_${Date.now()}_${process.pid}`;
  let admin: postgres.Sql;
  let databaseUrl = "";
  // Named apart from the gateway's connections (application_name nexo-gateway), which it watches.
  let probe: postgres.Sql;
  const gateways: Gateway[] = [];

  beforeAll(async () => {
    admin = postgres(process.env.DATABASE_URL as string, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database "${name}"`);
    const url = new URL(process.env.DATABASE_URL as string);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    const handle = await createDb({ kind: "postgres", url: databaseUrl, poolSize: 1 });
    await handle.migrate();
    await handle.close();
    probe = postgres(databaseUrl, { max: 2, onnotice: () => {}, connection: { application_name: "nexo-test-probe" } });
  });
  afterAll(async () => {
    for (const g of gateways) if (g.child.exitCode === null && g.child.signalCode === null) g.child.kill("SIGKILL");
    await Promise.all(gateways.map((g) => g.exited));
    await probe?.end();
    await admin?.unsafe(`drop database if exists "${name}" with (force)`);
    await admin?.end();
    await deleteRedisKeys(redisPrefix);
  });

  it("leaves only whole batches, and the restarted gateway reports the import as interrupted with what went in", async () => {
    const first = await startGateway(databaseUrl);
    gateways.push(first);
    const email = `crash-${crypto.randomUUID()}@example.com`;
    const password = "a crash-proof password";
    const signedUp = await trpc(first.url, "auth.register", {
      name: "Crash Tester",
      email,
      password,
      organizationName: "Crash Org",
    });
    const orgId = (signedUp.data.organization as { id: string }).id;

    const upload = request(`${first.url}/import/contacts?dedupe=create`, {
      method: "POST",
      headers: { cookie: signedUp.cookie, origin: APP_URL, "content-type": "text/csv" },
    });
    upload.on("error", () => {});
    endlessCsv().pipe(upload);

    const jobOf = async () => {
      const [job] = await probe<{ id: string; status: string; committed_through_row: number; inserted: number }[]>`
        select id, status, committed_through_row, inserted from import_jobs where org_id = ${orgId}`;
      return job;
    };
    await until(async () => ((await jobOf())?.committed_through_row ?? 0) >= 2 * BATCH, "two committed batches");

    // Hold the job row: the next batch writes its contacts and history, then waits to record its
    // progress in the same transaction. The process dies right there, mid-batch.
    const locker = postgres(databaseUrl, { max: 1, onnotice: () => {} });
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const job = await jobOf();
    let lockerPid = (_: number) => {};
    const lockerStarted = new Promise<number>((resolve) => {
      lockerPid = resolve;
    });
    const holder = locker.begin(async (tx) => {
      const [me] = await tx<{ pid: number }[]>`select pg_backend_pid() as pid`;
      await tx`select id from import_jobs where id = ${job!.id} for update`;
      lockerPid(me!.pid);
      await held;
    });
    try {
      const holderPid = await Promise.race([
        lockerStarted,
        holder.then(() => Promise.reject(new Error("the lock holder ended before it held the job row"))),
      ]);
      // Only a wait on the held job row counts: two batches writing at once may also wait briefly
      // on each other or on the table's extension lock.
      const blocked = async () => {
        const rows = await probe<{ pid: number }[]>`
          select pid from pg_stat_activity
          where datname = ${name} and application_name = 'nexo-gateway'
            and ${holderPid}::int = any(pg_blocking_pids(pid))`;
        return rows.map((r) => r.pid);
      };
      await until(async () => (await blocked()).length > 0, "a batch waiting to record its progress");
      const [waiter] = await blocked();
      // That transaction has written contacts already: it holds its row lock on the table.
      const [writer] = await probe<{ n: number }[]>`
        select count(*)::int as n from pg_locks
        where pid = ${waiter!}::int and relation = 'contacts'::regclass and mode = 'RowExclusiveLock' and granted`;
      expect(writer?.n).toBe(1);
      first.child.kill("SIGKILL");
      await first.exited;
    } finally {
      release();
      await holder;
      await locker.end();
    }
    upload.destroy();
    // The dead client's backend finds its connection gone once it gets the lock, and rolls back.
    await until(async () => {
      const [left] = await probe<{ n: number }[]>`
        select count(*)::int as n from pg_stat_activity where datname = ${name} and application_name = 'nexo-gateway'`;
      return left?.n === 0;
    }, "the killed gateway's connections to end");

    const stopped = await jobOf();
    expect(stopped?.status).toBe("running");
    const committed = stopped!.committed_through_row;
    expect(committed).toBeGreaterThanOrEqual(2 * BATCH);
    expect(committed % BATCH).toBe(0);
    const [imported] = await probe<{ n: number }[]>`select count(*)::int as n from contacts where org_id = ${orgId}`;
    const [history] = await probe<{ n: number }[]>`
      select count(*)::int as n from record_history
      where org_id = ${orgId} and field = 'created' and new_value ->> 'importId' = ${stopped!.id}`;
    // Every committed row and nothing of the batch in flight: contacts, their history, the job's counts.
    expect(imported?.n).toBe(committed);
    expect(history?.n).toBe(committed);
    expect(stopped?.inserted).toBe(committed);

    // Once the job has made no progress for longer than an upload may take, a starting gateway
    // reports it as interrupted before it serves.
    const staleAfterMs = 2_000;
    await until(async () => {
      const [row] = await probe<{ stale: boolean }[]>`
        select updated_at < now() - make_interval(secs => ${staleAfterMs / 1000}) as stale
        from import_jobs where id = ${job!.id}`;
      return Boolean(row?.stale);
    }, "the job to go stale");
    const second = await startGateway(databaseUrl, {
      HTTP_HEADERS_TIMEOUT_MS: "500",
      HTTP_REQUEST_TIMEOUT_MS: "1000",
      IMPORT_STALE_AFTER_MS: String(staleAfterMs),
    });
    gateways.push(second);
    const { cookie } = await trpc(second.url, "auth.login", { email, password });
    const res = await fetch(
      `${second.url}/trpc/crm.imports.get?input=${encodeURIComponent(JSON.stringify({ json: { id: job!.id } }))}`,
      { headers: { cookie } },
    );
    const reported = ((await res.json()) as { result: { data: { json: Record<string, unknown> } } }).result.data.json;
    expect(reported).toMatchObject({
      status: "failed",
      committedThroughRow: committed,
      inserted: committed,
      message: `The import was interrupted: the server stopped while it ran. Rows 1 to ${committed} went in; import the rest again from row ${committed + 1}.`,
    });
    expect(reported.finishedAt).not.toBeNull();
  });
});
