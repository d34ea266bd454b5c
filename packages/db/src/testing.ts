import postgres from "postgres";
import { uuidv7 } from "uuidv7";
import { createDb, type DbHandle } from "./client";

/**
 * A migrated database of its own for one test file. With `DATABASE_URL` set, a fresh Postgres
 * database on that server (dropped by `close`); without it, an in-memory PGlite.
 */
export async function createTestDb(): Promise<DbHandle> {
  const base = process.env.DATABASE_URL;
  if (!base) {
    const handle = await createDb({ kind: "pglite" });
    await handle.migrate();
    return handle;
  }
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
