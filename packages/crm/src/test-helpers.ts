import { and, type Db, type EntityType, eq, recordHistory } from "@nexo/db";
import { TRPCError } from "@trpc/server";
import { expect } from "vitest";
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
