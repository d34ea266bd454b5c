// HTTP load: `connections` keep-alive clients, each sending the next request as soon as the previous
// one is answered (closed loop), or a set time after it (`thinkMs`, as people and scripts do). With
// wrk installed (Debian's package `wrk`) the load comes from wrk, a C program that costs far less CPU
// per request than a Node client, so on a small machine it leaves the cores to what is measured, as
// pgbench does for Postgres; without it, from autocannon.
// Either way every response's latency counts, and the CPU the load generator itself used is
// reported with the result.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import { runProgram } from "./program";

export interface LoadResult {
  connections: number;
  seconds: number;
  requests: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  /** Network errors, timeouts and non-2xx answers. */
  errors: number;
  /** Which program sent the load. */
  generator: "wrk" | "autocannon";
  /** CPU time (user + system) the load generator spent per request, in ms. */
  generatorCpuMsPerRequest: number;
}

export interface LoadOptions {
  url: string;
  /** Paths asked in turn by every connection. */
  paths: string[];
  headers: Record<string, string>;
  connections: number;
  /** Run for this long… */
  seconds?: number;
  /** …or until this many requests are answered (autocannon only). */
  amount?: number;
  /** Force a generator; by default wrk when it is installed and the run is timed. */
  generator?: "wrk" | "autocannon";
  /**
   * Each client waits this long after an answer before it sends its next request, as a person or a
   * script does between calls (wrk only). Without it the loop is closed: no wait at all.
   */
  thinkMs?: number;
}

let wrkFound: Promise<boolean> | undefined;
export function wrkAvailable(): Promise<boolean> {
  wrkFound ??= new Promise((resolve) => {
    const probe = spawn("wrk", ["--version"], { stdio: "ignore" });
    probe.on("error", () => resolve(false));
    probe.on("exit", () => resolve(true));
  });
  return wrkFound;
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const generator = options.generator ?? (!options.amount && (await wrkAvailable()) ? "wrk" : "autocannon");
  if (options.thinkMs && generator !== "wrk") throw new Error("a think time needs wrk (Debian's package wrk)");
  return generator === "wrk" ? runWrk(options) : runAutocannon(options);
}

/** CPU time of this process's children that have ended and been waited for (cutime + cstime), in ms. */
function childrenCpuMs(): number {
  const stat = readFileSync("/proc/self/stat", "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

const round = (n: number) => Number(n.toFixed(1));

async function runAutocannon(options: LoadOptions): Promise<LoadResult> {
  const times: number[] = [];
  let failed = 0;
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        ...(options.amount ? { amount: options.amount } : { duration: options.seconds ?? 5 }),
        timeout: 30,
        headers: options.headers,
        requests: options.paths.map((path) => ({ method: "GET", path })),
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
    instance.on("response", (_client, statusCode: number, _bytes, responseTime: number) => {
      times.push(responseTime);
      if (statusCode < 200 || statusCode > 299) failed += 1;
    });
  });
  const cpu = process.cpuUsage(cpuBefore);
  const seconds = (performance.now() - started) / 1000;
  times.sort((a, b) => a - b);
  const at = (p: number) => round(times[Math.min(times.length - 1, Math.floor(p * times.length))] ?? 0);
  return {
    connections: options.connections,
    seconds: round(seconds),
    requests: times.length,
    rps: Math.round(times.length / seconds),
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    errors: failed + result.errors + result.timeouts,
    generator: "autocannon",
    generatorCpuMsPerRequest: Number(((cpu.user + cpu.system) / 1000 / Math.max(1, times.length)).toFixed(2)),
  };
}

// The script wrk runs: the paths in turn, the headers on every request, and a JSON line at the end.
// wrk counts as errors the connect/read/write failures, timeouts and answers of 400 and above; 3xx
// answers would not be counted there, so they are counted here.
const WRK_SCRIPT = `
local paths = {}
local redirects = 0
for line in io.lines(os.getenv("NEXO_WRK_PATHS")) do paths[#paths + 1] = line end
local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
local think = tonumber(os.getenv("NEXO_WRK_THINK_MS") or "0")
if think > 0 then
  delay = function() return think end
end
response = function(status)
  if status >= 300 and status < 400 then redirects = redirects + 1 end
end
done = function(summary, latency)
  local e = summary.errors
  io.write(string.format('NEXO_RESULT {"requests":%d,"durationUs":%d,"errors":%d,"p50":%d,"p95":%d,"p99":%d}\\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.status + e.timeout + redirects,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
`;

async function runWrk(options: LoadOptions): Promise<LoadResult> {
  const dir = mkdtempSync(join(os.tmpdir(), "nexo-wrk-"));
  try {
    const script = join(dir, "load.lua");
    const paths = join(dir, "paths.txt");
    writeFileSync(script, WRK_SCRIPT);
    writeFileSync(paths, `${options.paths.join("\n")}\n`);
    const args = [
      "--threads",
      "1",
      "--connections",
      String(options.connections),
      "--duration",
      `${options.seconds ?? 5}s`,
      "--timeout",
      "30s",
      "--script",
      script,
      ...Object.entries(options.headers).flatMap(([name, value]) => ["--header", `${name}: ${value}`]),
      options.url,
    ];
    const cpuBefore = childrenCpuMs();
    const output = await runProgram("wrk", args, {
      ...process.env,
      NEXO_WRK_PATHS: paths,
      NEXO_WRK_THINK_MS: String(options.thinkMs ?? 0),
    });
    const cpu = childrenCpuMs() - cpuBefore;
    const line = output.split("\n").find((l) => l.startsWith("NEXO_RESULT "));
    if (!line) throw new Error(`wrk printed no result:\n${output}`);
    const r = JSON.parse(line.slice("NEXO_RESULT ".length)) as {
      requests: number;
      durationUs: number;
      errors: number;
      p50: number;
      p95: number;
      p99: number;
    };
    const seconds = r.durationUs / 1e6;
    return {
      connections: options.connections,
      seconds: round(seconds),
      requests: r.requests,
      rps: Math.round(r.requests / seconds),
      p50: round(r.p50 / 1000),
      p95: round(r.p95 / 1000),
      p99: round(r.p99 / 1000),
      errors: r.errors,
      generator: "wrk",
      generatorCpuMsPerRequest: Number((cpu / Math.max(1, r.requests)).toFixed(2)),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
