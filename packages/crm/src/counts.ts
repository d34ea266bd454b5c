import { type Db, queryRows, type SQL, sql } from "@nexo/db";
import type { Viewer } from "./visibility";

/** Above this many matches a list shows the planner's estimate instead of counting every row. */
export const EXACT_COUNT_LIMIT = 1_000;

/** How long an estimate is reused for the same list (same viewer and filters). */
export const ESTIMATE_TTL_MS = 30_000;
const MAX_ESTIMATES = 1_000;

export interface ListCount {
  value: number;
  /** False when `value` is the planner's estimate (large result sets). */
  exact: boolean;
}

/** Per database: estimates by scope, oldest first. */
const estimates = new WeakMap<Db, Map<string, { value: number; until: number }>>();

/**
 * Counts the rows `build()` (a select of the matching rows) would return: exactly while there are
 * at most EXACT_COUNT_LIMIT (a capped scan), else the query planner's estimate, marked as such.
 *
 * An estimate is kept for ESTIMATE_TTL_MS and reused for the same `scope`: it is approximate anyway,
 * and paging through or re-opening a large list then costs no count at all (nor building its SQL).
 * `scope` must name everything the query is built from: the kind of record, the viewer
 * (organization, user, role) and the filters. Exact counts are never reused, so a small list's count
 * is right after every change.
 */
export async function countRows(db: Db, build: () => SQL, scope: readonly unknown[]): Promise<ListCount> {
  const key = JSON.stringify(scope);
  let cache = estimates.get(db);
  const cached = cache?.get(key);
  const now = Date.now();
  if (cached && cached.until > now) return { value: cached.value, exact: false };
  if (cached) cache?.delete(key);

  const query = build();
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

/** A list's count scope: the kind of record, who asks and what they filter on (not page, size or order). */
export function listCountScope(
  kind: "contacts" | "companies" | "deals",
  viewer: Viewer,
  input: { cursor?: unknown; limit?: unknown; sort?: unknown },
): unknown[] {
  const { cursor: _cursor, limit: _limit, sort: _sort, ...filters } = input;
  return [kind, viewer.orgId, viewer.userId, viewer.role, filters];
}
