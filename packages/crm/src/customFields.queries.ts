import {
  type AnyColumn,
  and,
  asc,
  type CustomFieldType,
  customFieldDefinitions,
  customFieldValues,
  type EntityType,
  eq,
  getTableName,
  gt,
  inArray,
  lt,
  or,
  type PgTable,
  type SQL,
  sql,
} from "@nexo/db";
import type { z } from "zod";
import type { customFieldFilter, customFieldValuesInput } from "./customFields.schemas";
import { invalidInput } from "./errors";
import { type DbOrTx, type HistoryActor, recordChanges } from "./history";
import { containsPattern, foldedTerm } from "./lists";

export type CustomFieldValue = string | number | boolean | string[];
export type CustomFieldValues = Record<string, CustomFieldValue>;

export const customFieldColumns = {
  id: customFieldDefinitions.id,
  entityType: customFieldDefinitions.entityType,
  key: customFieldDefinitions.key,
  label: customFieldDefinitions.label,
  type: customFieldDefinitions.type,
  options: customFieldDefinitions.options,
  position: customFieldDefinitions.position,
  createdAt: customFieldDefinitions.createdAt,
  updatedAt: customFieldDefinitions.updatedAt,
};

export interface Definition {
  id: string;
  key: string;
  type: CustomFieldType;
  options: string[] | null;
}

/** A field as imports and exports need it: its key and label name a CSV column. */
export interface LabelledDefinition extends Definition {
  label: string;
}

const isoDate = /^[1-9]\d{3}-\d{2}-\d{2}$/;
/** A real calendar day (2026-02-30 is not one), within the years Postgres and JS dates share. */
const validDate = (text: string) => {
  if (!isoDate.test(text)) return false;
  const day = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === text;
};
const validUrl = (text: string) => {
  try {
    return ["http:", "https:"].includes(new URL(text).protocol);
  } catch {
    return false;
  }
};

/** The most a text or link custom field value may take in UTF-8: what its index entry can hold. */
export const MAX_TEXT_BYTES = 2_500;

export type Checked = { ok: true; value: CustomFieldValue | null } | { ok: false; message: string };

/** Checks one value against its field's type; empty text and empty lists clear the value. */
export function checkValue(field: Definition, raw: unknown): Checked {
  if (raw === null) return { ok: true, value: null };
  const options = field.options ?? [];
  switch (field.type) {
    case "text":
    case "url":
    case "select": {
      if (typeof raw !== "string") return { ok: false, message: "Expected text." };
      const text = raw.trim();
      if (text === "") return { ok: true, value: null };
      if (field.type === "url" && !validUrl(text)) {
        return { ok: false, message: "Enter a full link starting with https://." };
      }
      if (field.type === "select" && !options.includes(text)) {
        return { ok: false, message: `Choose one of: ${options.join(", ")}.` };
      }
      // Text values are indexed (to filter and sort by them), and an index entry holds about 2.7 kB.
      if (Buffer.byteLength(text, "utf8") > MAX_TEXT_BYTES) {
        return {
          ok: false,
          message: `Too long: at most ${MAX_TEXT_BYTES.toLocaleString("en")} bytes (2,000 characters of Latin script, fewer of others).`,
        };
      }
      return { ok: true, value: text };
    }
    case "number":
      return typeof raw === "number" && Number.isFinite(raw)
        ? { ok: true, value: raw }
        : { ok: false, message: "Expected a number." };
    case "date":
      return typeof raw === "string" && validDate(raw)
        ? { ok: true, value: raw }
        : { ok: false, message: "Use a date like 2025-12-31." };
    case "checkbox":
      return typeof raw === "boolean" ? { ok: true, value: raw } : { ok: false, message: "Expected true or false." };
    case "multi_select": {
      if (!Array.isArray(raw) || raw.some((v) => typeof v !== "string")) {
        return { ok: false, message: "Expected a list of options." };
      }
      const unknown = raw.filter((v) => !options.includes(v));
      if (unknown.length > 0) return { ok: false, message: `Not an option: ${unknown.join(", ")}.` };
      const chosen = [...new Set(raw as string[])];
      return { ok: true, value: chosen.length > 0 ? chosen : null };
    }
  }
}

export function storedColumns(type: CustomFieldType, value: CustomFieldValue) {
  return {
    textValue: type === "text" || type === "url" || type === "select" ? (value as string) : null,
    numberValue: type === "number" ? (value as number) : null,
    dateValue: type === "date" ? (value as string) : null,
    boolValue: type === "checkbox" ? (value as boolean) : null,
    listValue: type === "multi_select" ? (value as string[]) : null,
  };
}

interface StoredRow {
  textValue: string | null;
  numberValue: number | null;
  dateValue: string | null;
  boolValue: boolean | null;
  listValue: string[] | null;
}

const storedValueColumns = {
  textValue: customFieldValues.textValue,
  numberValue: customFieldValues.numberValue,
  dateValue: customFieldValues.dateValue,
  boolValue: customFieldValues.boolValue,
  listValue: customFieldValues.listValue,
};

/** Which value column a field's type uses; `customFieldsColumn` makes the same choice in SQL. */
function storedValue(type: CustomFieldType, row: StoredRow): CustomFieldValue | null {
  switch (type) {
    case "number":
      return row.numberValue;
    case "date":
      return row.dateValue;
    case "checkbox":
      return row.boolValue;
    case "multi_select":
      return row.listValue;
    default:
      return row.textValue;
  }
}

/** The custom fields of one kind of record, in their display order. */
export async function definitionsOf(db: DbOrTx, orgId: string, entityType: EntityType): Promise<LabelledDefinition[]> {
  return db
    .select({
      id: customFieldDefinitions.id,
      key: customFieldDefinitions.key,
      label: customFieldDefinitions.label,
      type: customFieldDefinitions.type,
      options: customFieldDefinitions.options,
    })
    .from(customFieldDefinitions)
    .where(and(eq(customFieldDefinitions.orgId, orgId), eq(customFieldDefinitions.entityType, entityType)))
    .orderBy(asc(customFieldDefinitions.position), asc(customFieldDefinitions.id));
}

async function definitionsByKey(db: DbOrTx, orgId: string, entityType: EntityType, keys: string[]) {
  const rows = await db
    .select({
      id: customFieldDefinitions.id,
      key: customFieldDefinitions.key,
      type: customFieldDefinitions.type,
      options: customFieldDefinitions.options,
    })
    .from(customFieldDefinitions)
    .where(
      and(
        eq(customFieldDefinitions.orgId, orgId),
        eq(customFieldDefinitions.entityType, entityType),
        inArray(customFieldDefinitions.key, keys),
      ),
    );
  return new Map(rows.map((row) => [row.key, row]));
}

/**
 * Sets the given custom field values of one record (null clears one), checking each against its
 * field's definition, and records each change as `customFields.<key>` in the record's history.
 * Runs inside the transaction that changes the record itself.
 */
export async function saveCustomFields(
  tx: DbOrTx,
  actor: HistoryActor,
  entityType: EntityType,
  entityId: string,
  input: z.output<typeof customFieldValuesInput>,
): Promise<void> {
  const keys = Object.keys(input ?? {});
  if (!input || keys.length === 0) return;
  const fields = await definitionsByKey(tx, actor.orgId, entityType, keys);
  const issues: { path: string[]; message: string }[] = [];
  const checked: { field: Definition; value: CustomFieldValue | null }[] = [];
  for (const key of keys) {
    const field = fields.get(key);
    const result = field ? checkValue(field, input[key]) : ({ ok: false, message: "Unknown custom field." } as const);
    if (!result.ok) issues.push({ path: ["customFields", key], message: result.message });
    else if (field) checked.push({ field, value: result.value });
  }
  if (issues.length > 0) throw invalidInput("Some custom field values are not valid.", issues);

  const fieldIds = checked.map((c) => c.field.id);
  const scope = and(
    eq(customFieldValues.orgId, actor.orgId),
    eq(customFieldValues.entityId, entityId),
    inArray(customFieldValues.fieldId, fieldIds),
  );
  const current = await tx
    .select({ fieldId: customFieldValues.fieldId, ...storedValueColumns })
    .from(customFieldValues)
    .where(scope);
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  for (const { field, value } of checked) {
    const row = current.find((r) => r.fieldId === field.id);
    before[`customFields.${field.key}`] = row ? storedValue(field.type, row) : null;
    after[`customFields.${field.key}`] = value;
  }

  const cleared = checked.filter((c) => c.value === null).map((c) => c.field.id);
  if (cleared.length > 0) {
    await tx
      .delete(customFieldValues)
      .where(
        and(
          eq(customFieldValues.orgId, actor.orgId),
          eq(customFieldValues.entityId, entityId),
          inArray(customFieldValues.fieldId, cleared),
        ),
      );
  }
  const set = checked.flatMap(({ field, value }) =>
    value === null ? [] : [{ orgId: actor.orgId, fieldId: field.id, entityId, ...storedColumns(field.type, value) }],
  );
  if (set.length > 0) {
    await tx
      .insert(customFieldValues)
      .values(set)
      .onConflictDoUpdate({
        target: [customFieldValues.orgId, customFieldValues.fieldId, customFieldValues.entityId],
        set: {
          textValue: sql`excluded.text_value`,
          numberValue: sql`excluded.number_value`,
          dateValue: sql`excluded.date_value`,
          boolValue: sql`excluded.bool_value`,
          listValue: sql`excluded.list_value`,
          updatedAt: new Date(),
        },
      });
  }
  await recordChanges(tx, actor, entityType, entityId, before, after, Object.keys(after));
}

/** The custom field values of several records of one kind, by key, in one query. */
export async function customFieldsByRecord(
  db: DbOrTx,
  orgId: string,
  entityType: EntityType,
  ids: readonly string[],
): Promise<Map<string, CustomFieldValues>> {
  const byRecord = new Map<string, CustomFieldValues>();
  if (ids.length === 0) return byRecord;
  const rows = await db
    .select({
      entityId: customFieldValues.entityId,
      key: customFieldDefinitions.key,
      type: customFieldDefinitions.type,
      ...storedValueColumns,
    })
    .from(customFieldValues)
    .innerJoin(customFieldDefinitions, eq(customFieldDefinitions.id, customFieldValues.fieldId))
    .where(
      and(
        eq(customFieldValues.orgId, orgId),
        inArray(customFieldValues.entityId, [...ids]),
        eq(customFieldDefinitions.entityType, entityType),
      ),
    )
    .orderBy(asc(customFieldDefinitions.position), asc(customFieldDefinitions.id));
  for (const row of rows) {
    const value = storedValue(row.type, row);
    if (value === null) continue;
    const values = byRecord.get(row.entityId) ?? {};
    values[row.key] = value;
    byRecord.set(row.entityId, values);
  }
  return byRecord;
}

export async function withCustomFields<T extends { id: string }>(
  db: DbOrTx,
  orgId: string,
  entityType: EntityType,
  rows: T[],
): Promise<(T & { customFields: CustomFieldValues })[]> {
  const byRecord = await customFieldsByRecord(
    db,
    orgId,
    entityType,
    rows.map((r) => r.id),
  );
  return rows.map((row) => ({ ...row, customFields: byRecord.get(row.id) ?? {} }));
}

type Filter = NonNullable<z.output<typeof customFieldFilter>>;

/** The comparison a filter makes on a value row, or the reason it does not fit the field's type. */
function comparison(type: CustomFieldType, op: Filter["op"], value: Filter["value"]): SQL | string {
  const v = customFieldValues;
  const strings = Array.isArray(value) && value.every((x) => typeof x === "string") ? (value as string[]) : null;
  const numbers = Array.isArray(value) && value.every((x) => typeof x === "number") ? (value as number[]) : null;
  switch (type) {
    case "text":
    case "url":
    case "select":
      if (op === "eq" && typeof value === "string") return eq(v.textValue, value);
      // Ignoring case and accents, as search does: "zurich" finds "Zürich".
      if (op === "contains" && typeof value === "string") {
        return sql`search_fold(${v.textValue}) like ${containsPattern(foldedTerm(value))}`;
      }
      if (op === "in" && strings) return inArray(v.textValue, strings);
      return "Text fields take eq or contains with text, or in with a list of texts.";
    case "number":
      if (typeof value === "number" && (op === "eq" || op === "gt" || op === "lt")) {
        return { eq, gt, lt }[op](v.numberValue, value);
      }
      if (op === "in" && numbers) return inArray(v.numberValue, numbers);
      return "Number fields take eq, gt or lt with a number, or in with a list of numbers.";
    case "date":
      if (typeof value === "string" && validDate(value) && (op === "eq" || op === "gt" || op === "lt")) {
        return { eq, gt, lt }[op](v.dateValue, value);
      }
      if (op === "in" && strings?.every(validDate)) return inArray(v.dateValue, strings);
      return "Date fields take eq, gt or lt with a date like 2025-12-31, or in with a list of dates.";
    case "checkbox":
      if (op === "eq" && typeof value === "boolean") return eq(v.boolValue, value);
      return "Checkbox fields take eq with true or false.";
    case "multi_select": {
      const has = (option: string) => sql`${v.listValue} @> ${JSON.stringify([option])}::jsonb`;
      if (op === "contains" && typeof value === "string") return has(value);
      if (op === "in" && strings) return or(...strings.map(has))!;
      if (op === "eq" && strings) {
        const list = JSON.stringify(strings);
        return sql`(${v.listValue} @> ${list}::jsonb and ${v.listValue} <@ ${list}::jsonb)`;
      }
      return "Multi-select fields take contains with an option, or in or eq with a list of options.";
    }
  }
}

/**
 * A list filter on one custom field of the records whose id is `idColumn`: a condition to add to a
 * list query's others. The value rows are reached through `(org_id, field_id, <typed value>)`
 * indexes. An unchecked checkbox also matches records that never had the box set.
 */
export async function customFieldCondition(
  db: DbOrTx,
  orgId: string,
  entityType: EntityType,
  idColumn: AnyColumn,
  filter: z.output<typeof customFieldFilter>,
): Promise<SQL | undefined> {
  if (!filter) return undefined;
  const field = (await definitionsByKey(db, orgId, entityType, [filter.key])).get(filter.key);
  if (!field) {
    throw invalidInput("No such custom field.", [{ path: ["customField", "key"], message: "No such custom field." }]);
  }
  const unchecked = field.type === "checkbox" && filter.op === "eq" && filter.value === false;
  const compare = comparison(field.type, filter.op, unchecked ? true : filter.value);
  if (typeof compare === "string") {
    throw invalidInput("This filter does not fit the custom field.", [
      { path: ["customField", "value"], message: compare },
    ]);
  }
  const match = sql`exists (select 1 from ${customFieldValues} where ${and(
    eq(customFieldValues.orgId, orgId),
    eq(customFieldValues.fieldId, field.id),
    sql`${customFieldValues.entityId} = ${idColumn}`,
    compare,
  )})`;
  return unchecked ? sql`not ${match}` : match;
}

/**
 * The record's custom field values by key (in the fields' display order) as a column of the
 * record's own select, so a page of records and their values come back in one statement. The
 * same values `withCustomFields` gives: the value column that fits the field's type (as `storedValue`
 * picks it), unset ones left out.
 */
export function customFieldsColumn(
  entityType: EntityType,
  record: PgTable & { orgId: AnyColumn; id: AnyColumn },
): SQL<CustomFieldValues> {
  // Qualified by hand, as in `tagsColumn`.
  const outer = sql.identifier(getTableName(record));
  const value = sql`case d.type
    when 'number' then to_json(v.number_value)
    when 'date' then to_json(v.date_value)
    when 'checkbox' then to_json(v.bool_value)
    when 'multi_select' then v.list_value::json
    else to_json(v.text_value) end`;
  return sql<CustomFieldValues>`coalesce((
    select json_object_agg(d.key, ${value} order by d.position, d.id)
    from ${customFieldValues} v inner join ${customFieldDefinitions} d on d.id = v.field_id
    where v.org_id = ${outer}.org_id and v.entity_id = ${outer}.id and d.entity_type = ${entityType}
      and ${value} is not null
  ), '{}'::json)`;
}
