import { isUniqueViolation, TRPCError } from "@nexo/trpc";
import { ZodRealError } from "zod";

export const notFound = (what: string) => new TRPCError({ code: "NOT_FOUND", message: `${what} not found.` });

/** A BAD_REQUEST whose issues the error formatter flattens per field, like an input schema's. */
export function invalidInput(message: string, issues: { path: string[]; message: string }[]): TRPCError {
  return new TRPCError({
    code: "BAD_REQUEST",
    message,
    cause: new ZodRealError(issues.map((issue) => ({ code: "custom" as const, input: undefined, ...issue }))),
  });
}

export const nothingToUpdate = () => new TRPCError({ code: "BAD_REQUEST", message: "Nothing to update." });

/** Runs a write, turning a unique violation of `constraint` into CONFLICT with `message`. */
export async function conflictOn<T>(constraint: string, message: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error, constraint)) throw new TRPCError({ code: "CONFLICT", message });
    throw error;
  }
}

export function firstOrThrow<T>(rows: T[]): T {
  const [row] = rows;
  if (!row) throw new Error("write returned no row");
  return row;
}
