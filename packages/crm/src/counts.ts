import { type Db, PgDialect, queryRows, type SQL, sql } from "@nexo/db";

/** Above this many matches a list shows the planner's estimate instead of counting every row. */
export const EXACT_COUNT_LIMIT = 1_000;

/** How long an estimate is reused for the same query (same SQL and parameters, org included). */
export const ESTIMATE_TTL_MS = 30_000;
const MAX_ESTIMATES = 1_000;

export interface ListCount {
  value: number;
  /** False when `value` is the planner's estimate (large result sets). */
  exact: boolean;
}

const dialect = new PgDialect();
/** Per database: estimates by query text and parameters, oldest first. */
const estimates = new WeakMap<Db, Map<string, { value: number; until: number }>>();

/**
 * Counts the rows `query` (a select of the matching rows) would return: exactly while there are
 * at most EXACT_COUNT_LIMIT (a capped scan), else the query planner's estimate, marked as such.
 *
 * An estimate is kept for ESTIMATE_TTL_MS and reused for the same query: it is approximate anyway,
 * and paging through or re-opening a large list then costs no count at all. Exact counts are never
 * reused, so a small list's count is right after every change.
 */
export async function countRows(db: Db, query: SQL): Promise<ListCount> {
  const compiled = dialect.sqlToQuery(query);
  const key = `${compiled.sql}\u0000${JSON.stringify(compiled.params)}`;
  let cache = estimates.get(db);
  const cached = cache?.get(key);
  const now = Date.now();
  if (cached && cached.until > now) return { value: cached.value, exact: false };
  if (cached) cache?.delete(key);

  const [capped] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from (${query} limit ${EXACT_COUNT_LIMIT + 1}) as capped`,
  );
  const n = capped?.n ?? 0;
  if (n <= EXACT_COUNT_LIMIT) return { value: n, exact: true };
  const [plan] = await queryRows<{ "QUERY PLAN": unknown }>(db, sql`explain (format json) ${query}`);
  const raw = plan?.["QUERY PLAN"];
  const parsed = (typeof raw === "string" ? JSON.parse(raw) : raw) as { Plan?: { "Plan Rows"?: number } }[];
  const estimate = parsed[0]?.Plan?.["Plan Rows"] ?? n;
  const value = Math.max(Math.round(estimate), n);

  if (!cache) {
    cache = new Map();
    estimates.set(db, cache);
  }
  if (cache.size >= MAX_ESTIMATES) {
    const oldest = cache.keys().next();
    if (!oldest.done) cache.delete(oldest.value);
  }
  cache.set(key, { value, until: now + ESTIMATE_TTL_MS });
  return { value, exact: false };
}
