// Costs of authentication: one argon2id hash (and its parameters), sign-in latency under 10
// concurrent logins over HTTP, and the per-request cost of resolving a session cookie in process.
// Uses DATABASE_URL / REDIS_URL when set (a throwaway database and key prefix), else PGlite + memory.
//   pnpm --filter @nexo/gateway bench:auth [logins=200] [resolutions=5000]
import { hash } from "@node-rs/argon2";
import { browserClient, startTestGateway } from "../src/test-gateway";

const logins = Number(process.argv[2] ?? 200);
const resolutions = Number(process.argv[3] ?? 5000);
const concurrency = 10;

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

// The parameters packages/auth uses (passwords.ts): argon2id, 19 MiB, 2 passes, 1 lane.
const params = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;
const hashTimes: number[] = [];
for (let i = 0; i < 20; i++) {
  const t0 = performance.now();
  await hash(`password number ${i}`, params);
  hashTimes.push(performance.now() - t0);
}
hashTimes.sort((a, b) => a - b);
console.log(
  `argon2id m=${params.memoryCost} KiB t=${params.timeCost} p=${params.parallelism}: one hash p50 ${percentile(hashTimes, 50).toFixed(1)} ms (20 hashes)`,
);

const gw = await startTestGateway({
  rateLimits: {
    loginPerIp: { limit: 1_000_000, windowSeconds: 60 },
    loginPerAccount: { limit: 1_000_000, windowSeconds: 60 },
  },
});
try {
  console.log(`database: ${gw.db.kind}, sessions: ${gw.auth.storeKind}`);
  const accounts = await Promise.all(
    Array.from({ length: concurrency }, async (_, i) => {
      const email = `bench-${i}-${crypto.randomUUID()}@example.com`;
      await browserClient(gw.url).client.auth.register.mutate({
        name: `Bench ${i}`,
        email,
        password: "benchmark password",
        organizationName: `Bench ${i}`,
      });
      return email;
    }),
  );

  const loginTimes: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    accounts.map(async (email) => {
      const { client } = browserClient(gw.url);
      while (next < logins) {
        next++;
        const t0 = performance.now();
        await client.auth.login.mutate({ email, password: "benchmark password" });
        loginTimes.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  loginTimes.sort((a, b) => a - b);
  console.log(
    `auth.login, ${concurrency} concurrent: p50 ${percentile(loginTimes, 50).toFixed(1)} ms, p95 ${percentile(loginTimes, 95).toFixed(1)} ms (${loginTimes.length} logins, ${(loginTimes.length / seconds).toFixed(1)}/s)`,
  );

  // Session resolution as the gateway does it before every procedure: verify the signed cookie, then
  // one store lookup.
  const resHeaders = new Headers();
  await gw.auth.startSession(
    { userId: crypto.randomUUID(), orgId: crypto.randomUUID(), role: "member" },
    { headers: new Headers(), resHeaders },
  );
  const cookie = resHeaders.getSetCookie()[0]!.split(";")[0]!;
  const headers = new Headers({ cookie });
  for (let i = 0; i < 200; i++) await gw.auth.resolveRequest({ headers, resHeaders: new Headers(), db: gw.db.db });
  const times: number[] = [];
  for (let i = 0; i < resolutions; i++) {
    const t0 = performance.now();
    const session = await gw.auth.resolveRequest({ headers, resHeaders: new Headers(), db: gw.db.db });
    times.push((performance.now() - t0) * 1000);
    if (!session) throw new Error("session did not resolve");
  }
  times.sort((a, b) => a - b);
  const mean = times.reduce((s, t) => s + t, 0) / times.length;
  console.log(
    `session resolution (cookie → ${gw.auth.storeKind} store): mean ${mean.toFixed(0)} µs, p50 ${percentile(times, 50).toFixed(0)} µs, p95 ${percentile(times, 95).toFixed(0)} µs (${resolutions} resolutions)`,
  );
} finally {
  await gw.stop();
}
