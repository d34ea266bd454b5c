/**
 * CSV export of a filtered list. The rows come from the list procedures themselves, page by page
 * along their keyset cursors, so an export shows exactly what the list shows the same caller:
 * same filters, same organization, same permissions and visibility.
 */
import type { TagRef } from "./tags.queries";

export const exportKinds = ["contacts", "companies", "deals"] as const;
export type ExportKind = (typeof exportKinds)[number];

type Row = Record<string, unknown> & { id: string; tags?: TagRef[] };

/** Column header → how to read it from a list item. */
const columns: Record<ExportKind, [string, (row: Row) => unknown][]> = {
  contacts: [
    ["id", (r) => r.id],
    ["First name", (r) => r.firstName],
    ["Last name", (r) => r.lastName],
    ["Email", (r) => r.email],
    ["Phone", (r) => r.phone],
    ["Job title", (r) => r.jobTitle],
    ["Company", (r) => r.companyName],
    ["Lifecycle stage", (r) => r.lifecycleStage],
    ["Tags", (r) => r.tags?.map((t) => t.name).join("; ")],
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
    ["Tags", (r) => r.tags?.map((t) => t.name).join("; ")],
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
    ["Expected close date", (r) => r.expectedCloseDate],
    ["Close reason", (r) => r.closeReason],
    ["Closed", (r) => r.closedAt],
    ["Tags", (r) => r.tags?.map((t) => t.name).join("; ")],
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
 * The export as CSV chunks (a header, then one chunk per page). `list` is the kind's list
 * procedure bound to the caller and the filters; a search that only found near matches (`fuzzy`)
 * exports nothing rather than records the filter did not select.
 */
export async function* exportCsv(
  kind: ExportKind,
  list: (cursor: string | null) => Promise<ListPage>,
): AsyncGenerator<string> {
  const cols = columns[kind];
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
