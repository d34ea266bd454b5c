import { type Db, queryRows, type SQL, sql } from "@nexo/db";

/** Above this many matches a list shows the planner's estimate instead of counting every row. */
export const EXACT_COUNT_LIMIT = 1_000;

export interface ListCount {
  value: number;
  /** False when `value` is the planner's estimate (large result sets). */
  exact: boolean;
}

/**
 * Counts the rows `query` (a select of the matching rows) would return: exactly while there are
 * at most EXACT_COUNT_LIMIT (a capped scan), else the query planner's estimate, marked as such.
 */
export async function countRows(db: Db, query: SQL): Promise<ListCount> {
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
  return { value: Math.max(Math.round(estimate), n), exact: false };
}
