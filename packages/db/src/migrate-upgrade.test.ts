import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { uuidv7 } from "uuidv7";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrationsFolder } from "./client";

/** The migrations of the foundation release, before the CRM records were added. */
const FOUNDATION_MIGRATIONS = 2;

interface Journal {
  entries: { idx: number; tag: string }[];
}

/** A copy of the migrations folder whose journal stops after the first `count` entries. */
function migrationsUpTo(count: number): string {
  const dir = mkdtempSync(join(tmpdir(), "nexo-migrations-"));
  cpSync(migrationsFolder, dir, { recursive: true });
  const journalPath = join(dir, "meta", "_journal.json");
  const journal = JSON.parse(readFileSync(journalPath, "utf8")) as Journal;
  writeFileSync(journalPath, JSON.stringify({ ...journal, entries: journal.entries.slice(0, count) }));
  return dir;
}

interface RawDb {
  execute(query: ReturnType<typeof sql>): Promise<unknown>;
  migrate(folder: string): Promise<void>;
  close(): Promise<void>;
}

async function emptyDatabase(): Promise<RawDb> {
  const base = process.env.DATABASE_URL;
  if (!base) {
    const [{ PGlite }, { pg_trgm }, { unaccent }, { drizzle }, { migrate }] = await Promise.all([
      import("@electric-sql/pglite"),
      import("@electric-sql/pglite/contrib/pg_trgm"),
      import("@electric-sql/pglite/contrib/unaccent"),
      import("drizzle-orm/pglite"),
      import("drizzle-orm/pglite/migrator"),
    ]);
    const client = new PGlite({ extensions: { pg_trgm, unaccent } });
    const db = drizzle({ client });
    return {
      execute: (q) => db.execute(q),
      migrate: (folder) => migrate(db, { migrationsFolder: folder }),
      close: () => client.close(),
    };
  }
  const name = `nexo_test_${uuidv7().replaceAll("-", "")}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  const client = postgres(url.toString(), { max: 1, onnotice: () => {} });
  const db = drizzlePostgres({ client });
  return {
    execute: (q) => db.execute(q),
    migrate: (folder) => migratePostgres(db, { migrationsFolder: folder }),
    async close() {
      await client.end({ timeout: 5 });
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end();
    },
  };
}

describe("upgrading a foundation database", () => {
  let raw: RawDb;
  const foundation = migrationsUpTo(FOUNDATION_MIGRATIONS);
  const org = uuidv7();
  const user = uuidv7();
  const contact = uuidv7();

  beforeAll(async () => {
    raw = await emptyDatabase();
    await raw.migrate(foundation);
    await raw.execute(sql`insert into organizations (id, name) values (${org}, 'Old Org')`);
    await raw.execute(
      sql`insert into users (id, email, name, password_hash) values (${user}, 'old@example.com', 'Old', 'x')`,
    );
    await raw.execute(sql`insert into memberships (org_id, user_id, role) values (${org}, ${user}, 'owner')`);
    await raw.execute(
      sql`insert into contacts (id, org_id, first_name, last_name, email, created_by)
          values (${contact}, ${org}, 'Ada', 'Lövelace', 'ada@example.com', ${user})`,
    );
  });
  afterAll(async () => {
    await raw?.close();
    rmSync(foundation, { recursive: true, force: true });
  });

  it("applies every later migration and keeps the existing rows, with defaults for new columns", async () => {
    await raw.migrate(migrationsFolder);
    // postgres.js yields an array of rows, PGlite an object holding them.
    const asRows = async (q: ReturnType<typeof sql>) => {
      const result = await raw.execute(q);
      return (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Record<string, unknown>[];
    };
    const [row] = await asRows(
      sql`select first_name, email, search_text, lifecycle_stage, social_links, company_id, deleted_at from contacts where id = ${contact}`,
    );
    expect(row).toEqual({
      first_name: "Ada",
      email: "ada@example.com",
      // Rebuilt by the migration that folds accents.
      search_text: "ada lovelace ada@example.com  ",
      lifecycle_stage: "lead",
      social_links: {},
      company_id: null,
      deleted_at: null,
    });
    const journal = JSON.parse(readFileSync(join(migrationsFolder, "meta", "_journal.json"), "utf8")) as Journal;
    const [applied] = await asRows(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
    expect(applied?.n).toBe(journal.entries.length);
    expect(journal.entries.length).toBeGreaterThan(FOUNDATION_MIGRATIONS);

    // The new tables work with the old organization's data.
    const company = uuidv7();
    await raw.execute(
      sql`insert into companies (id, org_id, name, domain) values (${company}, ${org}, 'Acme', 'acme.com')`,
    );
    await raw.execute(sql`update contacts set company_id = ${company} where id = ${contact}`);
    const [linked] = await asRows(
      sql`select c.name from contacts k join companies c on c.id = k.company_id where k.id = ${contact}`,
    );
    expect(linked?.name).toBe("Acme");
  });
});

describe("upgrading a database that already has deals", () => {
  let raw: RawDb;
  const journal = JSON.parse(readFileSync(join(migrationsFolder, "meta", "_journal.json"), "utf8")) as Journal;
  const before = migrationsUpTo(journal.entries.findIndex((e) => e.tag.endsWith("_deal_totals")));
  const org = uuidv7();
  const [sales, lead, won] = [uuidv7(), uuidv7(), uuidv7()];

  beforeAll(async () => {
    raw = await emptyDatabase();
    await raw.migrate(before);
    await raw.execute(sql`insert into organizations (id, name) values (${org}, 'Dealing Org')`);
    await raw.execute(sql`insert into pipelines (id, org_id, name) values (${sales}, ${org}, 'Sales')`);
    await raw.execute(
      sql`insert into pipeline_stages (id, org_id, pipeline_id, name, position, is_won)
          values (${lead}, ${org}, ${sales}, 'Lead', 0, false), (${won}, ${org}, ${sales}, 'Won', 1, true)`,
    );
    await raw.execute(
      sql`insert into deals (org_id, id, pipeline_id, stage_id, title, amount_minor, currency, expected_close_date, position, status, deleted_at)
          values (${org}, ${uuidv7()}, ${sales}, ${lead}, 'a', 100, 'EUR', '2026-03-05', 1, 'open', null),
                 (${org}, ${uuidv7()}, ${sales}, ${lead}, 'b', 250, 'EUR', '2026-03-28', 2, 'open', null),
                 (${org}, ${uuidv7()}, ${sales}, ${lead}, 'c', 999, 'EUR', '2026-03-28', 3, 'open', now()),
                 (${org}, ${uuidv7()}, ${sales}, ${lead}, 'd', 40, 'USD', null, 4, 'open', null),
                 (${org}, ${uuidv7()}, ${sales}, ${won}, 'e', 7000, 'EUR', '2026-01-02', 1, 'won', null)`,
    );
  });
  afterAll(async () => {
    await raw?.close();
    rmSync(before, { recursive: true, force: true });
  });

  it("fills the board and forecast totals from the live deals", async () => {
    await raw.migrate(migrationsFolder);
    const asRows = async (q: ReturnType<typeof sql>) => {
      const result = await raw.execute(q);
      return (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Record<string, unknown>[];
    };
    expect(
      await asRows(
        sql`select stage_id, currency, deal_count, amount_minor::text as amount from deal_stage_totals
            where org_id = ${org} order by stage_id, currency`,
      ),
    ).toEqual([
      { stage_id: lead, currency: "EUR", deal_count: 2, amount: "350" },
      { stage_id: lead, currency: "USD", deal_count: 1, amount: "40" },
      { stage_id: won, currency: "EUR", deal_count: 1, amount: "7000" },
    ]);
    expect(
      await asRows(
        sql`select stage_id, to_char(month, 'YYYY-MM-DD') as month, deal_count, amount_minor::text as amount
            from deal_forecast_totals where org_id = ${org}`,
      ),
    ).toEqual([{ stage_id: lead, month: "2026-03-01", deal_count: 2, amount: "350" }]);
  });
});

describe("upgrading a database with links made by people who since lost the right to make them", () => {
  let raw: RawDb;
  const journal = JSON.parse(readFileSync(join(migrationsFolder, "meta", "_journal.json"), "utf8")) as Journal;
  const before = migrationsUpTo(journal.entries.findIndex((e) => e.tag.endsWith("_password_reset_creator")));
  const org = uuidv7();
  const [owner, admin, demoted, removed] = [uuidv7(), uuidv7(), uuidv7(), uuidv7()];
  const invite = {
    byOwner: uuidv7(),
    byAdmin: uuidv7(),
    adminByAdmin: uuidv7(),
    byDemoted: uuidv7(),
    byRemoved: uuidv7(),
    expiredByRemoved: uuidv7(),
  };

  beforeAll(async () => {
    raw = await emptyDatabase();
    await raw.migrate(before);
    await raw.execute(sql`insert into organizations (id, name) values (${org}, 'Linked Org')`);
    for (const user of [owner, admin, demoted, removed]) {
      await raw.execute(
        sql`insert into users (id, email, name, password_hash) values (${user}, ${`${user}@example.com`}, 'U', 'x')`,
      );
    }
    await raw.execute(
      sql`insert into memberships (org_id, user_id, role)
          values (${org}, ${owner}, 'owner'), (${org}, ${admin}, 'admin'), (${org}, ${demoted}, 'member')`,
    );
    const pending = sql`now() + interval '7 days'`;
    await raw.execute(
      sql`insert into invites (id, org_id, token_hash, role, created_by, expires_at)
          values (${invite.byOwner}, ${org}, 'h1', 'admin', ${owner}, ${pending}),
                 (${invite.byAdmin}, ${org}, 'h2', 'viewer', ${admin}, ${pending}),
                 (${invite.adminByAdmin}, ${org}, 'h3', 'admin', ${admin}, ${pending}),
                 (${invite.byDemoted}, ${org}, 'h4', 'member', ${demoted}, ${pending}),
                 (${invite.byRemoved}, ${org}, 'h5', 'member', ${removed}, ${pending}),
                 (${invite.expiredByRemoved}, ${org}, 'h6', 'member', ${removed}, now() - interval '1 day')`,
    );
    await raw.execute(
      sql`insert into password_resets (id, user_id, token_hash, expires_at)
          values (${uuidv7()}, ${demoted}, 'r1', now() + interval '20 minutes')`,
    );
  });
  afterAll(async () => {
    await raw?.close();
    rmSync(before, { recursive: true, force: true });
  });

  it("revokes the pending invites their creator could no longer make, and voids pending reset links", async () => {
    await raw.migrate(migrationsFolder);
    const asRows = async (q: ReturnType<typeof sql>) => {
      const result = await raw.execute(q);
      return (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Record<string, unknown>[];
    };
    const invites = await asRows(sql`select id, revoked_at is not null as revoked from invites where org_id = ${org}`);
    const revoked = Object.fromEntries(invites.map((r) => [r.id, r.revoked]));
    expect(revoked).toEqual({
      [invite.byOwner]: false,
      [invite.byAdmin]: false,
      [invite.adminByAdmin]: true,
      [invite.byDemoted]: true,
      [invite.byRemoved]: true,
      // Expired already: it stays so.
      [invite.expiredByRemoved]: false,
    });
    expect(await asRows(sql`select used_at is not null as used, created_by, org_id from password_resets`)).toEqual([
      { used: true, created_by: null, org_id: null },
    ]);
  });
});
