import { createHash } from "node:crypto";
import { readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { uuidv7 } from "uuidv7";
import { createDb, type DbHandle, migrationsFolder } from "./client";

/**
 * A migrated database of its own for one test file. With `DATABASE_URL` set, a fresh Postgres
 * database on that server (dropped by `close`); without it, an in-memory PGlite.
 */
export async function createTestDb(): Promise<DbHandle> {
  const base = process.env.DATABASE_URL;
  if (!base) return createMigratedPglite();
  const name = `nexo_test_${uuidv7().replaceAll("-", "")}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  const handle = await createDb({ kind: "postgres", url: url.toString(), poolSize: 4 });
  try {
    await handle.migrate();
  } catch (error) {
    await handle.close();
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end();
    throw error;
  }
  return {
    ...handle,
    async close() {
      await handle.close();
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end();
    },
  };
}

/** Identifies the migrations: a snapshot is reused only by tests of the very same schema. */
function migrationsDigest(): string {
  const hash = createHash("sha256");
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else hash.update(entry.name).update(readFileSync(path));
    }
  };
  walk(migrationsFolder);
  return hash.digest("hex").slice(0, 16);
}

/**
 * A migrated in-memory PGlite whatever `DATABASE_URL` says: a server of its own, for a test that
 * must not see other tests' transactions (they move a Postgres server's snapshot).
 *
 * Migrating an embedded database costs seconds of WASM work per test file; a migrated snapshot,
 * kept in the temp folder per schema version, brings every later file's database up in one load.
 */
export async function createMigratedPglite(): Promise<DbHandle> {
  const file = join(tmpdir(), `nexo-pglite-migrated-${migrationsDigest()}.tar.gz`);
  let snapshot: Blob | undefined;
  try {
    snapshot = new Blob([readFileSync(file)]);
  } catch {
    snapshot = undefined;
  }
  if (snapshot) {
    const handle = await createDb({ kind: "pglite", snapshot });
    // A no-op on a complete snapshot; it also repairs one from an older build of the same digest.
    await handle.migrate();
    return handle;
  }
  const handle = await createDb({ kind: "pglite" });
  await handle.migrate();
  const dump = await handle.snapshot?.();
  if (dump) {
    // Written whole, then renamed: parallel test files never read half a snapshot.
    const partial = `${file}.${process.pid}.${uuidv7()}`;
    writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
    renameSync(partial, file);
  }
  return handle;
}
