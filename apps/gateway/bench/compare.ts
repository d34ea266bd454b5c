// Builds of the gateway compared on one seeded database. The builds run side by side and the same
// load goes to each in turn, in short runs whose order alternates from round to round, so the
// host's drift (which here moves one build's CPU per request by a fifth from one run to the next)
// falls on every build alike. Prints each build's CPU time per request, req/s and p95 round by round,
// and the median of its ratio to the first build's CPU per request in the same round.
//   pnpm --filter @nexo/gateway bench:compare <build dir> <build dir> [...]
//     [--scenario list|filters|board|dashboard|search] [--rounds 14] [--seconds 3] [--clients 20]
// A build dir is a copy of apps/gateway/dist (`pnpm --filter @nexo/gateway build`, then copy),
// kept inside apps/gateway so that the bundle finds the packages it leaves external. A build may
// be followed by Node options for its process, after a colon and comma-separated:
// `dist dist:--max-semi-space-size=32` compares one build with and without that option.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { seedDatabase } from "@nexo/db/seed";
import { runLoad } from "./load";
import { bounded, cpuMs, createStack, type Process, query, type Stack, signUp, trpcPath } from "./stack";

const { values: args, positionals: builds } = parseArgs({
  allowPositionals: true,
  options: {
    scenario: { type: "string", default: "list" },
    rounds: { type: "string", default: "14" },
    seconds: { type: "string", default: "3" },
    clients: { type: "string", default: "20" },
    contacts: { type: "string", default: "100000" },
  },
});
const rounds = Number(args.rounds);
const seconds = Number(args.seconds);
const connections = Number(args.clients);
const bundles = builds.map((build) => resolve(build.split(":")[0] as string, "main.mjs"));
const nodeArgs = builds.map((build) => build.split(":").slice(1).join(":").split(",").filter(Boolean));
if (bundles.length < 2 || bundles.some((bundle) => !existsSync(bundle))) {
  console.error("give two or more build dirs, each holding a main.mjs");
  process.exit(2);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
let stack: Stack | undefined;
// Stopped by a signal to this process: the processes, the database and the Redis keys go all the
// same. (Ctrl-C through `pnpm` can end this process before it is done, as it can `pnpm bench`.)
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void (stack?.close() ?? Promise.resolve()).finally(() => process.exit(130));
  });
}

await bounded(
  // The load itself, the warm-up, and five minutes for the seed and the start.
  (rounds * seconds + 5) * bundles.length * 1000 + 5 * 60_000,
  async () => {
    stack = await createStack("compare");
    const gateways: Process[] = [];
    for (const [i, bundle] of bundles.entries()) {
      gateways.push(await stack.startGateway({ bundle, nodeArgs: nodeArgs[i] }));
    }
    const first = gateways[0] as Process;
    const { cookie, orgId } = await signUp(first.url, stack.appUrl);
    await seedDatabase(stack.databaseUrl, { contacts: Number(args.contacts), orgId });
    const [tag] = await query<{ id: string }[]>(first.url, cookie, "crm.tags.list", undefined);
    const [pipeline] = await query<{ id: string }[]>(first.url, cookie, "crm.pipelines.list", undefined);
    if (!tag || !pipeline) throw new Error("the seed left no tags or pipelines");
    const scenarios: Record<string, string[]> = {
      list: [trpcPath("crm.contacts.list", {})],
      filters: [trpcPath("crm.contacts.list", { lifecycleStage: "customer", tagId: tag.id })],
      board: [trpcPath("crm.deals.board", { pipelineId: pipeline.id, perStage: 25 })],
      dashboard: [trpcPath("crm.dashboard.pipeline", { pipelineId: pipeline.id })],
      search: ["muller", "anna", "acme labs", "schmidt"].map((q) => trpcPath("crm.search", { q })),
    };
    const paths = scenarios[args.scenario as string];
    if (!paths) throw new Error(`no scenario ${args.scenario}: ${Object.keys(scenarios).join(", ")}`);
    const load = (gateway: Process, runSeconds: number) =>
      runLoad({ url: gateway.url, paths, headers: { cookie }, connections, seconds: runSeconds });

    // Warm every build up (JIT, Postgres's caches and plans) before anything is counted.
    for (const gateway of gateways) await load(gateway, 5);
    const cpu = gateways.map(() => [] as number[]);
    const rps = gateways.map(() => [] as number[]);
    const p95 = gateways.map(() => [] as number[]);
    for (let round = 0; round < rounds; round++) {
      const order = gateways.map((_, i) => (round % 2 === 0 ? i : gateways.length - 1 - i));
      for (const i of order) {
        const gateway = gateways[i] as Process;
        const before = cpuMs(gateway.pid);
        const result = await load(gateway, seconds);
        if (result.errors > 0) throw new Error(`${builds[i]}: ${result.errors} errors`);
        cpu[i]?.push((cpuMs(gateway.pid) - before) / result.requests);
        rps[i]?.push(result.rps);
        p95[i]?.push(result.p95);
      }
    }
    console.log(`${args.scenario}, ${connections} clients, ${rounds} rounds of ${seconds} s per build`);
    builds.forEach((dir, i) => {
      const own = cpu[i] ?? [];
      const ratios = own.map((ms, round) => ms / (cpu[0]?.[round] ?? Number.NaN));
      console.log(
        `${dir}: CPU ms/request median ${median(own).toFixed(2)} [${own.map((ms) => ms.toFixed(2)).join(" ")}], ` +
          `req/s median ${median(rps[i] ?? [])} [${(rps[i] ?? []).join(" ")}], ` +
          `p95 ms median ${median(p95[i] ?? [])} [${(p95[i] ?? []).join(" ")}], ` +
          `÷ ${builds[0]} round by round: median ${median(ratios).toFixed(3)}`,
      );
    });
  },
  async () => {
    await stack?.close();
  },
);
