// The production stack for benchmarks: a throwaway database on the Postgres server, the bundled
// gateway (dist/main.mjs) and the web app's standalone server as child processes, one signed-up
// owner, and a clean-up that drops the database, removes the Redis keys and stops the processes
// whatever happened. Loopback only.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import { dirname, join } from "node:path";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { createDb } from "@nexo/db";
import postgres from "postgres";
import superjson from "superjson";
import type { CapturedStatement } from "./sql-capture";

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = join(here, "..", "..", "..");
const gatewayBundle = join(here, "..", "dist", "main.mjs");
const webServer = join(repoRoot, "apps", "web", ".next", "standalone", "apps", "web", "serve.mjs");

export const databaseServerUrl = process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";
export const redisUrl = process.env.REDIS_URL || "redis://127.0.0.1:6379";

/** The heap limits compose.rpi.yml runs the servers with, so memory behaves as it does deployed. */
const NODE_OPTIONS = { gateway: "--max-old-space-size=160", web: "--max-old-space-size=256" };

let imageNodeArgs: string[] | undefined;
/**
 * The Node options the gateway image starts `main.mjs` with (its Dockerfile's `CMD`), which are not
 * ones NODE_OPTIONS may carry: the bench runs the bundle as the image does. Read once.
 */
export function gatewayImageNodeArgs(): string[] {
  imageNodeArgs ??= readGatewayImageNodeArgs();
  return imageNodeArgs;
}

function readGatewayImageNodeArgs(): string[] {
  const dockerfile = readFileSync(join(repoRoot, "docker", "gateway.Dockerfile"), "utf8");
  // The runtime stage's CMD: the last unindented one (the HEALTHCHECK's is on an indented line).
  const cmd = [...dockerfile.matchAll(/^CMD (\[.*\])\s*$/gm)].at(-1);
  const words = cmd?.[1] ? (JSON.parse(cmd[1]) as string[]) : [];
  if (words[0] !== "node" || words.at(-1) !== "main.mjs") {
    throw new Error('docker/gateway.Dockerfile: its last CMD is not ["node", …, "main.mjs"]');
  }
  return words.slice(1, -1);
}

/** Limits a benchmark must not trip: one user sends every request. */
const benchLimits = {
  RATE_LIMIT_SEARCH_PER_USER: "100000000",
  RATE_LIMIT_IMPORT_PER_USER: "100000",
  RATE_LIMIT_IMPORT_PER_ORG: "100000",
  RATE_LIMIT_EXPORT_PER_USER: "100000",
};

/** Ports this process has handed out: the kernel may offer a released port again before its user binds it. */
const handedOut = new Set<number>();

/** A loopback port nothing listens on, and one this process has not handed out before. */
export async function freePort(): Promise<number> {
  for (;;) {
    const probe = createServer();
    probe.listen(0, "127.0.0.1");
    await once(probe, "listening");
    const { port } = probe.address() as { port: number };
    probe.close();
    await once(probe, "close");
    if (handedOut.has(port)) continue;
    handedOut.add(port);
    return port;
  }
}

/** Resident set size of a process in MB; `VmHWM` is its peak so far. */
export function rssMb(pid: number, field: "VmRSS" | "VmHWM" = "VmRSS"): number {
  const line = readFileSync(`/proc/${pid}/status`, "utf8")
    .split("\n")
    .find((l) => l.startsWith(field));
  return Math.round(Number(line?.replace(/\D+/g, "")) / 1024);
}

/** CPU time (user + system) a process has used so far, in ms. */
export function cpuMs(pid: number): number {
  // Fields after the command name (which may hold spaces), from the third on; utime and stime are
  // the 14th and 15th of the whole line, in clock ticks of 10 ms (USER_HZ is 100 on Linux).
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Samples a process's RSS until stopped; returns the highest value seen. */
export function rssSampler(pid: number, everyMs = 100) {
  let peak = rssMb(pid);
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, rssMb(pid));
    } catch {
      // The process ended; the caller notices through its exit.
    }
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, rssMb(pid));
    },
  };
}

export function machine() {
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? "unknown",
    memoryGb: Number((os.totalmem() / 1024 ** 3).toFixed(1)),
    node: process.version,
    loadAverage: os.loadavg().map((l) => Number(l.toFixed(2))),
  };
}

export const trpcPath = (procedure: string, input: unknown) =>
  `/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(superjson.serialize(input)))}`;

async function waitFor(url: string, child: ChildProcess, what: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await fetch(url).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) return;
    if (child.exitCode !== null) throw new Error(`${what} exited with code ${child.exitCode}`);
    if (Date.now() > deadline) throw new Error(`${what} did not become ready within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export interface Process {
  url: string;
  pid: number;
  child: ChildProcess;
  /** The file a `gcOnSignal` process writes after each collection. */
  gcAck?: string;
}

const gcPreload = join(here, "gc-on-signal.cjs");

/** Node arguments and environment that let the bench ask a process for a full GC (see gc-on-signal.cjs). */
function gcSupport(enabled: boolean | undefined, scratch: string) {
  if (!enabled) return { args: [], env: {}, gcAck: undefined };
  const gcAck = join(scratch, `gc-${Date.now()}-${Math.random().toString(36).slice(2)}`);
  return { args: ["--expose-gc", "--require", gcPreload], env: { NEXO_BENCH_GC_ACK: gcAck }, gcAck };
}

export interface Stack {
  databaseUrl: string;
  databaseName: string;
  appUrl: string;
  keyPrefix: string;
  startGateway(options?: {
    databaseUrl?: string;
    env?: Record<string, string>;
    gcOnSignal?: boolean;
    /** Extra Node arguments, e.g. `--cpu-prof`. */
    nodeArgs?: string[];
    /** Another build's main.mjs than dist/'s (bench/compare.ts). */
    bundle?: string;
  }): Promise<Process>;
  startWeb(gatewayUrl: string, options?: { gcOnSignal?: boolean }): Promise<Process>;
  /** The bare reference server (bare-server.ts): `GET /<i>` answers with the rows of sequence i. */
  startBare(sequences: CapturedStatement[][]): Promise<Process>;
  /** A full garbage collection in a process started with `gcOnSignal`; resolves once it is done. */
  collectGarbage(process: Process): Promise<void>;
  stop(process: Process): Promise<void>;
  /** Stops every process, drops the database, removes the Redis keys. */
  close(): Promise<void>;
}

/** The planner's cost settings that `docker/postgres/postgresql.conf` gives the deployed Postgres. */
const PLANNER_SETTINGS = ["random_page_cost", "effective_cache_size", "work_mem"];

/**
 * Those settings as the deployment has them. The bench database takes them (`alter database … set`),
 * so that its statements, and pgbench's, are planned as on the deployment, not with this server's
 * own (Debian's defaults: random_page_cost 4, effective_cache_size 4GB).
 */
export function deployedPlannerSettings(): Record<string, string> {
  const conf = readFileSync(join(repoRoot, "docker", "postgres", "postgresql.conf"), "utf8");
  const settings: Record<string, string> = {};
  for (const line of conf.split("\n")) {
    const match = /^\s*([a-z_]+)\s*=\s*'?([^'#\s]+)'?/.exec(line);
    if (match?.[1] && match[2] && PLANNER_SETTINGS.includes(match[1])) settings[match[1]] = match[2];
  }
  const missing = PLANNER_SETTINGS.filter((name) => !(name in settings));
  if (missing.length > 0) throw new Error(`docker/postgres/postgresql.conf sets no ${missing.join(", ")}`);
  return settings;
}

/** A fresh, migrated database and the means to run the built servers on it. */
export async function createStack(name: string): Promise<Stack> {
  if (!existsSync(gatewayBundle)) throw new Error("no gateway bundle: run `pnpm build` first");
  const databaseName = `nexo_${name}_${Date.now()}_${process.pid}`;
  const url = new URL(databaseServerUrl);
  url.pathname = `/${databaseName}`;
  const databaseUrl = url.toString();
  const keyPrefix = `nexo-${name}:${process.pid}:${Date.now()}:`;
  const admin = postgres(databaseServerUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${databaseName}"`);
  try {
    for (const [name, value] of Object.entries(deployedPlannerSettings())) {
      await admin.unsafe(`alter database "${databaseName}" set ${name} = '${value}'`);
    }
    const handle = await createDb({ kind: "postgres", url: databaseUrl, poolSize: 1 });
    await handle.migrate().finally(() => handle.close());
  } catch (error) {
    await admin.unsafe(`drop database if exists "${databaseName}" with (force)`);
    await admin.end();
    throw error;
  }

  const webPort = await freePort();
  const appUrl = `http://127.0.0.1:${webPort}`;
  const processes = new Set<Process>();
  const scratch = mkdtempSync(join(os.tmpdir(), "nexo-bench-"));
  mkdirSync(join(repoRoot, "bench-results"), { recursive: true });
  const gatewayLog = openSync(join(repoRoot, "bench-results", "gateway.log"), "w");

  async function stop(p: Process) {
    processes.delete(p);
    if (p.child.exitCode !== null || p.child.signalCode !== null) return;
    p.child.kill("SIGTERM");
    const exited = once(p.child, "exit");
    const timer = setTimeout(() => p.child.kill("SIGKILL"), 15_000);
    await exited;
    clearTimeout(timer);
  }

  return {
    databaseUrl,
    databaseName,
    appUrl,
    keyPrefix,
    async startGateway(options = {}) {
      const port = await freePort();
      const gc = gcSupport(options.gcOnSignal, scratch);
      const bundle = options.bundle ?? gatewayBundle;
      const nodeArgs = [...gatewayImageNodeArgs(), ...gc.args, ...(options.nodeArgs ?? [])];
      const child = spawn(process.execPath, [...nodeArgs, bundle], {
        env: {
          ...gc.env,
          PATH: process.env.PATH,
          NODE_ENV: "production",
          NODE_OPTIONS: NODE_OPTIONS.gateway,
          DATABASE_URL: options.databaseUrl ?? databaseUrl,
          REDIS_URL: redisUrl,
          REDIS_KEY_PREFIX: keyPrefix,
          SESSION_SECRET: "bench-secret-bench-secret-bench-secret-0123456789",
          APP_URL: appUrl,
          HOST: "127.0.0.1",
          PORT: String(port),
          // As deployed: a line per request (into bench-results/gateway.log, not the terminal).
          LOG_LEVEL: "info",
          // A 100k-row upload is paced by the database (backpressure): give it longer than a form.
          HTTP_REQUEST_TIMEOUT_MS: "300000",
          ...benchLimits,
          ...options.env,
        },
        stdio: ["ignore", gatewayLog, "inherit"],
      });
      const p = { url: `http://127.0.0.1:${port}`, pid: child.pid as number, child, gcAck: gc.gcAck };
      processes.add(p);
      await waitFor(`${p.url}/readyz`, child, "gateway");
      return p;
    },
    async startWeb(gatewayUrl, options = {}) {
      if (!existsSync(webServer)) throw new Error("no web standalone build: run `pnpm build` first");
      const gc = gcSupport(options.gcOnSignal, scratch);
      const child = spawn(process.execPath, [...gc.args, webServer], {
        cwd: dirname(webServer),
        env: {
          ...gc.env,
          PATH: process.env.PATH,
          NODE_ENV: "production",
          NODE_OPTIONS: NODE_OPTIONS.web,
          NEXT_TELEMETRY_DISABLED: "1",
          HOSTNAME: "127.0.0.1",
          PORT: String(webPort),
          GATEWAY_URL: gatewayUrl,
        },
        stdio: ["ignore", "ignore", "inherit"],
      });
      const p = { url: appUrl, pid: child.pid as number, child, gcAck: gc.gcAck };
      processes.add(p);
      await waitFor(`${appUrl}/healthz`, child, "web");
      return p;
    },
    async startBare(sequences) {
      const port = await freePort();
      const file = join(scratch, `bare-${port}.json`);
      writeFileSync(file, JSON.stringify(sequences));
      const child = spawn(process.execPath, ["--import", "tsx", join(here, "bare-server.ts")], {
        cwd: here,
        env: {
          PATH: process.env.PATH,
          NODE_ENV: "production",
          DATABASE_URL: databaseUrl,
          PORT: String(port),
          BARE_STATEMENTS: file,
        },
        stdio: ["ignore", "ignore", "inherit"],
      });
      const p = { url: `http://127.0.0.1:${port}`, pid: child.pid as number, child };
      processes.add(p);
      await waitFor(`${p.url}/readyz`, child, "bare reference server");
      return p;
    },
    stop,
    async collectGarbage(p) {
      const ack = p.gcAck;
      if (!ack) throw new Error("the process was not started with gcOnSignal");
      const previous = existsSync(ack) ? readFileSync(ack, "utf8") : "";
      p.child.kill("SIGUSR2");
      const deadline = Date.now() + 30_000;
      while ((existsSync(ack) ? readFileSync(ack, "utf8") : "") === previous) {
        if (Date.now() > deadline) throw new Error("no garbage collection acknowledged within 30 s");
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async close() {
      // Last started first: the web server finishes its renders while the gateway still answers.
      for (const p of [...processes].reverse()) await stop(p);
      rmSync(scratch, { recursive: true, force: true });
      closeSync(gatewayLog);
      await admin.unsafe(`drop database if exists "${databaseName}" with (force)`);
      await admin.end();
      const { Redis } = await import("ioredis");
      const redis = new Redis(redisUrl, { maxRetriesPerRequest: 2, lazyConnect: true });
      try {
        await redis.connect();
        let cursor = "0";
        do {
          const [next, keys] = await redis.scan(cursor, "MATCH", `${keyPrefix}*`, "COUNT", 1000);
          if (keys.length > 0) await redis.del(...keys);
          cursor = next;
        } while (cursor !== "0");
      } finally {
        redis.disconnect();
      }
    },
  };
}

/** Signs up an owner through the gateway; returns the session cookie and the organization. */
export async function signUp(gatewayUrl: string, appUrl: string): Promise<{ cookie: string; orgId: string }> {
  const res = await fetch(`${gatewayUrl}/trpc/auth.register`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: appUrl },
    body: JSON.stringify(
      superjson.serialize({
        name: "Bench Owner",
        email: `bench-${Date.now()}@example.com`,
        password: "benchmark password",
        organizationName: "Bench Org",
      }),
    ),
  });
  if (res.status !== 200) throw new Error(`sign-up failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  const body = (await res.json()) as { result: { data: Parameters<typeof superjson.deserialize>[0] } };
  const data = superjson.deserialize<{ organization: { id: string } }>(body.result.data);
  return { cookie, orgId: data.organization.id };
}

/** GET of a query procedure with the session cookie; throws unless it answers 200. */
export async function query<T>(gatewayUrl: string, cookie: string, procedure: string, input: unknown): Promise<T> {
  const res = await fetch(`${gatewayUrl}${trpcPath(procedure, input)}`, { headers: { cookie } });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${procedure}: ${res.status} ${text.slice(0, 200)}`);
  return superjson.deserialize<T>(JSON.parse(text).result.data);
}

/** Runs `main` with a hard time limit, then `cleanUp` whatever happened; sets the exit code. */
export async function bounded(limitMs: number, main: () => Promise<void>, cleanUp: () => Promise<void>) {
  const watchdog = setTimeout(() => {
    console.error(`stopped: the run exceeded ${limitMs / 60_000} minutes`);
    void cleanUp().finally(() => process.exit(1));
  }, limitMs);
  try {
    await main();
  } catch (error) {
    process.exitCode = 1;
    console.error(error);
  } finally {
    clearTimeout(watchdog);
    await cleanUp();
  }
}

/**
 * Streams a generated contacts CSV through POST /import/contacts; the file is never held whole.
 * With `extras` (the default) rows carry tags (created by the first batch) and two custom fields
 * (created here first), as real files do.
 */
export async function importContactsCsv(
  gateway: Process,
  appUrl: string,
  cookie: string,
  options: { rows: number; extras?: boolean; dedupe?: "create" | "skip" | "update" },
) {
  const { rows, extras = true, dedupe = "create" } = options;
  if (extras) {
    for (const field of [
      { entityType: "contact", key: "tier", label: "Tier", type: "select", options: ["Gold", "Silver", "Bronze"] },
      { entityType: "contact", key: "seats", label: "Seats", type: "number" },
    ]) {
      const created = await fetch(`${gateway.url}/trpc/crm.customFields.create`, {
        method: "POST",
        headers: { cookie, origin: appUrl, "content-type": "application/json" },
        body: JSON.stringify({ json: field }),
      });
      if (created.status !== 200) throw new Error(`custom field: HTTP ${created.status} ${await created.text()}`);
    }
  }
  const tiers = ["Gold", "Silver", "Bronze"];
  async function* csv() {
    yield `First name,Last name,Email,Phone,Job title,Lifecycle stage${extras ? ",Tags,Tier,Seats" : ""}\n`;
    for (let i = 0; i < rows; i += 1000) {
      let chunk = "";
      for (let j = i; j < Math.min(rows, i + 1000); j++) {
        chunk += `Imported${j},Person,imported.${j}@bench.example,+49 30 ${1000000 + j},Buyer,prospect`;
        chunk += extras ? `,bench; wave ${j % 10},${tiers[j % 3]},${j % 50}\n` : "\n";
      }
      yield chunk;
    }
  }
  const sampler = rssSampler(gateway.pid, 50);
  const started = performance.now();
  const res = await fetch(`${gateway.url}/import/contacts?dedupe=${dedupe}`, {
    method: "POST",
    headers: { cookie, origin: appUrl, "content-type": "text/csv" },
    body: Readable.toWeb(Readable.from(csv())) as ReadableStream,
    duplex: "half",
  } as RequestInit);
  const body = (await res.json()) as {
    job?: { inserted: number; updated: number; skipped: number; failed: number; status: string };
  };
  const seconds = (performance.now() - started) / 1000;
  const peak = sampler.stop();
  if (res.status !== 200 || body.job?.status !== "completed") throw new Error(`import failed: ${JSON.stringify(body)}`);
  return {
    rows,
    inserted: body.job.inserted,
    updated: body.job.updated,
    skipped: body.job.skipped,
    failed: body.job.failed,
    seconds: Number(seconds.toFixed(1)),
    rowsPerSecond: Math.round(rows / seconds),
    targetRowsPerSecond: 5000,
    peakGatewayRssMb: peak,
    limitMb: 250,
  };
}
