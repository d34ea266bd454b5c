import postgres from "postgres";
import { uuidv7 } from "uuidv7";
import { describe, expect, it } from "vitest";
import { createDb } from "./client";
import { seedDatabase } from "./seed";

const base = process.env.DATABASE_URL;

// The seed writes with COPY, which only a Postgres server speaks.
describe.runIf(base)("seedDatabase", () => {
  it("builds companies, contacts, deals in every stage, activities and tags for one organization", async () => {
    const name = `nexo_test_${uuidv7().replaceAll("-", "")}`;
    const admin = postgres(base!, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database "${name}"`);
    const url = new URL(base!);
    url.pathname = `/${name}`;
    try {
      const handle = await createDb({ kind: "postgres", url: url.toString(), poolSize: 1 });
      await handle.migrate();
      await handle.close();
      const result = await seedDatabase(url.toString(), { contacts: 2000 });
      expect(result.counts).toMatchObject({ companies: 200, contacts: 2000, deals: 400, activities: 1000 });
      const check = postgres(url.toString(), { max: 1 });
      const [stages] = await check`select count(distinct stage_id)::int as n, count(distinct status)::int as statuses
                                   from deals where org_id = ${result.orgId}`;
      const [emails] = await check`select count(distinct email)::int as n from contacts where org_id = ${result.orgId}`;
      const [orphans] = await check`select count(*)::int as n from contacts c
                                    where c.company_id is not null and not exists (select 1 from companies where id = c.company_id)`;
      await check.end();
      expect(stages).toEqual({ n: 12, statuses: 3 });
      expect(emails?.n).toBe(2000);
      expect(orphans?.n).toBe(0);
    } finally {
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end();
    }
  });
});
