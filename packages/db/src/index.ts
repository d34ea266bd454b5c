export type { SQL } from "drizzle-orm";
export {
  and,
  asc,
  desc,
  eq,
  gt,
  gte,
  ilike,
  inArray,
  isNotNull,
  isNull,
  lt,
  lte,
  ne,
  notInArray,
  or,
  sql,
} from "drizzle-orm";
export type { Db, DbHandle, DbOptions, Schema } from "./client";
export { createDb, migrationsFolder, queryRows } from "./client";
export * from "./schema";
