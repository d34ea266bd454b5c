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
  tps: number;
  latencyAvgMs: number;
  /** Percentiles of the transactions' latencies, in ms: what the same SQL costs a client of Postgres itself. */
  p50: number;
  p95: number;
  p99: number;
  failed: number;
}

/** Latency percentiles (ms) from pgbench's transaction logs: the third field of each line, in µs. */
function logPercentiles(dir: string): { p50: number; p95: number; p99: number } {
  const latencies: number[] = [];
  for (const file of readdirSync(dir).filter((name) => name.startsWith("tx."))) {
    for (const line of readFileSync(join(dir, file), "utf8").split("\n")) {
      const micros = Number(line.split(" ")[2]);
      if (line && Number.isFinite(micros)) latencies.push(micros / 1000);
    }
  }
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    Number((latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * q))] ?? Number.NaN).toFixed(1));
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99) };
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

export async function runPgbench(
  databaseUrl: string,
  sequences: CapturedStatement[][],
  clients: number,
  seconds: number,
): Promise<PgbenchResult> {
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
    `--time=${seconds}`,
    ...scripts.map(({ file }) => `--file=${file}`),
    "--log",
    `--log-prefix=${join(dir, "tx")}`,
    ...scripts.flatMap(({ defines }) => defines.flatMap((d) => ["-D", d])),
    databaseUrl,
  ];
  try {
    // pgbench reports on standard output and its progress on standard error.
    const output = await runProgram("pgbench", args);
    const number = (pattern: RegExp) => Number(pattern.exec(output)?.[1] ?? Number.NaN);
    return {
      clients,
      tps: Math.round(number(/tps = ([\d.]+)/)),
      latencyAvgMs: number(/latency average = ([\d.]+) ms/),
      ...logPercentiles(dir),
      failed: number(/number of failed transactions: (\d+)/) || 0,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
