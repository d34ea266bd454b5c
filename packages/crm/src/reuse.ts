import {
  and,
  Column,
  type Db,
  type EntityType,
  eq,
  is,
  isNull,
  type Placeholder,
  preparedValues,
  SQL,
  sql,
} from "@nexo/db";
import { mapOf, setBounded } from "./bounded";
import { PREPARED } from "./lists";
import { recordTables, type Viewer, visibleTables } from "./visibility";

/** A value of a statement, or the placeholder standing for it in a statement built once. */
export type Bound<T> = T | Placeholder;

/** The values of a statement; `undefined` ones are left out of it. */
export type StatementValues = Record<string, string | number | Date | undefined>;

/**
 * A statement's row limit written into its text, not sent as a parameter; a statement built once
 * must then name the limit in its shape. With `limit $n` Postgres cannot tell how many rows a
 * prepared statement's generic plan reads, costs it as if a tenth of the table, and so plans every
 * call anew: half of a list page's time in Postgres. With the number in the text, the generic plan
 * costs what a custom one does and is kept. (Drizzle writes SQL given to `limit()` as it is; its
 * types only name numbers and placeholders.)
 */
export function literalLimit(rows: number): number {
  if (!Number.isSafeInteger(rows) || rows < 0) throw new RangeError(`Invalid row limit: ${rows}`);
  return sql.raw(String(rows)) as unknown as number;
}

/** The values of a statement, or placeholders standing for them. */
export type BoundValues<T> = { [K in keyof T]: Bound<T[K]> };

/** Each value of `values` replaced by a placeholder of the same name. */
export function placeholders<T extends StatementValues>(values: T): BoundValues<T> {
  return Object.fromEntries(
    Object.entries(values).map(([name, value]) => [name, value === undefined ? undefined : sql.placeholder(name)]),
  ) as BoundValues<T>;
}

/** The values a statement built with `placeholders(values)` runs with. */
function filled(values: StatementValues): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined));
}

/** At most this many built statements are kept per database; the least recently used go. */
export const MAX_KEPT_STATEMENTS = 200;

type Runnable<T> = { execute(values?: Record<string, unknown>): Promise<T> };
type Buildable<T> = { prepare(name: string): Runnable<T>; toSQL(): { sql: string; params: unknown[] } };

const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const keptStatements = new WeakMap<Db, Map<string, unknown>>();

/** What is kept for `key` on `db`, made the first time it is asked for; the least recently used go. */
function kept<T>(db: Db, key: string, make: () => T): T {
  const byKey = mapOf(keptStatements, db);
  const statement = (byKey.get(key) as T | undefined) ?? make();
  setBounded(byKey, key, statement, MAX_KEPT_STATEMENTS);
  return statement;
}

/**
 * `build()`, refused when an id of this call (organization, user, filter) is among the statement's
 * own parameters: it was built in instead of a placeholder, and would serve every caller.
 */
function checkedBuild<Q extends { toSQL(): { params: unknown[] } }>(
  shape: string,
  values: StatementValues,
  build: () => Q,
): Q {
  const query = build();
  const ids = new Set(Object.values(values).filter((v): v is string => typeof v === "string" && ID.test(v)));
  if (query.toSQL().params.some((param) => typeof param === "string" && ids.has(param))) {
    throw new Error(`reusedStatement(${shape}): a value is built into the statement instead of a placeholder`);
  }
  return query;
}

/** The key a statement is kept under: its shape and the names of the values it was built with. */
const shapeKey = (shape: string, values: StatementValues) => `${shape}|${Object.keys(filled(values)).join(",")}`;

/**
 * Runs a hot statement (a list page, a record by id) with `values`, building it only once per shape:
 * `build` must use `placeholders(values)` for every value, and whatever else decides the statement's
 * text (the role, the sort, which filters and which cursor, a `literalLimit`) must be named in
 * `shape`; the names of the values given are added to it. Building a list page's statement (its SQL
 * text, its parameters, Drizzle's result mapping) was about a fifth of a list call's server time. The statement is
 * prepared on Postgres, as `pageRows` does. Kept per database handle (a transaction is one of its
 * own, and takes its statements with it).
 */
export async function reusedStatement<T>(
  db: Db,
  shape: string,
  values: StatementValues,
  build: () => Buildable<T>,
): Promise<T> {
  const statement = kept(db, shapeKey(shape, values), () => checkedBuild(shape, values, build).prepare(PREPARED));
  return statement.execute(filled(values));
}

/**
 * `reusedStatement` for a statement of many rows whose columns the caller knows: on Postgres its SQL
 * is compiled once per shape and its rows come back as arrays, which `decode` turns into results
 * with every column's decoder chosen once. Drizzle's own row mapping asks each column of each row
 * what kind of field it is (most of a board's 150 cards' mapping time). Elsewhere (PGlite, a
 * transaction) it runs as `reusedStatement`: `decode` must give rows of the shape Drizzle would.
 */
export async function reusedRows<R>(
  db: Db,
  shape: string,
  values: StatementValues,
  build: () => Buildable<R[]>,
  decode: (row: unknown[]) => NoInfer<R>,
): Promise<R[]> {
  const compiled = () => kept(db, `${shapeKey(shape, values)}|rows`, () => checkedBuild(shape, values, build).toSQL());
  const rows = await preparedValues(db, compiled, filled(values));
  return rows ? rows.map(decode) : reusedStatement(db, shape, values, build);
}

type Selected = Column | SQL | SQL.Aliased;
type Decoder = { mapFromDriverValue(value: unknown): unknown };

/**
 * The decoder of a flat selection (a column, or SQL, per key) for `reusedRows`: a row of the
 * driver's values in the selection's order becomes the object Drizzle would give for it (`R`, the
 * statement's row type where `reusedRows` is given the decoder), each value passed through its
 * column's decoder (or the one `mapWith` gave the SQL) and null left as null, as Drizzle does.
 * With `from`, the selection's columns start at that index of the row (the ones before are the
 * caller's).
 */
export function selectionDecoder(selection: Record<string, Selected>, from = 0): <R>(row: unknown[]) => R {
  const keys = Object.keys(selection);
  const decoders = keys.map((key) => {
    const field = selection[key] as Selected;
    if (is(field, Column)) return field;
    // Set by `mapWith`; not in Drizzle's declared types.
    return ((is(field, SQL) ? field : field.sql) as unknown as { decoder: Decoder }).decoder;
  });
  return <R>(row: unknown[]) => {
    // A statement that selects other columns than the decoder's would be decoded wrongly.
    if (row.length !== from + keys.length) {
      throw new Error(`selectionDecoder: ${row.length} columns, expected ${from + keys.length}`);
    }
    const out: Record<string, unknown> = {};
    for (let i = 0; i < keys.length; i++) {
      const value = row[from + i];
      out[keys[i] as string] = value === null ? null : (decoders[i] as Decoder).mapFromDriverValue(value);
    }
    return out as R;
  };
}

/**
 * A record by id (`contacts|companies|deals.get`) in one statement built once per role: `select` gets
 * the condition (visible to the caller, this id, not in the trash) and returns the query.
 */
export function recordById<T>(
  ctx: Viewer & { db: Db },
  entityType: EntityType,
  id: string,
  select: (where: SQL) => Buildable<T>,
): Promise<T> {
  const values = { orgId: ctx.orgId, userId: ctx.userId, id };
  return reusedStatement(ctx.db, `${entityType}.get|${ctx.role}`, values, () => {
    const v = placeholders(values);
    const table = recordTables[entityType];
    const visible = visibleTables[entityType]({ orgId: v.orgId, userId: v.userId, role: ctx.role });
    return select(and(visible, eq(table.id, v.id), isNull(table.deletedAt)) as SQL);
  });
}
