import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  activities,
  apiTokens,
  auditLog,
  createDb,
  customFieldDefinitions,
  customFieldValues,
  dealStageMoves,
  deals,
  eq,
  importJobs,
  invites,
  memberships,
  passwordResets,
  pipelineStages,
  recordHistory,
  savedViews,
} from "@nexo/db";
import { seedDatabase } from "@nexo/db/seed";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot, run } from "./repo";

// The real `scripts/nexo backup` and `restore`, against a database of the test's own on the
// Postgres server of DATABASE_URL (with the pg_dump / pg_restore on this machine).
const server = process.env.DATABASE_URL;
const pgTools = run(["pg_dump", "--version"]).status === 0 && run(["pg_restore", "--version"]).status === 0;
const nexo = join(repoRoot, "scripts/nexo");

/** Row count and an md5 of all rows in a fixed order, for every table of the database. */
async function fingerprint(url: string) {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const tables = await sql<{ name: string }[]>`
      select format('%I.%I', schemaname, tablename) as name from pg_tables
      where schemaname not in ('pg_catalog', 'information_schema') order by 1`;
    const result: Record<string, { rows: number; md5: string }> = {};
    for (const { name } of tables) {
      const [row] = await sql.unsafe<{ rows: number; md5: string }[]>(
        `select count(*)::int as rows, md5(coalesce(string_agg(t::text, E'\\n' order by t::text), '')) as md5 from ${name} t`,
      );
      result[name] = row!;
    }
    return result;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

describe.runIf(server && pgTools)("scripts/nexo backup and restore (NEXO_DATABASE_URL)", () => {
  const name = `nexo_test_backup_${Date.now()}_${process.pid}`;
  const url = new URL(server ?? "postgres://localhost/postgres");
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  const dir = mkdtempSync(join(tmpdir(), "nexo-backup-"));
  let admin: postgres.Sql;

  beforeAll(async () => {
    admin = postgres(server as string, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database "${name}"`);
  });
  afterAll(async () => {
    await admin?.unsafe(`drop database if exists "${name}" with (force)`);
    await admin?.end();
    rmSync(dir, { recursive: true, force: true });
  });

  it("seed → backup → wipe → restore gives every table back with the same rows", async () => {
    const handle = await createDb({ kind: "postgres", url: databaseUrl, poolSize: 2 });
    try {
      await handle.migrate();
      const { orgId } = await seedDatabase(databaseUrl, { contacts: 2000 });
      // The seed fills the CRM's main tables; one row in each of the others, so none is left empty.
      const db = handle.db;
      const [owner] = await db.select().from(memberships).where(eq(memberships.orgId, orgId)).limit(1);
      const userId = owner!.userId;
      const [deal] = await db.select().from(deals).limit(1);
      const [stage] = await db.select().from(pipelineStages).limit(1);
      const [activity] = await db.select().from(activities).limit(1);
      await db.insert(dealStageMoves).values({ orgId, dealId: deal!.id, toStageId: stage!.id, movedBy: userId });
      await db.insert(recordHistory).values({
        orgId,
        entityType: "deal",
        entityId: deal!.id,
        field: "title",
        oldValue: 'Old "quoted" title\twith a tab',
        newValue: { title: "New title ✓" },
        changedBy: userId,
      });
      const [field] = await db
        .insert(customFieldDefinitions)
        .values({ orgId, entityType: "deal", key: "tier", label: "Tier", type: "select", options: ["gold", "silver"] })
        .returning();
      await db.insert(customFieldValues).values({ orgId, fieldId: field!.id, entityId: deal!.id, textValue: "gold" });
      await db
        .insert(savedViews)
        .values({ orgId, userId, entityType: "contact", name: "Customers", filters: { lifecycleStage: "customer" } });
      await db.insert(importJobs).values({
        orgId,
        userId,
        entityType: "contact",
        status: "completed",
        errors: [{ row: 2, message: "email: Enter a valid email address.", values: ["x", "y"] }],
      });
      const inAWeek = new Date(Date.now() + 7 * 86_400_000);
      await db.insert(invites).values({ orgId, tokenHash: "a".repeat(64), role: "member", expiresAt: inAWeek });
      await db.insert(passwordResets).values({ userId, tokenHash: "b".repeat(64), expiresAt: inAWeek });
      await db.insert(apiTokens).values({ orgId, userId, name: "ci", tokenHash: "c".repeat(64), prefix: "nexo_pat_c" });
      await db
        .insert(auditLog)
        .values({ orgId, actorId: userId, event: "token.created", details: { activity: activity!.id } });
    } finally {
      await handle.close();
    }
    const before = await fingerprint(databaseUrl);
    const empty = Object.entries(before)
      .filter(([, t]) => t.rows === 0)
      .map(([table]) => table);
    // Every table of the schema as this test knows it holds rows, so the comparison proves something.
    for (const table of [
      "public.organizations",
      "public.users",
      "public.memberships",
      "public.contacts",
      "public.companies",
      "public.pipelines",
      "public.pipeline_stages",
      "public.deals",
      "public.deal_contacts",
      "public.deal_stage_moves",
      "public.activities",
      "public.record_history",
      "public.tags",
      "public.taggings",
      "public.custom_field_definitions",
      "public.custom_field_values",
      "public.saved_views",
      "public.import_jobs",
      "public.invites",
      "public.password_resets",
      "public.api_tokens",
      "public.audit_log",
      "drizzle.__drizzle_migrations",
    ]) {
      expect(before[table]?.rows ?? 0, table).toBeGreaterThan(0);
    }
    expect(empty.filter((t) => t.startsWith("drizzle."))).toEqual([]);

    const env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NEXO_DATABASE_URL: databaseUrl,
      NEXO_BACKUP_DIR: dir,
    };
    const backup = run([nexo, "backup"], { env });
    expect(backup.status, backup.stderr).toBe(0);
    const file = backup.stdout.trim().split("\n").at(-1)!;
    expect(file).toMatch(new RegExp(`^${dir}/nexo-\\d{8}-\\d{6}\\.dump$`));

    // The disaster: the database is gone; an empty one of the same name is all there is.
    await admin.unsafe(`drop database "${name}" with (force)`);
    await admin.unsafe(`create database "${name}"`);
    expect(Object.keys(await fingerprint(databaseUrl))).toEqual([]);

    const restore = run([nexo, "restore", file, "--yes"], { env });
    expect(restore.status, restore.stderr).toBe(0);
    expect(await fingerprint(databaseUrl)).toEqual(before);
    // The restore gathered the planner's column statistics: restored tables would have none.
    const check = postgres(databaseUrl, { max: 1, onnotice: () => {} });
    const analysed = await check<{ tablename: string }[]>`
      select distinct tablename from pg_stats
      where schemaname = 'public' and tablename in ('contacts', 'companies', 'deals', 'taggings')`;
    // Gathered by the restore itself, not carried by the dump: a manual ANALYZE ran on each table.
    const [notAnalysed] = await check<{ n: number }[]>`
      select count(*)::int as n from pg_stat_user_tables where schemaname = 'public' and last_analyze is null`;
    await check.end();
    expect(analysed.map((t) => t.tablename).sort()).toEqual(["companies", "contacts", "deals", "taggings"]);
    expect(notAnalysed?.n).toBe(0);

    // Restoring over a database that has changed since puts it back as the backup has it, what a
    // newer migration would have added included: a table with a foreign key onto a restored table
    // (which would block dropping that one), a type, a view and a sequence.
    const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
    await sql`delete from taggings where entity_id in (select entity_id from taggings limit 10)`;
    await sql`update deals set title = 'changed after the backup'`;
    await sql`create type stray_kind as enum ('a', 'b')`;
    await sql`create table stray (id int, kind stray_kind, org_id uuid references organizations(id))`;
    await sql`create view stray_view as select id from stray`;
    await sql`create sequence stray_seq`;
    await sql`insert into drizzle.__drizzle_migrations (hash, created_at) values ('newer', 0)`;
    await sql.end();
    const again = run([nexo, "restore", file, "--yes"], { env });
    expect(again.status, again.stderr).toBe(0);
    expect(await fingerprint(databaseUrl)).toEqual(before);
    const leftovers = postgres(databaseUrl, { max: 1, onnotice: () => {} });
    const strays =
      await leftovers`select relname from pg_class where relname like 'stray%' union all select typname from pg_type where typname = 'stray_kind'`;
    await leftovers.end();
    expect(strays).toEqual([]);

    // A backup cut short fails the restore and leaves the database as it was, changes and all.
    const cut = join(dir, "cut-short.dump");
    writeFileSync(cut, readFileSync(file).subarray(0, Math.floor(statSync(file).size / 2)));
    const changed = postgres(databaseUrl, { max: 1, onnotice: () => {} });
    await changed`update deals set title = 'changed after the backup'`;
    const changedPrint = await fingerprint(databaseUrl);
    const failed = run([nexo, "restore", cut, "--yes"], { env });
    expect(failed.status).not.toBe(0);
    expect(failed.stderr).toMatch(/the database is unchanged/);
    expect(await fingerprint(databaseUrl)).toEqual(changedPrint);
    await changed.end();
  });

  it("keeps the newest NEXO_BACKUP_KEEP backups in a folder with spaces, and refuses to keep none", async () => {
    const spaced = join(dir, "my backups");
    mkdirSync(spaced);
    const bystander = join(dir, "my");
    writeFileSync(bystander, "not a backup");
    const names = ["nexo-20250101-000000.dump", "nexo-20250102-000000.dump", "nexo-20250103-000000.dump"];
    for (const name of names) writeFileSync(join(spaced, name), "old");
    const env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NEXO_DATABASE_URL: databaseUrl,
      NEXO_BACKUP_DIR: spaced,
      NEXO_BACKUP_KEEP: "2",
    };
    const backup = run([nexo, "backup"], { env });
    expect(backup.status, backup.stderr).toBe(0);
    expect(backup.stderr).toMatch(/removing 2 backup\(s\) beyond the newest 2/);
    const kept = readdirSync(spaced).sort();
    expect(kept).toEqual([names[2], backup.stdout.trim().split("\n").at(-1)!.split("/").at(-1)].sort());
    expect(readFileSync(bystander, "utf8")).toBe("not a backup");

    const none = run([nexo, "backup"], { env: { ...env, NEXO_BACKUP_KEEP: "0" } });
    expect(none.status).not.toBe(0);
    expect(none.stderr).toMatch(/NEXO_BACKUP_KEEP must be a whole number of at least 1/);
    expect(readdirSync(spaced)).toHaveLength(2);
  });
});

describe.runIf(server && pgTools)("scripts/nexo restore by a database owner that is not a superuser", () => {
  const name = `nexo_test_owner_${Date.now()}_${process.pid}`;
  const role = `nexo_test_owner_${process.pid}`;
  const adminUrl = new URL(server ?? "postgres://localhost/postgres");
  adminUrl.pathname = `/${name}`;
  const ownerUrl = new URL(adminUrl);
  ownerUrl.username = role;
  const dir = mkdtempSync(join(tmpdir(), "nexo-backup-owner-"));
  let admin: postgres.Sql;

  beforeAll(async () => {
    admin = postgres(server as string, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create role "${role}" login`);
    await admin.unsafe(`create database "${name}" owner "${role}"`);
    // The extensions the migrations need, made by an administrator, as where an owner may not.
    const su = postgres(adminUrl.toString(), { max: 1, onnotice: () => {} });
    await su.unsafe("create extension pg_trgm schema public; create extension unaccent schema public");
    await su.end();
  });
  afterAll(async () => {
    await admin?.unsafe(`drop database if exists "${name}" with (force)`);
    await admin?.unsafe(`drop role if exists "${role}"`);
    await admin?.end();
    rmSync(dir, { recursive: true, force: true });
  });

  it("backs up and restores its database, extensions it does not own included", async () => {
    const handle = await createDb({ kind: "postgres", url: ownerUrl.toString(), poolSize: 2 });
    try {
      await handle.migrate();
    } finally {
      await handle.close();
    }
    await seedDatabase(ownerUrl.toString(), { contacts: 50 });
    const before = await fingerprint(ownerUrl.toString());
    const env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NEXO_DATABASE_URL: ownerUrl.toString(),
      NEXO_BACKUP_DIR: dir,
    };
    const backup = run([nexo, "backup"], { env });
    expect(backup.status, backup.stderr).toBe(0);
    const file = backup.stdout.trim().split("\n").at(-1)!;
    const sql = postgres(ownerUrl.toString(), { max: 1, onnotice: () => {} });
    await sql`update contacts set first_name = 'changed after the backup'`;
    await sql.end();
    const restore = run([nexo, "restore", file, "--yes"], { env });
    expect(restore.status, restore.stderr).toBe(0);
    expect(await fingerprint(ownerUrl.toString())).toEqual(before);
  });
});
