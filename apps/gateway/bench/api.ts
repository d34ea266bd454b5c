// The CRM API under load, against the BUILT gateway (dist/main.mjs) on real Postgres (and Redis when
// REDIS_URL is set): seeds 100k contacts into a throwaway database, then, with 20 concurrent
// keep-alive clients, measures p50/p95/p99 of the main read procedures, and streams a 100k-row CSV
// through POST /import/contacts for rows/s and the gateway's peak RSS. Prints a table and a JSON
// summary (last line, prefixed `BENCH_JSON `) that `pnpm bench` can consume. Loopback only; every
// phase is bounded in time; the database and Redis keys are removed at the end.
//   pnpm bench:api  [--contacts 100000] [--clients 20] [--seconds 5] [--import-rows 100000]
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { Agent, request } from "node:http";
import { createServer } from "node:net";
import os from "node:os";
import { dirname, join } from "node:path";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { createDb } from "@nexo/db";
import { seedDatabase } from "@nexo/db/seed";
import postgres from "postgres";
import superjson from "superjson";

const { values: args } = parseArgs({
  options: {
    contacts: { type: "string", default: "100000" },
    clients: { type: "string", default: "20" },
    seconds: { type: "string", default: "5" },
    "import-rows": { type: "string", default: "100000" },
  },
});
const CONTACTS = Number(args.contacts);
const CLIENTS = Number(args.clients);
const SECONDS = Number(args.seconds);
const IMPORT_ROWS = Number(args["import-rows"]);
const APP_URL = "http://app.test";
const TARGETS = { list: 25, board: 25, dashboard: 25, search: 30, importRowsPerSecond: 5000 };

const here = dirname(fileURLToPath(import.meta.url));
const bundle = join(here, "..", "dist", "main.mjs");
const baseUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const dbName = `nexo_bench_${Date.now()}_${process.pid}`;
const dbUrl = new URL(baseUrl);
dbUrl.pathname = `/${dbName}`;
const keyPrefix = `nexo-bench:${process.pid}:${Date.now()}:`;

async function freePort(): Promise<number> {
  const probe = createServer();
  probe.listen(0, "127.0.0.1");
  await once(probe, "listening");
  const { port } = probe.address() as { port: number };
  probe.close();
  return port;
}

const rss = (pid: number, field: "VmRSS" | "VmHWM") => {
  const line = readFileSync(`/proc/${pid}/status`, "utf8")
    .split("\n")
    .find((l) => l.startsWith(field));
  return Math.round(Number(line?.replace(/\D+/g, "")) / 1024);
};

const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
let gateway: ChildProcess | undefined;
const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });

function call(
  port: number,
  cookie: string,
  path: string,
  body?: string | Readable,
  headers: Record<string, string> = {},
) {
  return new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port,
        path,
        method: body ? "POST" : "GET",
        agent,
        headers: { cookie, origin: APP_URL, ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    if (body instanceof Readable) body.pipe(req);
    else req.end(body);
  });
}

const query = (procedure: string, input: unknown) =>
  `/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(superjson.serialize(input)))}`;

async function main() {
  const t0 = performance.now();
  console.log(
    `load average at start: ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")} (${os.cpus().length} CPUs)`,
  );
  await admin.unsafe(`create database "${dbName}"`);
  const handle = await createDb({ kind: "postgres", url: dbUrl.toString(), poolSize: 1 });
  await handle.migrate();
  await handle.close();

  const port = await freePort();
  gateway = spawn(process.execPath, [bundle], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: "production",
      DATABASE_URL: dbUrl.toString(),
      ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
      REDIS_KEY_PREFIX: keyPrefix,
      SESSION_SECRET: "bench-secret-bench-secret-bench-secret-0123456789",
      APP_URL,
      HOST: "127.0.0.1",
      PORT: String(port),
      LOG_LEVEL: "warn",
      // A 100k-row upload is paced by the database (backpressure); give it longer than a form post.
      HTTP_REQUEST_TIMEOUT_MS: "120000",
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const pid = gateway.pid as number;
  const deadline = Date.now() + 30_000;
  for (;;) {
    const ready = await call(port, "", "/readyz").catch(() => ({ status: 0 }));
    if (ready.status === 200) break;
    if (Date.now() > deadline || gateway.exitCode !== null) throw new Error("gateway did not become ready");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  const register = await new Promise<{ cookie: string; orgId: string }>((resolve, reject) => {
    const input = {
      name: "Bench Owner",
      email: `bench-${Date.now()}@example.com`,
      password: "benchmark password",
      organizationName: "Bench Org",
    };
    const req = request(
      {
        host: "127.0.0.1",
        port,
        path: "/trpc/auth.register",
        method: "POST",
        headers: { "content-type": "application/json", origin: APP_URL },
      },
      (res) => {
        let text = "";
        res.on("data", (c) => {
          text += c;
        });
        res.on("end", () => {
          const cookie = (res.headers["set-cookie"] ?? []).map((c) => c.split(";")[0]).join("; ");
          const data = superjson.deserialize<{ organization: { id: string } }>(JSON.parse(text).result.data);
          resolve({ cookie, orgId: data.organization.id });
        });
      },
    );
    req.on("error", reject);
    req.end(JSON.stringify(superjson.serialize(input)));
  });
  const { cookie, orgId } = register;

  const seedStart = performance.now();
  const seeded = await seedDatabase(dbUrl.toString(), { contacts: CONTACTS, orgId });
  const seedSeconds = (performance.now() - seedStart) / 1000;
  console.log(`seeded ${CONTACTS} contacts (+ ${JSON.stringify(seeded.counts)}) in ${seedSeconds.toFixed(1)} s`);

  const get = async (procedure: string, input: unknown) => {
    const res = await call(port, cookie, query(procedure, input));
    if (res.status !== 200) throw new Error(`${procedure}: ${res.status} ${res.text.slice(0, 200)}`);
    return superjson.deserialize<unknown>(JSON.parse(res.text).result.data);
  };
  const [tag] = (await get("crm.tags.list", undefined)) as { id: string }[];
  const [pipeline] = (await get("crm.pipelines.list", undefined)) as { id: string }[];
  if (!tag || !pipeline) throw new Error("seed left no tags or pipelines");
  const searches = ["muller", "anna", "acme labs", "schmidt", "renewal", "zenith", "garcai", "lopez"];

  const scenarios: { name: string; target: number; path: (i: number) => string }[] = [
    { name: "contacts.list default", target: TARGETS.list, path: () => query("crm.contacts.list", {}) },
    {
      name: "contacts.list 2 filters (lifecycle + tag)",
      target: TARGETS.list,
      path: () => query("crm.contacts.list", { lifecycleStage: "customer", tagId: tag.id }),
    },
    { name: "deals.board", target: TARGETS.board, path: () => query("crm.deals.board", { pipelineId: pipeline.id }) },
    {
      name: "dashboard.pipeline",
      target: TARGETS.dashboard,
      path: () => query("crm.dashboard.pipeline", { pipelineId: pipeline.id }),
    },
    {
      name: "search",
      target: TARGETS.search,
      path: (i) => query("crm.search", { q: searches[i % searches.length] }),
    },
  ];

  const results: Record<string, unknown>[] = [];
  for (const scenario of scenarios) {
    // Warm-up: connections open, plans cached.
    for (let i = 0; i < 50; i++) await call(port, cookie, scenario.path(i));
    const times: number[] = [];
    let errors = 0;
    let n = 0;
    const end = performance.now() + SECONDS * 1000;
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (performance.now() < end) {
          const started = performance.now();
          const res = await call(port, cookie, scenario.path(n++));
          times.push(performance.now() - started);
          if (res.status !== 200) errors += 1;
        }
      }),
    );
    times.sort((a, b) => a - b);
    const at = (p: number) => Number((times[Math.min(times.length - 1, Math.floor(p * times.length))] ?? 0).toFixed(1));
    const row = {
      scenario: scenario.name,
      requests: times.length,
      rps: Math.round(times.length / SECONDS),
      p50: at(0.5),
      p95: at(0.95),
      p99: at(0.99),
      errors,
      targetP95: scenario.target,
      met: at(0.95) <= scenario.target,
    };
    results.push(row);
    console.log(
      `${row.scenario.padEnd(42)} p50 ${String(row.p50).padStart(6)} ms  p95 ${String(row.p95).padStart(6)} ms  p99 ${String(row.p99).padStart(6)} ms  ${row.rps} req/s  errors ${errors}  (target p95 ≤ ${scenario.target} ms: ${row.met ? "met" : "MISSED"})`,
    );
  }

  const rssBeforeImport = rss(pid, "VmRSS");
  const peakBeforeImport = rss(pid, "VmHWM");
  // Rows carry tags (created by the first batch) and two custom fields, as real files do.
  for (const field of [
    { entityType: "contact", key: "tier", label: "Tier", type: "select", options: ["Gold", "Silver", "Bronze"] },
    { entityType: "contact", key: "seats", label: "Seats", type: "number" },
  ]) {
    const created = await call(
      port,
      cookie,
      "/trpc/crm.customFields.create",
      JSON.stringify(superjson.serialize(field)),
      {
        "content-type": "application/json",
      },
    );
    if (created.status !== 200) throw new Error(`custom field: HTTP ${created.status} ${created.text}`);
  }
  const tiers = ["Gold", "Silver", "Bronze"];
  // The file is generated while it is sent, so the bench holds no 100k rows either.
  async function* csv() {
    yield "First name,Last name,Email,Phone,Job title,Lifecycle stage,Tags,Tier,Seats\n";
    for (let i = 0; i < IMPORT_ROWS; i += 1000) {
      let chunk = "";
      for (let j = i; j < Math.min(IMPORT_ROWS, i + 1000); j++) {
        chunk += `Imported${j},Person,imported.${j}@bench.example,+49 30 ${1000000 + j},Buyer,prospect,bench; wave ${j % 10},${tiers[j % 3]},${j % 50}\n`;
      }
      yield chunk;
    }
  }
  let peakDuringImport = 0;
  const sampler = setInterval(() => {
    peakDuringImport = Math.max(peakDuringImport, rss(pid, "VmRSS"));
  }, 50);
  const importStart = performance.now();
  const imported = await Promise.race([
    call(port, cookie, "/import/contacts?dedupe=create", Readable.from(csv()), { "content-type": "text/csv" }),
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error("import took over 180 s")), 180_000).unref()),
  ]);
  const importSeconds = (performance.now() - importStart) / 1000;
  clearInterval(sampler);
  const job = JSON.parse(imported.text).job as { inserted: number; failed: number; status: string };
  const importSummary = {
    rows: IMPORT_ROWS,
    status: imported.status,
    inserted: job?.inserted,
    failed: job?.failed,
    seconds: Number(importSeconds.toFixed(2)),
    rowsPerSecond: Math.round(IMPORT_ROWS / importSeconds),
    targetRowsPerSecond: TARGETS.importRowsPerSecond,
    rssBeforeMb: rssBeforeImport,
    peakRssDuringImportMb: Math.max(peakDuringImport, rss(pid, "VmRSS")),
    peakRssWholeRunMb: rss(pid, "VmHWM"),
    peakRssBeforeImportMb: peakBeforeImport,
    limitMb: 250,
  };
  console.log(
    `import ${IMPORT_ROWS} rows: ${importSummary.rowsPerSecond} rows/s (${importSummary.seconds} s, HTTP ${imported.status}, ${job?.inserted} inserted; target ≥ ${TARGETS.importRowsPerSecond}: ${importSummary.rowsPerSecond >= TARGETS.importRowsPerSecond ? "met" : "MISSED"})`,
  );
  console.log(
    `gateway RSS: ${rssBeforeImport} MB before import, peak ${importSummary.peakRssDuringImportMb} MB during it (sampled every 50 ms), VmHWM ${importSummary.peakRssWholeRunMb} MB for the whole run (limit 250 MB)`,
  );
  const summary = {
    // Other work on the machine skews every number: the load average says how much there was.
    machine: {
      cpus: os.cpus().length,
      node: process.version,
      loadAverageAtEnd: os.loadavg().map((l) => Number(l.toFixed(1))),
    },
    contacts: CONTACTS,
    clients: CLIENTS,
    secondsPerScenario: SECONDS,
    seed: { seconds: Number(seedSeconds.toFixed(1)), counts: seeded.counts },
    sessions: process.env.REDIS_URL ? "redis" : "memory",
    latency: results,
    import: importSummary,
    totalSeconds: Number(((performance.now() - t0) / 1000).toFixed(1)),
  };
  console.log(`BENCH_JSON ${JSON.stringify(summary)}`);
}

async function cleanUp() {
  agent.destroy();
  if (gateway && gateway.exitCode === null) {
    gateway.kill("SIGTERM");
    await Promise.race([once(gateway, "exit"), new Promise((resolve) => setTimeout(resolve, 10_000).unref())]);
    if (gateway.exitCode === null) gateway.kill("SIGKILL");
  }
  await admin.unsafe(`drop database if exists "${dbName}" with (force)`);
  await admin.end();
  if (process.env.REDIS_URL) {
    const { Redis } = await import("ioredis");
    const redis = new Redis(process.env.REDIS_URL, { maxRetriesPerRequest: 2 });
    const keys = await redis.keys(`${keyPrefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  }
}

// The whole run is bounded: a stuck phase ends it rather than hanging.
const watchdog = setTimeout(() => {
  console.error("bench exceeded 10 minutes; stopping");
  void cleanUp().finally(() => process.exit(1));
}, 600_000);
try {
  await main();
} catch (error) {
  process.exitCode = 1;
  console.error(error);
} finally {
  clearTimeout(watchdog);
  await cleanUp();
}
