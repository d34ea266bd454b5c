import { type Db, preparedStatement, queryRows, type SQL, sql } from "@nexo/db";
import { mapOf, setBounded } from "./bounded";
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

/** Per database: exact counts by scope with the snapshot they were taken in, least recently used first. */
const exactCounts = new WeakMap<Db, Map<string, { value: number; snapshot: string }>>();
const MAX_EXACT_COUNTS = 1_000;

/**
 * What a statement sees, as text: Postgres's snapshot (`xmin:xmax:running transaction ids`) and when
 * the server started. Two equal values see the same rows: every transaction that has written and
 * then committed or rolled back moves the snapshot, in any database of the server, and a restarted
 * or other server (a restore, a failover) has another start time. Null where the snapshot does not
 * say that: inside a transaction that has written (its own changes do not show in it) and on a read
 * replica (whose snapshots do not list running transactions).
 */
const SNAPSHOT = sql`case when pg_current_xact_id_if_assigned() is null and not pg_is_in_recovery()
  then pg_current_snapshot()::text || ' ' || pg_postmaster_start_time()::text end`;

const currentSnapshot = preparedStatement<never, { snapshot: string | null }>(
  [],
  () => sql`select ${SNAPSHOT} as snapshot`,
);

/** The snapshot text now, for tests: null where a count is not reused. */
export async function countSnapshot(db: Db): Promise<string | null> {
  const [row] = await currentSnapshot(db, {});
  return row?.snapshot ?? null;
}

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
 * An exact count is reused only while Postgres's snapshot is the one it was counted in (SNAPSHOT):
 * then no transaction that wrote has committed or rolled back since, anywhere on the server, so it
 * is still exact. Any write at all, even in another organization or database, makes the next call
 * count again, so under a steady stream of writes nearly every call counts. Checking costs one
 * trivial statement instead of a count that can take a while (a selective filter over a large list:
 * the lifecycle and tag pair on 100k contacts merges 25,000 index entries to find 953 rows); when it
 * finds the snapshot moved, that statement comes on top of the count.
 */
export async function countRows(db: Db, build: () => SQL, scope: readonly unknown[]): Promise<ListCount> {
  const key = JSON.stringify(scope);
  const cached = estimates.get(db)?.get(key);
  if (cached && cached.until > Date.now()) return { value: cached.value, exact: false };
  const exactByScope = mapOf(exactCounts, db);
  const exact = exactByScope.get(key);
  if (exact && (await countSnapshot(db)) === exact.snapshot) {
    setBounded(exactByScope, key, exact, MAX_EXACT_COUNTS);
    return { value: exact.value, exact: true };
  }
  if (!cached) return count(db, build, key);
  const pending = mapOf(recounts, db);
  const shared = pending.get(key);
  if (shared) return shared;
  const recount = count(db, build, key).finally(() => pending.delete(key));
  pending.set(key, recount);
  return recount;
}

async function count(db: Db, build: () => SQL, key: string): Promise<ListCount> {
  const query = build();
  // The snapshot the count was taken in: the statement's own, so it names exactly the rows counted.
  const [capped] = await queryRows<{ n: number; snapshot: string | null }>(
    db,
    sql`select count(*)::int as n, ${SNAPSHOT} as snapshot from (${query} limit ${EXACT_COUNT_LIMIT + 1}) as capped`,
  );
  const n = capped?.n ?? 0;
  const exact = mapOf(exactCounts, db);
  const cache = mapOf(estimates, db);
  exact.delete(key);
  if (n <= EXACT_COUNT_LIMIT) {
    cache.delete(key);
    if (capped?.snapshot) setBounded(exact, key, { value: n, snapshot: capped.snapshot }, MAX_EXACT_COUNTS);
    return { value: n, exact: true };
  }
  const [plan] = await queryRows<{ "QUERY PLAN": unknown }>(db, sql`explain (format json) ${query}`);
  const raw = plan?.["QUERY PLAN"];
  const parsed = (typeof raw === "string" ? JSON.parse(raw) : raw) as { Plan?: { "Plan Rows"?: number } }[];
  const estimate = parsed[0]?.Plan?.["Plan Rows"] ?? n;
  const value = Math.max(Math.round(estimate), n);

  setBounded(cache, key, { value, until: Date.now() + ESTIMATE_TTL_MS }, MAX_ESTIMATES);
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
