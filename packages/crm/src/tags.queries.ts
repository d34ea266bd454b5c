import {
  type AnyColumn,
  and,
  type Db,
  type EntityType,
  eq,
  getTableName,
  inArray,
  type PgTable,
  type SQL,
  sql,
  taggings,
  tags,
} from "@nexo/db";

export interface TagRef {
  id: string;
  name: string;
  color: string | null;
}

/** The tags of several records of one kind, in one query. */
export async function tagsByRecord(
  db: Db,
  orgId: string,
  entityType: EntityType,
  ids: readonly string[],
): Promise<Map<string, TagRef[]>> {
  const byRecord = new Map<string, TagRef[]>();
  if (ids.length === 0) return byRecord;
  const rows = await db
    .select({ entityId: taggings.entityId, id: tags.id, name: tags.name, color: tags.color })
    .from(taggings)
    .innerJoin(tags, eq(tags.id, taggings.tagId))
    .where(and(eq(taggings.orgId, orgId), eq(taggings.entityType, entityType), inArray(taggings.entityId, [...ids])))
    .orderBy(tags.name);
  for (const { entityId, ...tag } of rows) {
    const list = byRecord.get(entityId) ?? [];
    list.push(tag);
    byRecord.set(entityId, list);
  }
  return byRecord;
}

export async function withTags<T extends { id: string }>(
  db: Db,
  orgId: string,
  entityType: EntityType,
  rows: T[],
): Promise<(T & { tags: TagRef[] })[]> {
  const byRecord = await tagsByRecord(
    db,
    orgId,
    entityType,
    rows.map((r) => r.id),
  );
  return rows.map((row) => ({ ...row, tags: byRecord.get(row.id) ?? [] }));
}

/**
 * The record's tags (by name) as a column of the record's own select, so a page of records and
 * their tags come back in one statement. Served by `taggings_org_entity_idx`.
 */
export function tagsColumn(
  entityType: EntityType,
  record: PgTable & { orgId: AnyColumn; id: AnyColumn },
): SQL<TagRef[]> {
  // Qualified by hand: Drizzle leaves columns of a single-table select unqualified, which inside
  // this subquery would name the tagging's own columns.
  const outer = sql.identifier(getTableName(record));
  return sql<TagRef[]>`coalesce((
    select json_agg(json_build_object('id', t.id, 'name', t.name, 'color', t.color) order by t.name, t.id)
    from ${taggings} tg inner join ${tags} t on t.id = tg.tag_id
    where tg.org_id = ${outer}.org_id and tg.entity_type = ${entityType} and tg.entity_id = ${outer}.id
  ), '[]'::json)`;
}
