import {
  companies,
  contacts,
  customFieldValues,
  type Db,
  dealContacts,
  deals,
  getTableName,
  type ImportJob,
  recordHistory,
  sql,
  taggings,
} from "@nexo/db";
import type { ImportKind } from "./import.fields";

/** Fewer rows written than this never warrant refreshing the planner's statistics. */
export const ANALYZE_MIN_ROWS = 1_000;

/** The tables an import of each kind writes to, its records' own first. */
const writtenTables = {
  contacts: [contacts, recordHistory, taggings, customFieldValues],
  companies: [companies, recordHistory, taggings, customFieldValues],
  deals: [deals, recordHistory, dealContacts, taggings, customFieldValues],
} as const;

/**
 * After a large import, refreshes the statistics Postgres plans with (`ANALYZE`) on the tables the
 * import wrote, so that the next list page is planned for the tables as they now are. Autovacuum
 * does the same once a tenth of a table has changed, but only at its next round (a minute or more
 * later, or never where it is turned off); until then a table that was nearly empty when last
 * analysed (a new organization's custom field values, say) is planned as if it still were, and
 * a list page that looks up each row's values can scan the whole table per row. Nothing is done
 * below `ANALYZE_MIN_ROWS` records inserted or updated; above, each table the import writes is
 * analysed when that many records are at least a tenth of the rows it was last counted at
 * (autovacuum's own proportion; its other rows need not be this import's). Also worth calling after
 * an import that stopped part-way: its committed batches stay. Returns the tables analysed.
 */
export async function refreshStatisticsAfterImport(
  db: Db,
  kind: ImportKind,
  job: Pick<ImportJob, "inserted" | "updated">,
): Promise<string[]> {
  const written = job.inserted + job.updated;
  if (written < ANALYZE_MIN_ROWS) return [];
  const tables = writtenTables[kind].map((table) => ({ table, name: getTableName(table) }));
  const counted = await db
    .select({ name: sql<string>`relname::text`, rows: sql<number>`greatest(reltuples, 0)::float8` })
    .from(sql`pg_class`)
    .where(
      sql`oid in (${sql.join(
        tables.map(({ name }) => sql`${name}::regclass`),
        sql`, `,
      )})`,
    );
  const rowsOf = new Map(counted.map((c) => [c.name, Number(c.rows)]));
  const stale = tables.filter(({ name }) => written >= 0.1 * (rowsOf.get(name) ?? 0));
  if (stale.length > 0)
    await db.execute(
      sql`analyze ${sql.join(
        stale.map(({ table }) => table),
        sql`, `,
      )}`,
    );
  return stale.map(({ name }) => name);
}
