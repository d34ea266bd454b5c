// Closed-loop HTTP load with autocannon: `connections` keep-alive clients, each sending the next
// request as soon as the previous one is answered. Latencies are recorded per response, so any
// percentile can be read (autocannon's own summary has no p95).
import autocannon from "autocannon";

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
}

export interface LoadOptions {
  url: string;
  /** Paths asked in turn by every connection. */
  paths: string[];
  headers: Record<string, string>;
  connections: number;
  /** Run for this long… */
  seconds?: number;
  /** …or until this many requests are answered. */
  amount?: number;
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const times: number[] = [];
  let failed = 0;
  const started = performance.now();
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
  const seconds = (performance.now() - started) / 1000;
  times.sort((a, b) => a - b);
  const at = (p: number) => Number((times[Math.min(times.length - 1, Math.floor(p * times.length))] ?? 0).toFixed(1));
  return {
    connections: options.connections,
    seconds: Number(seconds.toFixed(1)),
    requests: times.length,
    rps: Math.round(times.length / seconds),
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    errors: failed + result.errors + result.timeouts,
  };
}
