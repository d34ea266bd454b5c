import { type AnyColumn, and, type EntityType, eq, gte, lt, type SQL, sql, taggings } from "@nexo/db";
import type { Bound } from "./reuse";

/** Records carrying the tag; served by the taggings primary key `(org_id, tag_id, …)`. */
export function hasTag(orgId: Bound<string>, entityType: EntityType, idColumn: AnyColumn, tagId: Bound<string>): SQL {
  return sql`exists (select 1 from ${taggings} where ${and(
    eq(taggings.orgId, orgId),
    eq(taggings.tagId, tagId),
    eq(taggings.entityType, entityType),
    sql`${taggings.entityId} = ${idColumn}`,
  )})`;
}

/**
 * `from` inclusive, `to` exclusive. A bound is encoded as the column encodes its values, whether it
 * is a date or a placeholder filled with one later.
 */
export function inRange(
  column: AnyColumn,
  range: { from?: Bound<Date> | undefined; to?: Bound<Date> | undefined } | undefined,
) {
  if (!range) return [];
  const bound = (value: Bound<Date>) => sql.param(value, column as never);
  return [range.from ? gte(column, bound(range.from)) : undefined, range.to ? lt(column, bound(range.to)) : undefined];
}

export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * The term folded the way every `search_text` column is (`search_fold`: lowercase, accents
 * removed, so "muller" finds "Müller"), in SQL.
 */
export function foldedTerm(term: Bound<string>): SQL {
  return sql`search_fold(${term}::text)`;
}

/**
 * A LIKE pattern finding `folded` (a `foldedTerm`) anywhere in a `search_text` column. The term is
 * escaped after folding, since folding can make a wildcard (a full-width "％" becomes "%"). A term
 * that folds to nothing (only combining accents) gives null, which matches nothing.
 */
export function containsPattern(folded: SQL): SQL {
  return sql`nullif('%' || replace(replace(replace(${folded}, '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%', '%%')`;
}

/** Records whose `search_text` contains the term, ignoring case and accents (served by its trigram index). */
export function containsTerm(searchText: AnyColumn, term: Bound<string>): SQL {
  return sql`${searchText} like ${containsPattern(foldedTerm(term))}`;
}

/**
 * Hot statements run as prepared statements on Postgres (Drizzle's default is an unnamed statement,
 * planned anew on every call: about a third of a list page's database time). Each distinct
 * statement text (one per combination of filters and sort) is prepared once per connection.
 */
export const PREPARED = "prepared";

/**
 * A list page's rows: prepared, except when it searches text. After a few runs Postgres may keep one
 * generic plan for a prepared statement, and a generic plan cannot tell a rare search term from a
 * common one (it would walk the whole organization in id order for a rare one).
 */
export function pageRows<T>(
  query: { execute(): Promise<T>; prepare(name: string): { execute(): Promise<T> } },
  search: string | undefined,
): Promise<T> {
  return search ? query.execute() : query.prepare(PREPARED).execute();
}
