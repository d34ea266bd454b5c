/**
 * CSV export of a filtered list. The rows come from the list procedures themselves, page by page
 * along their keyset cursors, so an export shows exactly what the list shows the same caller:
 * same filters, same organization, same permissions and visibility. The list pages carry each
 * record's tags and custom field values (one query per page); field definitions and pipeline names
 * are read once, before the first page. Columns are named so that the importer maps them back.
 */
import type { CustomFieldType } from "@nexo/db";
import { dateRange, dayRange } from "./common.schemas";
import { listCompaniesInput } from "./companies.schemas";
import type { CustomFieldValue } from "./customFields.queries";
import { listDealsInput } from "./deals.schemas";
import { CUSTOM_FIELD_PREFIX, normalizeHeader, ownSpellings } from "./import.fields";
import { listContactsInput } from "./schemas";
import type { TagRef } from "./tags.queries";

export const exportKinds = ["contacts", "companies", "deals"] as const;
export type ExportKind = (typeof exportKinds)[number];

const listInputs = { contacts: listContactsInput, companies: listCompaniesInput, deals: listDealsInput };

/**
 * The filters (and sort) an export of this kind takes: its list's input without the paging. A date
 * range takes `.from` and `.to` (`createdAt.from=2025-01-01`).
 */
export function exportFilterNames(kind: ExportKind): { names: string[]; ranges: string[] } {
  const shape = listInputs[kind].shape as Record<string, unknown>;
  const names = Object.keys(shape).filter((name) => name !== "cursor" && name !== "limit");
  return { names, ranges: names.filter((name) => shape[name] === dateRange || shape[name] === dayRange) };
}

type Row = Record<string, unknown> & {
  id: string;
  tags?: TagRef[];
  customFields?: Record<string, CustomFieldValue>;
};

export interface ExportLookups {
  /** The kind's custom fields in display order: one column each. */
  customFields: readonly { key: string; label: string; type: CustomFieldType }[];
  /** Pipeline and stage names by id, for deals. */
  names?: ReadonlyMap<string, string>;
}

/** Column header → how to read it from a list item. */
const columns: Record<ExportKind, [string, (row: Row, names?: ReadonlyMap<string, string>) => unknown][]> = {
  contacts: [
    ["id", (r) => r.id],
    ["First name", (r) => r.firstName],
    ["Last name", (r) => r.lastName],
    ["Email", (r) => r.email],
    ["Phone", (r) => r.phone],
    ["Job title", (r) => r.jobTitle],
    ["Company", (r) => r.companyName],
    ["Lifecycle stage", (r) => r.lifecycleStage],
    ["Tags", (r) => tagsCell(r.tags)],
    ["Notes", (r) => r.notes],
    ["Last activity", (r) => r.lastActivityAt],
    ["Created", (r) => r.createdAt],
  ],
  companies: [
    ["id", (r) => r.id],
    ["Name", (r) => r.name],
    ["Domain", (r) => r.domain],
    ["Industry", (r) => r.industry],
    ["Size", (r) => r.size],
    ["Address", (r) => r.address],
    ["Phone", (r) => r.phone],
    ["Tags", (r) => tagsCell(r.tags)],
    ["Created", (r) => r.createdAt],
  ],
  deals: [
    ["id", (r) => r.id],
    ["Title", (r) => r.title],
    // Major units, as people type them and as the importer reads them.
    ["Amount", (r) => (typeof r.amountMinor === "number" ? (r.amountMinor / 100).toFixed(2) : null)],
    ["Currency", (r) => r.currency],
    ["Status", (r) => r.status],
    ["Pipeline id", (r) => r.pipelineId],
    ["Stage id", (r) => r.stageId],
    ["Pipeline", (r, names) => names?.get(r.pipelineId as string)],
    ["Stage", (r, names) => names?.get(r.stageId as string)],
    ["Expected close date", (r) => r.expectedCloseDate],
    ["Close reason", (r) => r.closeReason],
    ["Closed", (r) => r.closedAt],
    ["Tags", (r) => tagsCell(r.tags)],
    ["Created", (r) => r.createdAt],
  ],
};

/**
 * One CSV cell: quoted when it holds a delimiter, quote or line break. A text starting with
 * = + - @ (or a tab or carriage return) is prefixed with a single quote so a spreadsheet shows it
 * instead of evaluating it as a formula (OWASP "CSV injection").
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  let text = value instanceof Date ? value.toISOString() : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvLine(values: readonly unknown[]): string {
  return `${values.map(csvCell).join(",")}\r\n`;
}

export type ListPage = { items: Row[]; nextCursor: string | null; fuzzy?: boolean };

/**
 * Tag names joined by `; `. The importer splits a cell on `;` when it has one, else on `,`: a lone
 * tag whose name holds a comma gets a trailing `;` so that it is read back whole.
 */
function tagsCell(tags: TagRef[] | undefined): string | undefined {
  if (!tags) return undefined;
  const text = tags.map((t) => t.name).join("; ");
  return tags.length === 1 && text.includes(",") ? `${text};` : text;
}

/** How a custom field value reads in a cell, as the importer reads it back. */
function customFieldCell(value: CustomFieldValue | undefined): unknown {
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (Array.isArray(value)) return value.join("; ");
  return value;
}

/**
 * A custom field's column header: its label, unless that could be read as another column (one of
 * the record's own fields, another export column, another custom field's key or label); then
 * `customFields.<key>`, which only ever means that field.
 */
export function customFieldHeaders(kind: ExportKind, fields: ExportLookups["customFields"]): string[] {
  const taken = ownSpellings(kind);
  for (const [header] of columns[kind]) taken.add(normalizeHeader(header));
  return fields.map((field) => {
    const label = normalizeHeader(field.label);
    const clash =
      taken.has(label) ||
      fields.some((other) => other !== field && [other.key, other.label].some((n) => normalizeHeader(n) === label));
    return clash ? `${CUSTOM_FIELD_PREFIX}${field.key}` : field.label;
  });
}

/**
 * The export as CSV chunks (a header, then one chunk per page). `list` is the kind's list
 * procedure bound to the caller and the filters; a search that only found near matches (`fuzzy`)
 * exports nothing rather than records the filter did not select.
 */
export async function* exportCsv(
  kind: ExportKind,
  list: (cursor: string | null) => Promise<ListPage>,
  lookups: ExportLookups = { customFields: [] },
): AsyncGenerator<string> {
  const { names, customFields } = lookups;
  const cols: [string, (row: Row) => unknown][] = [
    ...columns[kind].map(([header, read]): [string, (row: Row) => unknown] => [header, (row) => read(row, names)]),
    ...customFieldHeaders(kind, customFields).map((header, i): [string, (row: Row) => unknown] => [
      header,
      (row) => {
        const key = customFields[i]?.key ?? "";
        return customFieldCell(
          row.customFields && Object.hasOwn(row.customFields, key) ? row.customFields[key] : undefined,
        );
      },
    ]),
  ];
  // The byte order mark makes spreadsheet programs read the file as UTF-8.
  yield `\ufeff${csvLine(cols.map(([header]) => header))}`;
  let cursor: string | null = null;
  do {
    const page: ListPage = await list(cursor);
    if (page.fuzzy) return;
    yield page.items.map((row) => csvLine(cols.map(([, read]) => read(row)))).join("");
    cursor = page.nextCursor;
  } while (cursor);
}

/** The downloadable report of an import's failed rows: row number, reason, then the row as uploaded. */
export function* importErrorReport(
  headers: readonly string[],
  errors: readonly { row: number; message: string; values?: string[] }[],
): Generator<string> {
  yield `\ufeff${csvLine(["Row", "Error", ...headers])}`;
  for (const e of errors) yield csvLine([e.row, e.message, ...(e.values ?? [])]);
}
