// pgbench running a captured statement sequence (see sql-capture.ts) against the bench database:
// the throughput Postgres itself gives that exact SQL, the ceiling the gateway can approach.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { runProgram } from "./program";
import { type CapturedStatement, pgbenchScript } from "./sql-capture";

export interface PgbenchResult {
  clients: number;
  tps: number;
  latencyAvgMs: number;
  failed: number;
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
  statements: CapturedStatement[],
  clients: number,
  seconds: number,
): Promise<PgbenchResult> {
  const { script, defines } = pgbenchScript(statements);
  const dir = mkdtempSync(join(tmpdir(), "nexo-pgbench-"));
  const file = join(dir, "statements.sql");
  writeFileSync(file, script);
  const args = [
    "--no-vacuum",
    "--protocol=prepared",
    `--client=${clients}`,
    `--jobs=${Math.min(clients, 2)}`,
    `--time=${seconds}`,
    `--file=${file}`,
    ...defines.flatMap((d) => ["-D", d]),
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
      failed: number(/number of failed transactions: (\d+)/) || 0,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
