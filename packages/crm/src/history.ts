import { type Db, type EntityType, recordHistory } from "@nexo/db";

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
/** A database or an open transaction: history is always written with the change it records. */
export type DbOrTx = Db | Tx;

function comparable(value: unknown): unknown {
  return value instanceof Date ? value.toISOString() : (value ?? null);
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(comparable(a)) === JSON.stringify(comparable(b));
}

export interface HistoryActor {
  orgId: string;
  userId: string;
}

/** The history rows of a change: one per field whose value differs between `before` and `after`. */
export function changeRows(
  actor: HistoryActor,
  entityType: EntityType,
  entityId: string,
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  fields: readonly string[],
) {
  return fields
    .filter((field) => !same(before[field], after[field]))
    .map((field) => ({
      orgId: actor.orgId,
      entityType,
      entityId,
      field,
      oldValue: comparable(before[field]),
      newValue: comparable(after[field]),
      changedBy: actor.userId,
    }));
}

type HistoryRow = ReturnType<typeof changeRows>[number];
/** Rows per insert: eight values each, well under a statement's 65,535 parameters. */
const HISTORY_ROWS_PER_INSERT = 1000;

/** Writes history rows, however many, in inserts of a bounded size. */
export async function insertHistory(db: DbOrTx, rows: readonly HistoryRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += HISTORY_ROWS_PER_INSERT) {
    await db.insert(recordHistory).values(rows.slice(i, i + HISTORY_ROWS_PER_INSERT));
  }
}

/** Records one row per field whose value changed between `before` and `after`. */
export async function recordChanges(
  db: DbOrTx,
  actor: HistoryActor,
  entityType: EntityType,
  entityId: string,
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  fields: readonly string[],
): Promise<number> {
  const rows = changeRows(actor, entityType, entityId, before, after, fields);
  if (rows.length > 0) await db.insert(recordHistory).values(rows);
  return rows.length;
}

/** A whole-record event such as `created`, `deleted`, `restored` or `merged`. */
export async function recordEvent(
  db: DbOrTx,
  actor: HistoryActor,
  entityType: EntityType,
  entityId: string,
  event: string,
  detail: unknown = null,
): Promise<void> {
  await db.insert(recordHistory).values({
    orgId: actor.orgId,
    entityType,
    entityId,
    field: event,
    newValue: detail,
    changedBy: actor.userId,
  });
}
