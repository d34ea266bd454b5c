import { and, type Db, type EntityType, eq, inArray, taggings, tags } from "@nexo/db";

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
