// `pnpm --filter @nexo/gateway bench:import`: CSV import throughput of the production gateway. Each
// run gets a fresh database seeded like `pnpm bench:memory` (100k contacts by default), starts the
// built gateway, and streams the same generated contacts CSV as bench:memory through
// POST /import/contacts (tags and two custom fields; `--plain` leaves those columns out). Prints
// rows/s and the gateway's peak RSS per run, then the median. Build first (`pnpm build`, or
// `pnpm --filter @nexo/gateway build`).
//   pnpm --filter @nexo/gateway bench:import [--rows 100000] [--contacts 100000] [--runs 3]
//     [--dedupe create|skip|update] [--plain] [--cpu-prof <folder>]
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { seedDatabase } from "@nexo/db/seed";
import postgres from "postgres";
import { createStack, importContactsCsv, machine, signUp } from "./stack";

const { values: args } = parseArgs({
  options: {
    rows: { type: "string", default: "100000" },
    contacts: { type: "string", default: "100000" },
    runs: { type: "string", default: "3" },
    dedupe: { type: "string", default: "create" },
    plain: { type: "boolean", default: false },
    "cpu-prof": { type: "string" },
  },
});
const ROWS = Number(args.rows);
const CONTACTS = Number(args.contacts);
const RUNS = Number(args.runs);
const dedupe = args.dedupe as "create" | "skip" | "update";

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

/** CPU seconds (user + system) a process has used so far; 0 once it is gone. */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/**
 * CPU used by the gateway and by its Postgres backends during the import: on a shared machine the
 * wall clock depends on the neighbours, CPU per row much less.
 */
async function cpuMeter(databaseUrl: string, gatewayPid: number) {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  const backends = async () =>
    (
      await sql<{ pid: number }[]>`select pid from pg_stat_activity
        where datname = current_database() and application_name = 'nexo-gateway'`
    ).map((r) => r.pid);
  const start = new Map((await backends()).map((pid) => [pid, cpuSeconds(pid)]));
  const gatewayStart = cpuSeconds(gatewayPid);
  return async () => {
    let database = 0;
    for (const pid of await backends()) database += cpuSeconds(pid) - (start.get(pid) ?? 0);
    await sql.end();
    return { gateway: cpuSeconds(gatewayPid) - gatewayStart, database };
  };
}

async function run(i: number) {
  const stack = await createStack("import");
  try {
    const gateway = await stack.startGateway({
      nodeArgs: args["cpu-prof"] ? ["--cpu-prof", `--cpu-prof-dir=${args["cpu-prof"]}`] : [],
    });
    const { cookie, orgId } = await signUp(gateway.url, stack.appUrl);
    if (CONTACTS > 0) await seedDatabase(stack.databaseUrl, { contacts: CONTACTS, orgId });
    const stopMeter = await cpuMeter(stack.databaseUrl, gateway.pid);
    const result = await importContactsCsv(gateway, stack.appUrl, cookie, {
      rows: ROWS,
      extras: !args.plain,
      dedupe,
    });
    const cpu = await stopMeter();
    const perRow = (seconds: number) => Math.round((seconds * 1e6) / ROWS);
    console.log(
      `run ${i}: ${result.inserted} inserted, ${result.updated} updated, ${result.skipped} skipped, ${result.failed} failed in ${result.seconds} s: ` +
        `${result.rowsPerSecond} rows/s; gateway RSS peak ${result.peakGatewayRssMb} MB; CPU per row: gateway ${perRow(cpu.gateway)} µs, ` +
        `Postgres ${perRow(cpu.database)} µs (load ${machine().loadAverage[0]})`,
    );
    return { ...result, cpu };
  } finally {
    await stack.close();
  }
}

const before = machine();
console.log(
  `machine: ${before.cpus} × ${before.cpuModel}, Node ${before.node}; load average before: ${before.loadAverage.join(" ")}`,
);
console.log(
  `import of ${ROWS} contacts (${args.plain ? "no tags or custom fields" : "tags + 2 custom fields"}, dedupe=${dedupe}) into ${CONTACTS} seeded contacts, ${RUNS} run(s)`,
);
const results = [];
let failed = false;
for (let i = 1; i <= RUNS; i++) {
  try {
    results.push(await run(i));
  } catch (error) {
    console.error(error);
    failed = true;
    break;
  }
}
if (results.length > 0) {
  console.log(
    `median: ${median(results.map((r) => r.rowsPerSecond))} rows/s (target ≥ 5000); peak RSS median ${median(results.map((r) => r.peakGatewayRssMb))} MB, max ${Math.max(...results.map((r) => r.peakGatewayRssMb))} MB (limit 250 MB); ` +
      `CPU per row median: gateway ${median(results.map((r) => Math.round((r.cpu.gateway * 1e6) / ROWS)))} µs, Postgres ${median(results.map((r) => Math.round((r.cpu.database * 1e6) / ROWS)))} µs`,
  );
}
if (failed) process.exitCode = 1;
