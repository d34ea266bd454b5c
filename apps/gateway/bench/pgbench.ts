// pgbench running a captured statement sequence (see sql-capture.ts) against the bench database:
// the throughput Postgres itself gives that exact SQL, the ceiling the gateway can approach, and the
// latency of each of its transactions (read from pgbench's per-transaction log): what the same SQL
// takes for that many clients of Postgres itself.
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { runProgram } from "./program";
import { type CapturedStatement, pgbenchScript } from "./sql-capture";

export interface PgbenchResult {
  clients: number;
  /** Transactions per second after the warm-up. */
  tps: number;
  /** Seconds of the same load before the numbers count (see runPgbench). */
  warmupSeconds: number;
  /** False when even the longest warm-up did not get every client past its statements' first runs. */
  settled: boolean;
  /** Percentiles of the transactions' latencies, in ms: what the same SQL costs a client of Postgres itself. */
  p50: number;
  p95: number;
  p99: number;
  /** Failed transactions over the whole run, warm-up included. */
  failed: number;
}

/** A transaction from pgbench's per-transaction log. */
interface Transaction {
  client: number;
  script: number;
  /** When it ended, in seconds since the epoch. */
  end: number;
  ms: number;
}

/**
 * The transactions of pgbench's logs: each line has the client, the latency in µs, the script, and
 * the time the transaction ended (seconds and µs). Failed ones (no latency) are left out.
 */
function readTransactions(dir: string): Transaction[] {
  const transactions: Transaction[] = [];
  for (const file of readdirSync(dir).filter((name) => name.startsWith("tx."))) {
    for (const line of readFileSync(join(dir, file), "utf8").split("\n")) {
      const [client, , micros, script, seconds, fraction] = line.split(" ").map(Number);
      const end = (seconds ?? Number.NaN) + (fraction ?? Number.NaN) / 1e6;
      if (line && Number.isFinite(micros) && Number.isFinite(end)) {
        transactions.push({ client: client ?? -1, script: script ?? -1, end, ms: (micros ?? 0) / 1000 });
      }
    }
  }
  return transactions.sort((a, b) => a.end - b.end);
}

/** Postgres plans a prepared statement's first five runs for their values before it may settle on one plan. */
const CUSTOM_PLANS = 5;

/**
 * How far the run's clients got past their statements' first runs: `settled`, the seconds from the
 * first transaction's end until each of the `pairs` (clients × scripts) had run more than five
 * times, or null if one never did; and the share of those first runs done, counting each pair's
 * first six.
 */
function planning(transactions: Transaction[], pairs: number): { settled: number | null; done: number } {
  const first = transactions[0]?.end ?? 0;
  const runs = new Map<string, number>();
  let settled = first;
  for (const t of transactions) {
    const key = `${t.client}:${t.script}`;
    const n = (runs.get(key) ?? 0) + 1;
    runs.set(key, n);
    if (n === CUSTOM_PLANS + 1) settled = t.end;
  }
  let counted = 0;
  for (const n of runs.values()) counted += Math.min(n, CUSTOM_PLANS + 1);
  const done = counted / (pairs * (CUSTOM_PLANS + 1));
  return { settled: done >= 1 ? settled - first : null, done };
}

/** Throughput and latency percentiles (ms) of the transactions that ended `fromSeconds` after the first. */
function measuredFrom(transactions: Transaction[], fromSeconds: number) {
  const first = transactions[0]?.end ?? 0;
  const last = transactions.at(-1)?.end ?? 0;
  const from = first + fromSeconds;
  const latencies = transactions.filter((t) => t.end >= from).map((t) => t.ms);
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    Number((latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * q))] ?? Number.NaN).toFixed(1));
  const tps = last > from ? Math.round(latencies.length / (last - from)) : Number.NaN;
  return { tps, p50: at(0.5), p95: at(0.95), p99: at(0.99) };
}

/**
 * How many connections pgbench may open now: `max_connections` less those in use, the superuser
 * reserve and a margin for the gateway's pool and everyone else's. A test suite may be using the same
 * server, so this is asked before every run.
 */
export async function freeConnections(databaseUrl: string, margin = 25): Promise<number> {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql<{ max: number; used: number; reserved: number }[]>`
      select current_setting('max_connections')::int as max,
             current_setting('superuser_reserved_connections')::int as reserved,
             (select count(*)::int from pg_stat_activity) as used`;
    return Math.max(1, (row?.max ?? 0) - (row?.reserved ?? 0) - (row?.used ?? 0) - margin);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

export function pgbenchAvailable(): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = spawn("pgbench", ["--version"], { stdio: "ignore" });
    probe.on("error", () => resolve(false));
    probe.on("exit", (code) => resolve(code === 0));
  });
}

/** The longest warm-up pgbench is given before the numbers count. */
const MAX_WARMUP_SECONDS = 30;

/**
 * pgbench's steady state with `clients` clients, measured over `seconds` after a warm-up that is left
 * out of its numbers, as the gateway's warm-up is left out of its own. The warm-up lasts at least
 * two seconds and until every client is past its scripts' first five runs: each pgbench client
 * prepares each script's statement anew, and Postgres plans a prepared statement's first five runs
 * for their values before it may settle on a generic plan, as it did on each of the gateway's
 * connections during the gateway's warm-up. For search (8 scripts, a statement planned in 5–11 ms
 * and run in 1–2 ms on the benchmark host) 20 clients take several seconds to get past them.
 * When they take longer than the first run's warm-up and leave less than four fifths of `seconds`,
 * pgbench runs once more with a warm-up a quarter longer than they took, or would have taken at
 * that run's pace (at most 30 s); if even that run has not settled, its numbers come with
 * `settled: false`.
 */
export async function runPgbench(
  databaseUrl: string,
  sequences: CapturedStatement[][],
  clients: number,
  seconds: number,
): Promise<PgbenchResult> {
  let warmupSeconds = 2;
  for (let attempt = 1; ; attempt++) {
    const { transactions, failed } = await pgbenchRun(databaseUrl, sequences, clients, warmupSeconds + seconds);
    const runSeconds = (transactions.at(-1)?.end ?? 0) - (transactions[0]?.end ?? 0);
    const { settled, done } = planning(transactions, clients * sequences.length);
    const from = Math.max(warmupSeconds, settled ?? runSeconds);
    // What is left of the run once every client is past its first plans: about `seconds` when that
    // came within the warm-up (the first transaction ends a little after the run starts).
    const left = runSeconds - from;
    if ((settled !== null && (settled <= warmupSeconds || left >= seconds * 0.8)) || attempt === 2) {
      const past = settled !== null && left >= 1;
      const start = past ? from : warmupSeconds;
      return { clients, ...measuredFrom(transactions, start), failed, warmupSeconds: round(start), settled: past };
    }
    // How long the planning took, or would at the pace of this run, and a quarter more.
    const planningSeconds = settled ?? runSeconds / Math.max(done, 0.1);
    warmupSeconds = Math.min(MAX_WARMUP_SECONDS, Math.ceil(planningSeconds * 1.25) + 1);
  }
}

const round = (seconds: number) => Math.round(seconds * 10) / 10;

async function pgbenchRun(
  databaseUrl: string,
  sequences: CapturedStatement[][],
  clients: number,
  totalSeconds: number,
): Promise<{ transactions: Transaction[]; failed: number }> {
  const dir = mkdtempSync(join(tmpdir(), "nexo-pgbench-"));
  // One script per sequence (pgbench picks one at random for each transaction), each with
  // variables of its own.
  const scripts = sequences.map((statements, i) => {
    const { script, defines } = pgbenchScript(statements, `f${i}`);
    const file = join(dir, `statements-${i}.sql`);
    writeFileSync(file, script);
    return { file, defines };
  });
  const args = [
    "--no-vacuum",
    "--protocol=prepared",
    `--client=${clients}`,
    `--jobs=${Math.min(clients, 2)}`,
    `--time=${totalSeconds}`,
    ...scripts.map(({ file }) => `--file=${file}`),
    "--log",
    `--log-prefix=${join(dir, "tx")}`,
    ...scripts.flatMap(({ defines }) => defines.flatMap((d) => ["-D", d])),
    databaseUrl,
  ];
  try {
    // pgbench reports on standard output and its progress on standard error.
    const output = await runProgram("pgbench", args);
    const failed = Number(/number of failed transactions: (\d+)/.exec(output)?.[1] ?? 0);
    return { transactions: readTransactions(dir), failed };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
