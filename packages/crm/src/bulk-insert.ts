import {
  type companies,
  type contacts,
  type customFieldValues,
  type deals,
  getTableColumns,
  type recordHistory,
  sql,
  type taggings,
} from "@nexo/db";
import type { DbOrTx } from "./history";

/**
 * Inserts many rows with one parameter per column (`insert … select * from unnest($1::t[], …)`)
 * instead of one per value: building a thousand-row insert value by value is most of an import's
 * CPU time. Same rules as Drizzle's insert: an id without a value gets its `$defaultFn` here (so
 * ids keep the file's order), a column no row gives gets its database default. Rows that give
 * different sets of columns go in as one statement per set. Returns the ids, in the rows' order.
 */
export async function insertMany(
  db: DbOrTx,
  table: typeof contacts | typeof companies | typeof deals | typeof recordHistory,
  rows: Record<string, unknown>[],
): Promise<{ id: string }[]> {
  const withIds = await insertUnnest(db, table, rows);
  return withIds.map((row) => ({ id: row.id as string }));
}

/** The same for tables without an id of their own (links and values). */
export async function insertRows(
  db: DbOrTx,
  table: typeof taggings | typeof customFieldValues,
  rows: Record<string, unknown>[],
): Promise<void> {
  await insertUnnest(db, table, rows);
}

async function insertUnnest(
  db: DbOrTx,
  table:
    | typeof contacts
    | typeof companies
    | typeof deals
    | typeof recordHistory
    | typeof taggings
    | typeof customFieldValues,
  rows: Record<string, unknown>[],
): Promise<Record<string, unknown>[]> {
  const columns = Object.entries(getTableColumns(table)).filter(([, column]) => !column.generated);
  const withIds = rows.map((row) => {
    const complete: Record<string, unknown> = { ...row };
    for (const [key, column] of columns) {
      if (complete[key] !== undefined) continue;
      if (column.defaultFn) complete[key] = column.defaultFn();
      else if (!column.hasDefault && column.onUpdateFn) complete[key] = column.onUpdateFn();
    }
    return complete;
  });
  const groups = new Map<string, { keys: string[]; rows: Record<string, unknown>[] }>();
  for (const row of withIds) {
    const keys = columns.filter(([key]) => row[key] !== undefined).map(([key]) => key);
    const group = groups.get(keys.join(","));
    if (group) group.rows.push(row);
    else groups.set(keys.join(","), { keys, rows: [row] });
  }
  for (const { keys, rows: group } of groups.values()) {
    const given = columns.filter(([key]) => keys.includes(key));
    const names = sql.join(
      given.map(([, column]) => sql.identifier(column.name)),
      sql`, `,
    );
    // Each column travels as one array literal in a text parameter: the drivers' own array
    // serializers do not cover every type (dates, timestamps and enums are passed through raw).
    const arrays = given.map(
      ([key, column]) =>
        sql`${arrayLiteral(group.map((row) => (row[key] === null ? null : column.mapToDriverValue(row[key]))))}::text::${sql.raw(column.getSQLType())}[]`,
    );
    await db.execute(sql`insert into ${table} (${names}) select * from unnest(${sql.join(arrays, sql`, `)})`);
  }
  return withIds;
}

/** `{"a","b\\"c",NULL}`: Postgres's text form of an array, every element quoted. */
function arrayLiteral(values: unknown[]): string {
  const elements = values.map((value) =>
    value === null || value === undefined ? "NULL" : `"${String(value).replace(/[\\"]/g, (c) => `\\${c}`)}"`,
  );
  return `{${elements.join(",")}}`;
}
