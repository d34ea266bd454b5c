import { readFileSync } from "node:fs";
import { join } from "node:path";
import { is } from "drizzle-orm";
import { PgTable } from "drizzle-orm/pg-core";
import postgres from "postgres";
import { uuidv7 } from "uuidv7";
import { describe, expect, it } from "vitest";
import { createDb, migrationsFolder } from "./client";
import * as schema from "./schema";

// Counted from the journal and the schema, so a new migration or table does not need this test edited.
const journal = JSON.parse(readFileSync(join(migrationsFolder, "meta", "_journal.json"), "utf8")) as {
  entries: unknown[];
};
const schemaTables = Object.values(schema).filter((value) => is(value, PgTable)).length;

const base = process.env.DATABASE_URL;

// Concurrency only exists on a server; the embedded database has a single process by design.
describe.runIf(base)("migrations on Postgres", () => {
  it("are safe when several gateways start at once", async () => {
    const name = `nexo_test_${uuidv7().replaceAll("-", "")}`;
    const admin = postgres(base!, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database "${name}"`);
    const url = new URL(base!);
    url.pathname = `/${name}`;
    const gateways = await Promise.all(
      Array.from({ length: 3 }, () => createDb({ kind: "postgres", url: url.toString(), poolSize: 2 })),
    );
    try {
      await Promise.all(gateways.map((g) => g.migrate()));
      const check = postgres(url.toString(), { max: 1 });
      const [applied] = await check`select count(*)::int as n from drizzle.__drizzle_migrations`;
      const [tables] = await check`select count(*)::int as n from pg_tables where schemaname = 'public'`;
      await check.end();
      expect(applied?.n).toBe(journal.entries.length);
      expect(tables?.n).toBe(schemaTables);
    } finally {
      await Promise.all(gateways.map((g) => g.close()));
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end();
    }
  });
});
