// `pnpm bench:memory`: resident memory of the production gateway and web server over a working
// day in miniature. On the 100k-contact seed (Postgres, Redis sessions): RSS at idle, after one
// round of load, after a 100k-row CSV import, then after five more rounds of the same load. A leak
// shows as RSS that keeps climbing from round to round; the check is that every round ends within
// 10% of round one, read after a forced full GC (see gc-on-signal.cjs). One round = 10,000 API
// requests (the main read procedures in turn, 20 clients) plus 500 renders of the web page
// /contacts (10 clients). Writes bench-results/memory.json.
//   pnpm bench:memory [--contacts 100000] [--requests 10000] [--pages 500] [--import-rows 100000]
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { seedDatabase } from "@nexo/db/seed";
import { runLoad } from "./load";
import {
  bounded,
  createStack,
  importContactsCsv,
  machine,
  type Process,
  query,
  repoRoot,
  rssMb,
  type Stack,
  signUp,
  trpcPath,
} from "./stack";

const { values: args } = parseArgs({
  options: {
    contacts: { type: "string", default: "100000" },
    requests: { type: "string", default: "10000" },
    pages: { type: "string", default: "500" },
    "import-rows": { type: "string", default: "100000" },
    rounds: { type: "string", default: "5" },
  },
});
const CONTACTS = Number(args.contacts);
const REQUESTS = Number(args.requests);
const PAGES = Number(args.pages);
const IMPORT_ROWS = Number(args["import-rows"]);
const ROUNDS = Number(args.rounds);
const TOLERANCE = 0.1;

let stack: Stack | undefined;

interface Reading {
  when: string;
  /** RSS after a full garbage collection. */
  gatewayMb: number;
  webMb: number;
  /** RSS as found when the load stopped. */
  beforeGc: { gatewayMb: number; webMb: number };
  loadAverage1m: number;
}

async function main() {
  const t0 = performance.now();
  const before = machine();
  console.log(
    `machine: ${before.cpus} × ${before.cpuModel}, ${before.memoryGb} GB, Node ${before.node}; load average before: ${before.loadAverage.join(" ")}`,
  );
  stack = await createStack("memory");
  const gateway = await stack.startGateway({ gcOnSignal: true });
  const web = await stack.startWeb(gateway.url, { gcOnSignal: true });
  const { cookie, orgId } = await signUp(gateway.url, stack.appUrl);
  const seeded = await seedDatabase(stack.databaseUrl, { contacts: CONTACTS, orgId });
  console.log(`seeded ${CONTACTS} contacts in ${(seeded.ms / 1000).toFixed(1)} s`);

  const [tag] = await query<{ id: string }[]>(gateway.url, cookie, "crm.tags.list", undefined);
  const [pipeline] = await query<{ id: string }[]>(gateway.url, cookie, "crm.pipelines.list", undefined);
  const page = await query<{ items: { id: string }[] }>(gateway.url, cookie, "crm.contacts.list", { limit: 50 });
  if (!tag || !pipeline) throw new Error("the seed left no tags or pipelines");
  const apiPaths = [
    trpcPath("crm.contacts.list", {}),
    trpcPath("crm.contacts.list", { lifecycleStage: "customer", tagId: tag.id }),
    ...page.items.slice(0, 10).map((c) => trpcPath("crm.contacts.get", { id: c.id })),
    trpcPath("crm.deals.board", { pipelineId: pipeline.id }),
    trpcPath("crm.dashboard.pipeline", { pipelineId: pipeline.id }),
    ...["muller", "anna", "acme labs", "renewal"].map((q) => trpcPath("crm.search", { q })),
  ];

  const readings: Reading[] = [];
  // Each reading is taken twice: as it is, and after a full garbage collection in both servers.
  // The first depends on how long ago V8 last collected; the second is what the process retains,
  // which is what a leak makes grow.
  const read = async (when: string) => {
    const asIs = { gatewayMb: rssMb(gateway.pid), webMb: rssMb(web.pid) };
    await Promise.all([stack!.collectGarbage(gateway), stack!.collectGarbage(web)]);
    const reading = {
      when,
      gatewayMb: rssMb(gateway.pid),
      webMb: rssMb(web.pid),
      beforeGc: asIs,
      loadAverage1m: Number(machine().loadAverage[0]),
    };
    readings.push(reading);
    console.log(
      `${when.padEnd(34)} gateway ${String(reading.gatewayMb).padStart(4)} MB (${asIs.gatewayMb} before GC)   web ${String(reading.webMb).padStart(4)} MB (${asIs.webMb} before GC)   (load ${reading.loadAverage1m})`,
    );
    return reading;
  };
  const round = async () => {
    const api = await runLoad({
      url: gateway.url,
      paths: apiPaths,
      headers: { cookie },
      connections: 20,
      amount: REQUESTS,
    });
    const pages = await runLoad({
      url: web.url,
      paths: ["/contacts"],
      headers: { cookie },
      connections: 10,
      amount: PAGES,
    });
    if (api.errors + pages.errors > 0) throw new Error(`errors under load: ${api.errors} API, ${pages.errors} pages`);
    return { apiRps: api.rps, pagesPerSecond: pages.rps };
  };

  await read("idle (after the seed)");
  const first = await round();
  await read(`after ${REQUESTS} requests + ${PAGES} pages`);

  const imported = await importCsv(gateway, cookie);
  await read(`after a ${IMPORT_ROWS}-row import`);

  const rounds: Reading[] = [];
  for (let i = 1; i <= ROUNDS; i++) {
    await round();
    rounds.push(await read(`round ${i}`));
  }
  const base = rounds[0] as Reading;
  const verdict = (pick: (r: Reading) => number) => {
    const changes = rounds.map((r) => (pick(r) - pick(base)) / pick(base));
    return {
      roundOneMb: pick(base),
      mb: rounds.map(pick),
      /** Largest difference from round one, either way. */
      spread: Number(Math.max(...changes.map(Math.abs)).toFixed(3)),
      /** Largest rise above round one: what a leak would make grow. */
      growth: Number(Math.max(0, ...changes).toFixed(3)),
    };
  };
  const gatewayRounds = verdict((r) => r.gatewayMb);
  const webRounds = verdict((r) => r.webMb);
  const within = gatewayRounds.spread <= TOLERANCE && webRounds.spread <= TOLERANCE;
  const noGrowth = gatewayRounds.growth <= TOLERANCE && webRounds.growth <= TOLERANCE;
  const percent = (x: number) => `${(x * 100).toFixed(1)}%`;
  for (const [name, v] of [
    ["gateway", gatewayRounds],
    ["web", webRounds],
  ] as const) {
    console.log(
      `${name.padEnd(7)} rounds 1–${ROUNDS}: ${v.mb.join(", ")} MB; furthest from round one ${percent(v.spread)}, highest above it ${percent(v.growth)}`,
    );
  }
  console.log(
    `every round within ${percent(TOLERANCE)} of round one: ${within ? "yes" : "no"}; any round more than ${percent(TOLERANCE)} above it (a leak): ${noGrowth ? "no" : "YES"}`,
  );
  console.log(`peak RSS over the run: gateway ${rssMb(gateway.pid, "VmHWM")} MB, web ${rssMb(web.pid, "VmHWM")} MB`);

  const after = machine();
  const summary = {
    command: `pnpm bench:memory --contacts ${CONTACTS} --requests ${REQUESTS} --pages ${PAGES} --import-rows ${IMPORT_ROWS}`,
    finishedAt: new Date().toISOString(),
    machine: { ...before, loadAverageBefore: before.loadAverage, loadAverageAfter: after.loadAverage },
    load: { requests: REQUESTS, pages: PAGES, firstRound: first },
    import: imported,
    readings,
    rounds: { tolerance: TOLERANCE, gateway: gatewayRounds, web: webRounds, within, noGrowth },
    peakRssMb: { gateway: rssMb(gateway.pid, "VmHWM"), web: rssMb(web.pid, "VmHWM") },
    totalSeconds: Number(((performance.now() - t0) / 1000).toFixed(1)),
  };
  const dir = join(repoRoot, "bench-results");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "memory.json"), `${JSON.stringify(summary, null, 2)}\n`);
  console.log(`total ${summary.totalSeconds} s; summary in bench-results/memory.json`);
  if (!noGrowth) process.exitCode = 1;
}

async function importCsv(gateway: Process, cookie: string) {
  const result = await importContactsCsv(gateway, stack?.appUrl ?? "", cookie, { rows: IMPORT_ROWS });
  const { updated: _updated, skipped: _skipped, ...kept } = result;
  console.log(
    `import: ${result.inserted} rows in ${result.seconds} s (${result.rowsPerSecond} rows/s, target ≥ 5000; ${result.failed} failed); gateway RSS peak ${result.peakGatewayRssMb} MB during it (limit 250 MB)`,
  );
  return kept;
}

await bounded(20 * 60_000, main, async () => {
  await stack?.close();
});
