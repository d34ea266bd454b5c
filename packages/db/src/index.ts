export type { SQL } from "drizzle-orm";
export { and, asc, desc, eq, gt, ilike, inArray, isNull, lt, ne, or, sql } from "drizzle-orm";
export type { Db, DbHandle, DbOptions, Schema } from "./client";
export { createDb, migrationsFolder, queryRows } from "./client";
export * from "./schema";
