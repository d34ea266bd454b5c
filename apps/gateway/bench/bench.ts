// `pnpm bench`: the production build under load. A throwaway database on the Postgres server gets
// the 100k-contact seed; the bundled gateway (with Redis sessions) and the web app's standalone
// server run as they would in production. Every scenario runs at 1, 20 and 100 concurrent
// keep-alive clients (wrk, or autocannon without it) and reports p50/p95/p99, req/s, errors and the peak RSS of the
// gateway (and of the web server for the page). The SQL of every scenario with a p95 target is
// captured off the wire (each of its paths) and replayed by pgbench at the same concurrency, right
// after each gateway run so both
// meet the same machine: gateway ÷ pgbench throughput says how close the gateway comes to what
// Postgres alone does with that SQL, and pgbench's own p95 is what Postgres alone gives that many
// clients (a missed target says so when that is above it too). A bare Node server
// (bare-server.ts: node:http and the same driver, nothing else) answers with that SQL under the
// same load (when pgbench is there, as the SQL is captured for it): the least any Node server
// costs here, for contacts.list at every concurrency and for each other scenario with a p95
// target at its 20 clients (a missed target says so when the bare server misses it too). The summary goes to
// bench-results/summary.json. Bounded to 10 minutes; the database and Redis keys are removed at the end.
// With --think <ms>, each client waits that long after an answer before its next request (wrk only).
//   pnpm bench [--contacts 100000] [--seconds 5] [--concurrency 1,20,100] [--only <name>] [--cpu-prof <folder>] [--load wrk|autocannon] [--think <ms>]
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { seedDatabase } from "@nexo/db/seed";
import { type LoadResult, runLoad } from "./load";
import { freeConnections, type PgbenchResult, pgbenchAvailable, runPgbench } from "./pgbench";
import { type CapturedStatement, startSqlCapture } from "./sql-capture";
import {
  bounded,
  cpuMs,
  createStack,
  databaseServerUrl,
  deployedPlannerSettings,
  gatewayImageNodeArgs,
  machine,
  type Process,
  query,
  repoRoot,
  rssMb,
  rssSampler,
  type Stack,
  signUp,
  trpcPath,
} from "./stack";

const { values: args } = parseArgs({
  options: {
    contacts: { type: "string", default: "100000" },
    seconds: { type: "string", default: "5" },
    concurrency: { type: "string", default: "1,20,100" },
    /** Only the scenarios whose name contains this text, e.g. `--only /contacts` for the page. */
    only: { type: "string" },
    /** Write a CPU profile of the gateway (node --cpu-prof) into this folder. */
    "cpu-prof": { type: "string" },
    /** The load generator: wrk when installed (the default), else autocannon. */
    load: { type: "string" },
    /** Each client waits this many ms after an answer before its next request (wrk only); 0: closed loop. */
    think: { type: "string", default: "0" },
  },
});
const CONTACTS = Number(args.contacts);
const SECONDS = Number(args.seconds);
const LEVELS = args.concurrency.split(",").map(Number);
const RATIO_TARGET = 0.5;
if (args.load && args.load !== "wrk" && args.load !== "autocannon") throw new Error("--load: wrk or autocannon");
const GENERATOR = args.load as "wrk" | "autocannon" | undefined;
const THINK_MS = Number(args.think);
if (!Number.isInteger(THINK_MS) || THINK_MS < 0) throw new Error("--think: a whole number of milliseconds");
/** The p95 targets at 20 clients, in ms (the CRM API issue's benchmark). */
const P95_TARGET_CLIENTS = 20;

interface Scenario {
  name: string;
  procedure?: string;
  on: "gateway" | "web";
  paths: string[];
  /** Replay its SQL with pgbench. */
  pgbench?: boolean;
  /**
   * Load the bare reference server (bare-server.ts) answering with that SQL at every concurrency
   * (for the ratio to pgbench). A scenario with a p95 target gets it at the target's 20 clients.
   */
  bare?: boolean;
  /** Its p95 target at 20 clients, in ms. */
  p95TargetMs?: number;
}

interface Run extends LoadResult {
  peakGatewayRssMb: number;
  /** The gateway's CPU time (user + system) per request answered, in ms: the cost a busy machine does not blur. */
  gatewayCpuMsPerRequest: number;
  peakWebRssMb?: number;
  loadAverage1m: number;
  pgbench?: PgbenchResult;
  /** Gateway req/s ÷ pgbench transactions/s (one transaction = the procedure's statements). */
  ratio?: number;
  /** The bare reference server under the same load: the least any Node server costs. */
  bare?: LoadResult & { cpuMsPerRequest: number; ratio?: number };
  /** At 20 clients in a closed loop: the scenario's p95 target, and whether it was met without errors. */
  p95TargetMs?: number;
  p95TargetMet?: boolean;
}

let stack: Stack | undefined;

/**
 * The bare reference server (bare-server.ts) under the same load as the gateway. An error answer
 * (a statement it could not run) leaves its speed and ratio out: an error is quick to send.
 */
async function loadBare(
  sequences: CapturedStatement[][],
  connections: number,
  pgbench: PgbenchResult | undefined,
): Promise<NonNullable<Run["bare"]>> {
  if (!stack) throw new Error("no stack");
  const bare = await stack.startBare(sequences);
  try {
    const paths = sequences.map((_, i) => `/${i}`);
    const load = { url: bare.url, paths, headers: {}, generator: GENERATOR };
    await runLoad({ ...load, connections: 10, seconds: 2 });
    const cpuBefore = cpuMs(bare.pid);
    const result = await runLoad({ ...load, connections, seconds: SECONDS, thinkMs: THINK_MS });
    const cpuMsPerRequest = Number(((cpuMs(bare.pid) - cpuBefore) / Math.max(1, result.requests)).toFixed(2));
    if (result.errors > 0) return { ...result, cpuMsPerRequest: Number.NaN };
    const ratio = pgbench ? Number((result.rps / pgbench.tps).toFixed(2)) : undefined;
    return { ...result, cpuMsPerRequest, ratio };
  } finally {
    await stack.stop(bare);
  }
}

async function main() {
  const t0 = performance.now();
  const before = machine();
  console.log(
    `machine: ${before.cpus} × ${before.cpuModel}, ${before.memoryGb} GB, Node ${before.node}; load average before: ${before.loadAverage.join(" ")}`,
  );
  const planner = Object.entries(deployedPlannerSettings()).map(([name, value]) => `${name} ${value}`);
  console.log(`planner settings of the deployment (docker/postgres/postgresql.conf): ${planner.join(", ")}`);
  console.log(
    `gateway started as its image starts it (docker/gateway.Dockerfile): node ${gatewayImageNodeArgs().join(" ")}`,
  );
  stack = await createStack("bench");
  const gateway = await stack.startGateway({
    nodeArgs: args["cpu-prof"] ? ["--cpu-prof", `--cpu-prof-dir=${args["cpu-prof"]}`] : [],
  });
  const web = await stack.startWeb(gateway.url);
  const { cookie, orgId } = await signUp(gateway.url, stack.appUrl);

  const seedStart = performance.now();
  const seeded = await seedDatabase(stack.databaseUrl, { contacts: CONTACTS, orgId });
  const seedSeconds = (performance.now() - seedStart) / 1000;
  console.log(`seeded ${CONTACTS} contacts (${JSON.stringify(seeded.counts)}) in ${seedSeconds.toFixed(1)} s`);

  const [tag] = await query<{ id: string }[]>(gateway.url, cookie, "crm.tags.list", undefined);
  const [pipeline] = await query<{ id: string }[]>(gateway.url, cookie, "crm.pipelines.list", undefined);
  if (!tag || !pipeline) throw new Error("the seed left no tags or pipelines");
  const contactIds: string[] = [];
  let cursor: string | null = null;
  while (contactIds.length < 100) {
    const page: { items: { id: string }[]; nextCursor: string | null } = await query(
      gateway.url,
      cookie,
      "crm.contacts.list",
      { cursor, limit: 50 },
    );
    contactIds.push(...page.items.map((c) => c.id));
    cursor = page.nextCursor;
    if (!cursor) break;
  }
  const searches = ["muller", "anna", "acme labs", "schmidt", "renewal", "zenith", "garcai", "lopez"];

  const allScenarios: Scenario[] = [
    {
      name: "contacts.list",
      procedure: "crm.contacts.list",
      on: "gateway",
      paths: [trpcPath("crm.contacts.list", {})],
      pgbench: true,
      bare: true,
      p95TargetMs: 25,
    },
    {
      name: "contacts.list, 2 filters (lifecycle + tag)",
      procedure: "crm.contacts.list",
      on: "gateway",
      paths: [trpcPath("crm.contacts.list", { lifecycleStage: "customer", tagId: tag.id })],
      pgbench: true,
      p95TargetMs: 25,
    },
    {
      name: "contacts.get",
      on: "gateway",
      paths: contactIds.map((id) => trpcPath("crm.contacts.get", { id })),
    },
    {
      // As the board page asks for it (25 cards per stage; the procedure's default is 50).
      name: "deals.board (25 cards per stage)",
      on: "gateway",
      paths: [trpcPath("crm.deals.board", { pipelineId: pipeline.id, perStage: 25 })],
      pgbench: true,
      p95TargetMs: 25,
    },
    {
      name: "dashboard.pipeline",
      on: "gateway",
      paths: [trpcPath("crm.dashboard.pipeline", { pipelineId: pipeline.id })],
      pgbench: true,
      p95TargetMs: 25,
    },
    {
      // pgbench runs each search's SQL as a script of its own, one picked at random per transaction.
      name: "search",
      on: "gateway",
      paths: searches.map((q) => trpcPath("crm.search", { q })),
      pgbench: true,
      p95TargetMs: 30,
    },
    { name: "web page /contacts (SSR)", on: "web", paths: ["/contacts"] },
  ];
  const scenarios = allScenarios.filter((scenario) => !args.only || scenario.name.includes(args.only));
  if (scenarios.length === 0) throw new Error(`--only ${args.only}: no scenario has that in its name`);

  // The SQL behind the pgbench scenarios, captured first from a second gateway that reaches
  // Postgres through a recording proxy; that gateway is stopped before any load runs.
  // One statement sequence per path: pgbench picks one of them at random for each transaction, as
  // the load goes through the paths in turn.
  const captured = new Map<Scenario, CapturedStatement[][]>();
  const withPgbench = scenarios.filter((s) => s.pgbench);
  if (withPgbench.length > 0 && !(await pgbenchAvailable())) {
    console.log("pgbench not found (it ships with the PostgreSQL server packages): no ceiling comparison");
  } else if (withPgbench.length > 0) {
    const server = new URL(databaseServerUrl);
    const capture = await startSqlCapture({ host: server.hostname, port: Number(server.port || 5432) });
    const viaProxy = new URL(stack.databaseUrl);
    viaProxy.host = `127.0.0.1:${capture.port}`;
    const observed: Process = await stack.startGateway({ databaseUrl: viaProxy.toString() });
    try {
      for (const scenario of withPgbench) {
        const sequences: CapturedStatement[][] = [];
        for (const path of scenario.paths) {
          const call = async () => {
            const res = await fetch(`${observed.url}${path}`, { headers: { cookie } });
            if (res.status !== 200) throw new Error(`${scenario.name}: ${res.status}`);
            await res.arrayBuffer();
          };
          await call();
          sequences.push(await capture.record(call));
        }
        captured.set(scenario, sequences);
        const [first = []] = sequences;
        const paths = sequences.length > 1 ? ` (the first of ${sequences.length} paths)` : "";
        console.log(`${scenario.name}: ${first.length} statements per call${paths}, replayed with pgbench:`);
        for (const statement of first) console.log(`  ${statement.sql.slice(0, 160)}`);
      }
    } finally {
      await stack.stop(observed);
      await capture.close();
    }
  }

  const results: {
    scenario: string;
    on: string;
    statements?: number;
    /** The SQL captured for each path, as pgbench replays it. */
    sql?: CapturedStatement[][];
    runs: Run[];
  }[] = [];
  let maxLoad = 0;
  for (const scenario of scenarios) {
    const target = scenario.on === "gateway" ? gateway : web;
    const paths = scenario.paths;
    const headers = { cookie };
    const sequences = captured.get(scenario);
    // Warm-up: connections open, statements prepared, caches filled, the hot code compiled.
    await runLoad({ url: target.url, paths, headers, connections: 10, seconds: 3, generator: GENERATOR });
    // The target is for a closed loop at 20 clients; a think time makes a lighter load than that.
    const targetMs = THINK_MS === 0 ? scenario.p95TargetMs : undefined;
    const runs: Run[] = [];
    for (const connections of LEVELS) {
      const gatewayRss = rssSampler(gateway.pid);
      const webRss = rssSampler(web.pid);
      const cpuBefore = cpuMs(gateway.pid);
      const result = await runLoad({
        url: target.url,
        paths,
        headers,
        connections,
        seconds: SECONDS,
        generator: GENERATOR,
        thinkMs: THINK_MS,
      });
      const gatewayCpuMs = cpuMs(gateway.pid) - cpuBefore;
      const loadAverage1m = Number(os.loadavg()[0]?.toFixed(2));
      maxLoad = Math.max(maxLoad, loadAverage1m);
      const run: Run = {
        ...result,
        peakGatewayRssMb: gatewayRss.stop(),
        gatewayCpuMsPerRequest: Number((gatewayCpuMs / Math.max(1, result.requests)).toFixed(2)),
        loadAverage1m,
        ...(scenario.on === "web" ? { peakWebRssMb: webRss.stop() } : {}),
      };
      if (scenario.on !== "web") webRss.stop();
      // pgbench right after the gateway's run, so both meet the same machine.
      let ceiling = "";
      if (sequences) {
        const clients = Math.min(connections, await freeConnections(databaseServerUrl));
        run.pgbench = await runPgbench(stack.databaseUrl, sequences, clients, SECONDS);
        run.ratio = Number((run.rps / run.pgbench.tps).toFixed(2));
        ceiling = `  pgbench ${run.pgbench.tps} tx/s, p95 ${run.pgbench.p95} ms with ${clients} clients (after ${run.pgbench.warmupSeconds} s${run.pgbench.settled ? "" : ", NOT past its first plans"}) → ratio ${run.ratio}`;
      }
      const atTarget = targetMs !== undefined && connections === P95_TARGET_CLIENTS;
      if (sequences?.[0] && (scenario.bare || atTarget)) {
        try {
          run.bare = await loadBare(sequences, connections, run.pgbench);
          const { rps, p95, errors, cpuMsPerRequest, ratio } = run.bare;
          ceiling += `  bare Node ${rps} req/s, p95 ${p95} ms, ${cpuMsPerRequest} ms CPU/req → ratio ${ratio}${errors > 0 ? `, ${errors} ERRORS` : ""}`;
        } catch (error) {
          ceiling += `  bare Node: failed (${error instanceof Error ? error.message : String(error)})`;
        }
      }
      if (atTarget) {
        run.p95TargetMs = targetMs;
        run.p95TargetMet = run.p95 <= targetMs && run.errors === 0;
      }
      // A missed target names the references that miss it too: Postgres alone with the same SQL,
      // and the bare Node server in front of it.
      const alsoAbove = [
        run.pgbench && targetMs !== undefined && run.pgbench.p95 > targetMs
          ? `Postgres alone: p95 ${run.pgbench.p95} ms`
          : "",
        run.bare && targetMs !== undefined && run.bare.errors === 0 && run.bare.p95 > targetMs
          ? `bare Node: p95 ${run.bare.p95} ms`
          : "",
      ].filter(Boolean);
      const references = alsoAbove.length > 0 ? ` (${alsoAbove.join("; ")})` : "";
      const verdict =
        run.p95TargetMet === undefined
          ? ""
          : `  p95 target ≤ ${targetMs} ms: ${run.p95TargetMet ? "met" : "MISSED"}${run.p95TargetMet ? "" : references}`;
      runs.push(run);
      console.log(
        `${scenario.name.padEnd(44)} c=${String(connections).padStart(3)}  ${String(run.rps).padStart(6)} req/s  p50 ${String(run.p50).padStart(7)}  p95 ${String(run.p95).padStart(7)}  p99 ${String(run.p99).padStart(7)} ms  errors ${run.errors}  gateway CPU ${run.gatewayCpuMsPerRequest} ms/req, RSS ${run.peakGatewayRssMb} MB${run.peakWebRssMb ? `, web ${run.peakWebRssMb} MB` : ""}  ${run.generator} CPU ${run.generatorCpuMsPerRequest} ms/req  (load ${loadAverage1m})${ceiling}${verdict}`,
      );
    }
    results.push({
      scenario: scenario.name,
      on: scenario.on,
      statements: sequences?.[0]?.length,
      sql: sequences,
      runs,
    }); // of the first path
  }

  const listRatios = results.flatMap((r) =>
    r.scenario === "contacts.list" ? r.runs.map((run) => ({ connections: run.connections, ratio: run.ratio })) : [],
  );
  const after = machine();
  const summary = {
    command: `pnpm bench --contacts ${CONTACTS} --seconds ${SECONDS} --concurrency ${LEVELS.join(",")}${THINK_MS ? ` --think ${THINK_MS}` : ""}`,
    /** 0: closed loop; else each client's wait after an answer before its next request. */
    thinkMs: THINK_MS,
    finishedAt: new Date().toISOString(),
    machine: {
      cpus: before.cpus,
      cpuModel: before.cpuModel,
      memoryGb: before.memoryGb,
      node: before.node,
      // The bench itself keeps about two cores busy; what is above that came from elsewhere.
      loadAverageBefore: before.loadAverage,
      loadAverage1mMaxDuring: maxLoad,
      loadAverageAfter: after.loadAverage,
    },
    database: {
      server: "postgres",
      sessions: "redis",
      gatewayPoolSize: 10,
      planner: deployedPlannerSettings(),
    },
    seed: { contacts: CONTACTS, seconds: Number(seedSeconds.toFixed(1)), counts: seeded.counts },
    gatewayNodeArgs: gatewayImageNodeArgs(),
    secondsPerRun: SECONDS,
    scenarios: results,
    peakRssMb: { gateway: rssMb(gateway.pid, "VmHWM"), web: rssMb(web.pid, "VmHWM") },
    target: {
      contactsListGatewayToPgbench: RATIO_TARGET,
      contactsList: listRatios,
      met: listRatios.length > 0 && listRatios.every((r) => (r.ratio ?? 0) >= RATIO_TARGET),
    },
    totalSeconds: Number(((performance.now() - t0) / 1000).toFixed(1)),
  };
  const dir = join(repoRoot, "bench-results");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "summary.json"), `${JSON.stringify(summary, null, 2)}\n`);
  console.log(
    `peak RSS: gateway ${summary.peakRssMb.gateway} MB, web ${summary.peakRssMb.web} MB; contacts.list gateway ÷ pgbench ${listRatios.map((r) => `c=${r.connections}: ${r.ratio}`).join(", ")} (target ≥ ${RATIO_TARGET}: ${summary.target.met ? "met" : "MISSED"})`,
  );
  console.log(
    `load average after: ${after.loadAverage.join(" ")}; total ${summary.totalSeconds} s; summary in bench-results/summary.json`,
  );
}

// Bounded so that, with the build before it, `pnpm bench` ends within 10 minutes.
await bounded(9 * 60_000, main, async () => {
  await stack?.close();
});
