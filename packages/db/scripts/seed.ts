// Builds a realistic dataset into DATABASE_URL (migrations applied first).
//   pnpm db:seed --contacts 100000 [--org <organization id>]
import { parseArgs } from "node:util";
import { createDb } from "../src/client";
import { seedDatabase } from "../src/seed";

const { values } = parseArgs({
  options: { contacts: { type: "string", default: "10000" }, org: { type: "string" } },
  allowPositionals: true,
});
const url = process.env.DATABASE_URL;
const contacts = Number(values.contacts);
if (!url) {
  process.stderr.write("Set DATABASE_URL to the Postgres database to seed (the embedded database is not supported).\n");
  process.exit(1);
}
if (!Number.isInteger(contacts) || contacts < 1 || contacts > 5_000_000) {
  process.stderr.write("--contacts must be a whole number between 1 and 5000000.\n");
  process.exit(1);
}
const handle = await createDb({ kind: "postgres", url, poolSize: 1 });
await handle.migrate();
await handle.close();
console.log(`seeding ${contacts} contacts…`);
const result = await seedDatabase(url, { contacts, orgId: values.org, log: (line) => console.log(line) });
console.log(`seeded organization ${result.orgId} in ${(result.ms / 1000).toFixed(1)} s`);
