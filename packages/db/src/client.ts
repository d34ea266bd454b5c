import { existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { fillPlaceholders, type SQL, sql } from "drizzle-orm";
import { type PgDatabase, PgDialect, type PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import * as schema from "./schema";

export type Schema = typeof schema;
/** The driver-independent database handle every package works with. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export type DbOptions =
  | {
      kind: "postgres";
      url: string;
      poolSize?: number;
      /** Postgres cancels a statement running longer than this (SQLSTATE 57014). */
      statementTimeoutMs?: number;
    }
  /**
   * `dataDir` undefined means in memory (tests); `snapshot` starts from a dump of another embedded
   * database (`DbHandle.snapshot`), e.g. an already migrated one.
   */
  | { kind: "pglite"; dataDir?: string; snapshot?: Blob };

export interface DbHandle {
  db: Db;
  kind: DbOptions["kind"];
  /** Applies pending migrations; idempotent and safe when several gateways start at once. */
  migrate(): Promise<void>;
  /** Cheap liveness probe used by /readyz. */
  ping(): Promise<void>;
  close(): Promise<void>;
  /** The embedded database's files as a gzipped tarball (PGlite only). */
  snapshot?(): Promise<Blob>;
}

const here = dirname(fileURLToPath(import.meta.url));
/** Next to the module when bundled (the gateway build copies it there), else the package's own folder. */
export const migrationsFolder = existsSync(join(here, "drizzle")) ? join(here, "drizzle") : join(here, "..", "drizzle");

// Any constant works; it only has to be the same for every gateway of one database.
const MIGRATION_LOCK_KEY = 7_302_114_511;

/**
 * Runs raw SQL and returns its rows whatever the driver: postgres.js yields an array, PGlite an
 * object with `rows`.
 */
export async function queryRows<T extends Record<string, unknown>>(db: Db, query: SQL): Promise<T[]> {
  const result: unknown = await db.execute(query);
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

const dialect = new PgDialect();

interface PostgresClient {
  unsafe(
    text: string,
    params: unknown[],
    options: { prepare: boolean },
  ): Promise<unknown> & { values(): Promise<unknown[][]> };
}

/** The postgres.js client behind `db`, when it is one and not inside a transaction. */
function postgresClient(db: Db): PostgresClient | null {
  const client = (db as { $client?: Partial<PostgresClient> }).$client;
  return typeof client?.unsafe === "function" ? (client as PostgresClient) : null;
}

/**
 * Runs a compiled Drizzle query (`compiled()`: its `toSQL()`, built with placeholders) as a named prepared
 * statement with `values` in the placeholders' places, and returns its rows as arrays of what the
 * driver read, for a caller that decodes them itself. Null where `db` is not a postgres.js client
 * (PGlite, a transaction): the caller then runs the query through Drizzle.
 */
export async function preparedValues(
  db: Db,
  compiled: () => { sql: string; params: unknown[] },
  values: Record<string, unknown>,
): Promise<unknown[][] | null> {
  const client = postgresClient(db);
  if (!client) return null;
  const { sql: text, params } = compiled();
  return client.unsafe(text, fillPlaceholders(params, values), { prepare: true }).values();
}

/**
 * A statement whose text does not change between calls, only its values: `build` makes it from
 * values by name. On Postgres it is built and compiled to SQL text once, with a marker for each
 * value, and then run as a named prepared statement with the values in the markers' places: a large
 * statement (search) spent a third of its gateway time being compiled anew on every call, and each
 * connection now parses and plans it once (a generic plan once that costs no more than planning
 * anew; so only for statements whose plan does not depend on their values).
 * Elsewhere (PGlite, a transaction) it is built with the values and run like `queryRows`.
 *
 * The markers hold a NUL character, which Postgres text never does, so none can be mistaken for a
 * value; each must reach the statement as a parameter of its own, not spliced into another one.
 */
export function preparedStatement<K extends string, T extends Record<string, unknown>>(
  names: readonly K[],
  build: (values: Readonly<Record<K, string>>) => SQL,
): (db: Db, values: Readonly<Record<K, string>>) => Promise<T[]> {
  let compiled: { text: string; params: unknown[]; slots: (K | null)[] } | undefined;
  const compile = () => {
    const markers = Object.fromEntries(names.map((name) => [name, `\u0000${name}\u0000`])) as Record<K, string>;
    const { sql: text, params } = dialect.sqlToQuery(build(markers));
    const slots = params.map((param) => names.find((name) => markers[name] === param) ?? null);
    // A value read under a name not in `names` would be sent as NULL.
    const stray = params.some(
      (param, i) => param === undefined || (slots[i] === null && typeof param === "string" && param.includes("\u0000")),
    );
    if (stray || text.includes("\u0000"))
      throw new Error("preparedStatement: every value must be a parameter of its own");
    return { text, params, slots };
  };
  return async (db, values) => {
    const client = postgresClient(db);
    if (!client) return queryRows<T>(db, build(values));
    compiled ??= compile();
    const { text, params, slots } = compiled;
    const filled = params.map((param, i) => {
      const slot = slots[i];
      return slot ? values[slot] : param;
    });
    return (await client.unsafe(text, filled, { prepare: true })) as T[];
  };
}

export async function createDb(options: DbOptions): Promise<DbHandle> {
  return options.kind === "postgres" ? createPostgres(options) : createPglite(options.dataDir, options.snapshot);
}

function createPostgres({
  url,
  poolSize = 10,
  statementTimeoutMs = 15_000,
}: Extract<DbOptions, { kind: "postgres" }>): DbHandle {
  const client = postgres(url, {
    max: poolSize,
    idle_timeout: 30,
    connect_timeout: 10,
    // postgres.js waits up to 20 s between reconnects by default: during an outage requests would
    // queue that long, and after it the pool would come back that late. Retry within half a second.
    backoff: (attempt) => Math.min(0.05 * attempt, 0.5),
    onnotice: () => {},
    connection: {
      application_name: "nexo-gateway",
      statement_timeout: statementTimeoutMs,
      // A transaction left open by a failed request must not hold locks for long.
      idle_in_transaction_session_timeout: Math.max(statementTimeoutMs, 10_000),
    },
  });
  return {
    db: drizzlePostgres({ client, schema }),
    kind: "postgres",
    async migrate() {
      // A session-level advisory lock needs one connection for lock, migrate and unlock.
      const single = postgres(url, { max: 1, onnotice: () => {} });
      try {
        await single`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
        try {
          await migratePostgres(drizzlePostgres({ client: single }), { migrationsFolder });
        } finally {
          await single`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
        }
      } finally {
        await single.end({ timeout: 5 });
      }
    },
    async ping() {
      await client`select 1`;
    },
    close: () => client.end({ timeout: 5 }),
  };
}

async function createPglite(dataDir: string | undefined, snapshot: Blob | undefined): Promise<DbHandle> {
  // Loaded only when used: a production deployment on Postgres needs no embedded database.
  const [{ PGlite }, { pg_trgm }, { unaccent }, { drizzle: drizzlePglite }, { migrate: migratePglite }] =
    await Promise.all([
      import("@electric-sql/pglite"),
      import("@electric-sql/pglite/contrib/pg_trgm"),
      import("@electric-sql/pglite/contrib/unaccent"),
      import("drizzle-orm/pglite"),
      import("drizzle-orm/pglite/migrator"),
    ]);
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  // PGlite drops its options when the first argument is undefined, so pass one options object.
  const client = new PGlite({
    dataDir,
    extensions: { pg_trgm, unaccent },
    ...(snapshot ? { loadDataDir: snapshot } : {}),
  });
  const db = drizzlePglite({ client, schema });
  return {
    db,
    kind: "pglite",
    // PGlite is single-process: its one client is the only writer, so no lock is needed.
    migrate: () => migratePglite(db, { migrationsFolder }),
    async ping() {
      await db.execute(sql`select 1`);
    },
    close: () => client.close(),
    snapshot: () => client.dumpDataDir("gzip"),
  };
}
