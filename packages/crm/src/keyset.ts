import { type AnyColumn, type SQL, sql } from "@nexo/db";
import { TRPCError } from "@nexo/trpc";
import { z } from "zod";
import { isoDateTime } from "./common.schemas";

/**
 * Opaque list cursors: the sort key values of the last row of a page, base64url-encoded JSON.
 * Clients hand them back unchanged; a malformed one is a BAD_REQUEST, never a server error.
 */
export function encodeCursor(values: readonly unknown[]): string {
  return Buffer.from(JSON.stringify(values.map((v) => (v instanceof Date ? v.toISOString() : v)))).toString(
    "base64url",
  );
}

const invalidCursor = () =>
  new TRPCError({ code: "BAD_REQUEST", message: "This list cursor is not valid; reload the list." });

export function decodeCursor<T extends z.ZodTuple>(cursor: string, shape: T): z.infer<T> {
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw invalidCursor();
  }
  const parsed = shape.safeParse(values);
  if (!parsed.success) throw invalidCursor();
  return parsed.data;
}

export const cursorId = z.uuid();
export const cursorTime = isoDateTime;

/** Splits `limit + 1` fetched rows into a page and the cursor for the next one. */
export function pageOf<T>(rows: T[], limit: number, keyOf: (row: T) => readonly unknown[]) {
  const hasMore = rows.length > limit;
  const items = hasMore ? rows.slice(0, limit) : rows;
  const last = items.at(-1);
  return { items, nextCursor: hasMore && last ? encodeCursor(keyOf(last)) : null };
}

/** `(a, b) > (x, y)` (or `<`): a row comparison an index on `(org_id, a, b)` serves directly. */
export function rowAfter(columns: readonly AnyColumn[], values: readonly unknown[], direction: "asc" | "desc"): SQL {
  const cols = sql.join(
    columns.map((c) => sql`${c}`),
    sql`, `,
  );
  const vals = sql.join(
    values.map((v, i) => sql`${v}::${sql.raw(columns[i]?.getSQLType() ?? "text")}`),
    sql`, `,
  );
  return direction === "asc" ? sql`(${cols}) > (${vals})` : sql`(${cols}) < (${vals})`;
}
