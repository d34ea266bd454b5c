import { and, type Db, type EntityType, eq, isNull, type Placeholder, type SQL, sql } from "@nexo/db";
import { PREPARED } from "./lists";
import { recordTables, type Viewer, visibleTables } from "./visibility";

/** A value of a statement, or the placeholder standing for it in a statement built once. */
export type Bound<T> = T | Placeholder;

/** The values of a statement; `undefined` ones are left out of it. */
export type StatementValues = Record<string, string | number | Date | undefined>;

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
type Buildable<T> = { prepare(name: string): Runnable<T>; toSQL(): { params: unknown[] } };

const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const keptStatements = new WeakMap<Db, Map<string, Runnable<unknown>>>();

/**
 * Runs a hot statement (a list page, a record by id) with `values`, building it only once per shape:
 * `build` must use `placeholders(values)` for every value, and whatever else decides the statement's
 * text (the role, the sort, which filters and which cursor) must be named in `shape`; the names of
 * the values given are added to it. Building a list page's statement (its SQL text, its parameters,
 * Drizzle's result mapping) was about a fifth of a list call's server time. The statement is
 * prepared on Postgres, as `pageRows` does. Kept per database handle (a transaction is one of its
 * own, and takes its statements with it).
 */
export async function reusedStatement<T>(
  db: Db,
  shape: string,
  values: StatementValues,
  build: () => Buildable<T>,
): Promise<T> {
  let kept = keptStatements.get(db);
  if (!kept) {
    kept = new Map();
    keptStatements.set(db, kept);
  }
  const key = `${shape}|${Object.keys(filled(values)).join(",")}`;
  let statement = kept.get(key) as Runnable<T> | undefined;
  if (statement) {
    // Most recently used last.
    kept.delete(key);
  } else {
    const query = build();
    // A safeguard for the builders: an id of this call (organization, user, filter) found among the
    // statement's own parameters was built in instead of a placeholder, and would serve every caller.
    const ids = new Set(Object.values(values).filter((v): v is string => typeof v === "string" && ID.test(v)));
    if (query.toSQL().params.some((param) => typeof param === "string" && ids.has(param))) {
      throw new Error(`reusedStatement(${shape}): a value is built into the statement instead of a placeholder`);
    }
    statement = query.prepare(PREPARED);
    if (kept.size >= MAX_KEPT_STATEMENTS) {
      const oldest = kept.keys().next();
      if (!oldest.done) kept.delete(oldest.value);
    }
  }
  kept.set(key, statement);
  return statement.execute(filled(values));
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
