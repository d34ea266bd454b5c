/** A bounded closed-loop load on loopback: `workers` clients calling one URL back to back. */
export interface Sample {
  start: number;
  end: number;
  /** HTTP status, or -1 when the request failed at the network level. */
  status: number;
}

export function startLoad(url: string, headers: Record<string, string>, workers = 4, maxRequests = 100_000) {
  const samples: Sample[] = [];
  let running = true;
  const loops = Array.from({ length: workers }, async () => {
    while (running && samples.length < maxRequests) {
      const start = performance.now();
      let status = -1;
      try {
        const res = await fetch(url, { headers });
        await res.arrayBuffer();
        status = res.status;
      } catch {
        status = -1;
      }
      samples.push({ start, end: performance.now(), status });
    }
  });
  return {
    samples,
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}

/** Resolves once `check` holds, polling; rejects after `timeoutMs`. */
export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

export function listUrl(base: string): string {
  return `${base}/trpc/crm.contacts.list?input=${encodeURIComponent(JSON.stringify({ json: {} }))}`;
}
