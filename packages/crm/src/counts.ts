import { type Db, preparedStatement, queryRows, type SQL, sql } from "@nexo/db";
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

/** Per database: recounts under way of expired estimates, by scope. */
const recounts = new WeakMap<Db, Map<string, Promise<ListCount>>>();

/** Per database: exact counts by scope with the snapshot they were taken in, oldest first. */
const exactCounts = new WeakMap<Db, Map<string, { value: number; snapshot: string }>>();
const MAX_EXACT_COUNTS = 1_000;

/**
 * Postgres's snapshot now (`xmin:xmax:in-progress ids`). Two equal snapshots see the same rows: no
 * transaction that writes has begun or ended between them, in any database of the server.
 */
const currentSnapshot = preparedStatement<never, { snapshot: string }>(
  [],
  () => sql`select pg_current_snapshot()::text as snapshot`,
);

/**
 * Counts the rows `build()` (a select of the matching rows) would return: exactly while there are
 * at most EXACT_COUNT_LIMIT (a capped scan), else the query planner's estimate, marked as such.
 *
 * An estimate is kept for ESTIMATE_TTL_MS and reused for the same `scope`: it is approximate anyway,
 * and paging through or re-opening a large list then costs no count at all (nor building its SQL).
 * When it has expired, the requests that find it so share one recount instead of each running
 * their own (at once, a busy list would otherwise send Postgres a count and a plan per request).
 * `scope` must name everything the query is built from: the kind of record, the viewer
 * (organization, user, role) and the filters.
 *
 * An exact count is reused only while Postgres's snapshot is the one it was counted in: then no
 * transaction that writes has begun or ended since, anywhere on the server, so it is still exact.
 * Any change at all, even one elsewhere, makes the next call count again. Checking costs one trivial
 * statement instead of a count that can take a while (a selective filter over a large list: the
 * lifecycle and tag pair on 100k contacts merges 25,000 index entries to find 953 rows).
 */
export async function countRows(db: Db, build: () => SQL, scope: readonly unknown[]): Promise<ListCount> {
  const key = JSON.stringify(scope);
  const cached = estimates.get(db)?.get(key);
  if (cached && cached.until > Date.now()) return { value: cached.value, exact: false };
  const exact = exactCounts.get(db)?.get(key);
  if (exact) {
    const [now] = await currentSnapshot(db, {});
    if (now?.snapshot === exact.snapshot) return { value: exact.value, exact: true };
  }
  if (!cached) return count(db, build, key);
  let pending = recounts.get(db);
  if (!pending) {
    pending = new Map();
    recounts.set(db, pending);
  }
  const shared = pending.get(key);
  if (shared) return shared;
  const recount = count(db, build, key).finally(() => pending.delete(key));
  pending.set(key, recount);
  return recount;
}

async function count(db: Db, build: () => SQL, key: string): Promise<ListCount> {
  let cache = estimates.get(db);
  const query = build();
  // The snapshot the count was taken in: the statement's own, so it names exactly the rows counted.
  const [capped] = await queryRows<{ n: number; snapshot: string }>(
    db,
    sql`select count(*)::int as n, pg_current_snapshot()::text as snapshot
        from (${query} limit ${EXACT_COUNT_LIMIT + 1}) as capped`,
  );
  const n = capped?.n ?? 0;
  const exact = exactCounts.get(db) ?? new Map<string, { value: number; snapshot: string }>();
  exactCounts.set(db, exact);
  exact.delete(key);
  if (n <= EXACT_COUNT_LIMIT) {
    cache?.delete(key);
    if (capped) {
      if (exact.size >= MAX_EXACT_COUNTS) {
        const oldest = exact.keys().next();
        if (!oldest.done) exact.delete(oldest.value);
      }
      exact.set(key, { value: n, snapshot: capped.snapshot });
    }
    return { value: n, exact: true };
  }
  const [plan] = await queryRows<{ "QUERY PLAN": unknown }>(db, sql`explain (format json) ${query}`);
  const raw = plan?.["QUERY PLAN"];
  const parsed = (typeof raw === "string" ? JSON.parse(raw) : raw) as { Plan?: { "Plan Rows"?: number } }[];
  const estimate = parsed[0]?.Plan?.["Plan Rows"] ?? n;
  const value = Math.max(Math.round(estimate), n);

  if (!cache) {
    cache = new Map();
    estimates.set(db, cache);
  }
  cache.delete(key);
  if (cache.size >= MAX_ESTIMATES) {
    const oldest = cache.keys().next();
    if (!oldest.done) cache.delete(oldest.value);
  }
  cache.set(key, { value, until: Date.now() + ESTIMATE_TTL_MS });
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
