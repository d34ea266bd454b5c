export type { AnyColumn, Placeholder } from "drizzle-orm";
export {
  and,
  asc,
  Column,
  count,
  desc,
  eq,
  getTableColumns,
  getTableName,
  gt,
  gte,
  ilike,
  inArray,
  is,
  isNotNull,
  isNull,
  lt,
  lte,
  ne,
  not,
  notInArray,
  or,
  SQL,
  sql,
} from "drizzle-orm";
export { PgDialect, type PgTable } from "drizzle-orm/pg-core";
export type { Db, DbHandle, DbOptions, Schema } from "./client";
export { createDb, migrationsFolder, preparedStatement, preparedValues, queryRows } from "./client";
export * from "./schema";
