import { and, type Db, type EntityType, eq, recordHistory, sql } from "@nexo/db";
import { TRPCError } from "@trpc/server";
import { expect, vi } from "vitest";
import { ZodError } from "zod";

export async function expectTrpcError(promise: Promise<unknown>, code: TRPCError["code"]): Promise<TRPCError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  expect((error as TRPCError).code).toBe(code);
  return error as TRPCError;
}

/** The paths of the zod issues behind a BAD_REQUEST: what a form shows next to each field. */
export function fieldPaths(error: TRPCError): string[] {
  expect(error.cause).toBeInstanceOf(ZodError);
  return (error.cause as ZodError).issues.map((i) => i.path.join("."));
}

export async function historyOf(db: Db, entityType: EntityType, entityId: string) {
  const rows = await db
    .select({ field: recordHistory.field, oldValue: recordHistory.oldValue, newValue: recordHistory.newValue })
    .from(recordHistory)
    .where(and(eq(recordHistory.entityType, entityType), eq(recordHistory.entityId, entityId)))
    .orderBy(recordHistory.id);
  return rows;
}

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

/**
 * Another transaction runs `work` (a `select … for update`, an insert) and stays open, holding its
 * locks and its writes uncommitted, as a concurrent request would, until `release()` commits it.
 * Resolves once `work` is done. Needs a Postgres server: the embedded database has one connection.
 */
export async function holdOpen(db: Db, work: (tx: Tx) => Promise<unknown>): Promise<{ release(): Promise<void> }> {
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let holding = () => {};
  const held = new Promise<void>((resolve) => {
    holding = resolve;
  });
  const holder = db.transaction(async (tx) => {
    await work(tx);
    holding();
    await released;
  });
  await Promise.race([held, holder]);
  return {
    async release() {
      release();
      await holder;
    },
  };
}

/** How many sessions of this database are waiting for a lock right now. */
export async function sessionsWaitingForLocks(db: Db): Promise<number> {
  const [row] = (await db.execute(
    sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
  )) as unknown as { n: number }[];
  return row?.n ?? 0;
}

/**
 * Waits until `pending` (a call started while `holder`, from holdOpen, holds its locks) is waiting for a
 * lock, runs `meanwhile` (to see what the waiting call does not hold yet), releases the holder and
 * returns `pending`'s result. A rejection while it waits is not an unhandled one.
 */
export async function afterLockWait<T>(
  db: Db,
  holder: { release(): Promise<void> },
  pending: Promise<T>,
  meanwhile?: () => Promise<unknown>,
): Promise<T> {
  pending.catch(() => {});
  try {
    await vi.waitFor(async () => expect(await sessionsWaitingForLocks(db)).toBe(1));
    await meanwhile?.();
  } finally {
    await holder.release();
  }
  return pending;
}
