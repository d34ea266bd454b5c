import {
  type AnyColumn,
  type companies,
  type contacts,
  type customFieldValues,
  type deals,
  getTableColumns,
  type recordHistory,
  type SQL,
  sql,
  type taggings,
} from "@nexo/db";
import { groupBy } from "./group";
import type { DbOrTx } from "./history";

type BulkTable =
  | typeof contacts
  | typeof companies
  | typeof deals
  | typeof recordHistory
  | typeof taggings
  | typeof customFieldValues;

/**
 * Inserts many rows with one parameter per column (`insert … select … from unnest($1::t[], …)`)
 * instead of one per value: building a thousand-row insert value by value is most of an import's
 * CPU time. A column every row gives the same value (the organization, the author, a created
 * record's history entry) travels once, as a scalar, so neither side builds nor parses an array
 * of copies. Same rules as Drizzle's insert: an id without a value gets its `$defaultFn` here (so
 * ids keep the file's order), a column no row gives gets its database default. Rows that give
 * different sets of columns go in as one statement per set. Returns the ids, in the rows' order.
 */
export async function insertMany(
  db: DbOrTx,
  table: typeof contacts | typeof companies | typeof deals | typeof recordHistory,
  rows: Record<string, unknown>[],
): Promise<{ id: string }[]> {
  const ids = await insertUnnest(db, table, rows);
  return ids.map((id) => ({ id: id as string }));
}

/** The same for tables without an id of their own (links and values). */
export async function insertRows(
  db: DbOrTx,
  table: typeof taggings | typeof customFieldValues,
  rows: Record<string, unknown>[],
): Promise<void> {
  await insertUnnest(db, table, rows);
}

type Column = AnyColumn;

const columnsCache = new WeakMap<BulkTable, [string, Column][]>();
function insertableColumns(table: BulkTable): [string, Column][] {
  let columns = columnsCache.get(table);
  if (!columns) {
    columns = Object.entries(getTableColumns(table) as Record<string, Column>).filter(
      ([, column]) => !column.generated,
    );
    columnsCache.set(table, columns);
  }
  return columns;
}

/** Inserts the rows; returns each row's `id` (given or generated), in order, when the table has one. */
async function insertUnnest(db: DbOrTx, table: BulkTable, rows: Record<string, unknown>[]): Promise<unknown[]> {
  const columns = insertableColumns(table);
  // Per column, the driver values of every row; undefined: the row does not give the column.
  const values: unknown[][] = columns.map(([key, column]) => {
    const out = new Array<unknown>(rows.length);
    for (let i = 0; i < rows.length; i++) {
      let value = (rows[i] as Record<string, unknown>)[key];
      if (value === undefined) {
        if (column.defaultFn) value = column.defaultFn();
        else if (!column.hasDefault && column.onUpdateFn) value = column.onUpdateFn();
      }
      out[i] = value === undefined || value === null ? value : column.mapToDriverValue(value);
    }
    return out;
  });
  const idIndex = columns.findIndex(([key]) => key === "id");
  const ids = idIndex >= 0 ? (values[idIndex] as unknown[]) : [];

  // Rows that leave different columns out go in separately (each gets its own defaults).
  const groups = groupBy(
    rows.keys(),
    (i) => {
      let signature = "";
      for (const column of values) signature += column[i] === undefined ? "0" : "1";
      return signature;
    },
    (i) => i,
  );
  for (const [signature, indexes] of groups) {
    const given = columns.flatMap(([, column], c) =>
      signature[c] === "1" ? [{ column, values: values[c] as unknown[] }] : [],
    );
    const picked = given.map(({ column, values: all }) => {
      const own = indexes.length === rows.length ? all : indexes.map((i) => all[i]);
      return { column, values: own, constant: isConstant(own) };
    });
    // At least one column stays an array: it gives the statement its number of rows.
    if (picked.length > 0 && picked.every((p) => p.constant)) (picked[0] as { constant: boolean }).constant = false;
    const names = sql.join(
      picked.map(({ column }) => sql.identifier(column.name)),
      sql`, `,
    );
    const arrays: SQL[] = [];
    const selected: SQL[] = [];
    for (const { column, values: own, constant } of picked) {
      const type = sql.raw(column.getSQLType());
      if (constant) {
        selected.push(sql`${own[0] ?? null}::text::${type}`);
      } else {
        // Each column travels as one array literal in a text parameter: the drivers' own array
        // serializers do not cover every type (dates, timestamps and enums are passed through raw).
        selected.push(sql.raw(`u.c${arrays.length}`));
        arrays.push(sql`${arrayLiteral(own)}::text::${type}[]`);
      }
    }
    const aliases = sql.raw(arrays.map((_, i) => `c${i}`).join(", "));
    await db.execute(
      sql`insert into ${table} (${names}) select ${sql.join(selected, sql`, `)} from unnest(${sql.join(arrays, sql`, `)}) as u(${aliases})`,
    );
  }
  return ids;
}

/** Every value the same string, number or boolean (or every one null). */
function isConstant(values: unknown[]): boolean {
  const first = values[0];
  if (first !== null && typeof first === "object") return false;
  for (let i = 1; i < values.length; i++) if (values[i] !== first) return false;
  return true;
}

const NEEDS_ESCAPE = /[\\"]/;

/** `{"a","b\\"c",NULL}`: Postgres's text form of an array, every element quoted. */
function arrayLiteral(values: unknown[]): string {
  let out = "{";
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out += ",";
    const value = values[i];
    if (value === null || value === undefined) {
      out += "NULL";
      continue;
    }
    const text = String(value);
    out += NEEDS_ESCAPE.test(text) ? `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"` : `"${text}"`;
  }
  return `${out}}`;
}
