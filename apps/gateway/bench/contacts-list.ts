// Latency of crm.contacts.list over HTTP: an in-process gateway on loopback, one signed-in user
// calling from `clients` concurrent loops. Uses DATABASE_URL / REDIS_URL when set (a throwaway
// database is created and dropped), else PGlite in memory.
//   pnpm --filter @nexo/gateway bench:list [contacts=1000] [calls=500] [clients=1]
import { contacts } from "@nexo/db";
import { browserClient, startTestGateway } from "../src/test-gateway";

const contactCount = Number(process.argv[2] ?? 1000);
const calls = Number(process.argv[3] ?? 500);
const clients = Number(process.argv[4] ?? 1);

const gw = await startTestGateway();
try {
  const { client } = browserClient(gw.url);
  const me = await client.auth.register.mutate({
    name: "Bench",
    email: `bench-${crypto.randomUUID()}@example.com`,
    password: "benchmark password",
    organizationName: "Bench Org",
  });
  for (let start = 0; start < contactCount; start += 500) {
    const rows = Array.from({ length: Math.min(500, contactCount - start) }, (_, i) => ({
      orgId: me.organization.id,
      firstName: `First${start + i}`,
      lastName: `Last${start + i}`,
      email: `person${start + i}@example.com`,
    }));
    await gw.db.db.insert(contacts).values(rows);
  }

  const measure = async (label: string, call: () => Promise<unknown>) => {
    for (let i = 0; i < 20; i++) await call();
    const times: number[] = [];
    let started = 0;
    const loop = async () => {
      while (started < calls) {
        started++;
        const t0 = performance.now();
        await call();
        times.push(performance.now() - t0);
      }
    };
    await Promise.all(Array.from({ length: clients }, loop));
    times.sort((a, b) => a - b);
    const at = (p: number) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))]!.toFixed(2);
    console.log(
      `${label}: p50 ${at(50)} ms, p95 ${at(95)} ms, p99 ${at(99)} ms (${calls} calls, ${clients} concurrent)`,
    );
  };

  console.log(`database: ${gw.db.kind}, sessions: ${gw.auth.storeKind}, contacts: ${contactCount}`);
  await measure("crm.contacts.list (first page, 25)", () => client.crm.contacts.list.query({}));
  await measure("crm.contacts.list (search 'last42')", () => client.crm.contacts.list.query({ search: "last42" }));
} finally {
  await gw.stop();
}
