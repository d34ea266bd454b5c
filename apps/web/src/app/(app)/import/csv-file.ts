/**
 * What the browser works out from a chosen file before and while it is uploaded: whether it looks
 * like a CSV at all, how many rows it has (for the progress bar), a head of whole rows for the
 * preview, and the first rows' cells (sample values next to each column). The server is the judge
 * of the file; these only spare an upload of what is obviously not CSV and give the page numbers.
 * Rows are counted on bytes: a quote or a line break never occurs inside a UTF-8 multi-byte sequence.
 */

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

const CSV_TYPES = new Set(["", "text/csv", "text/plain", "application/csv", "application/vnd.ms-excel"]);
const CSV_NAME = /\.(csv|txt)$/i;

/** Null when the file may be a CSV, else why it is not one. */
export function notCsvReason(file: File): string | null {
  if (file.size === 0) return `“${file.name}” is empty.`;
  if (!CSV_NAME.test(file.name) || !CSV_TYPES.has(file.type)) {
    const spreadsheet = /\.(xlsx?|ods|numbers)$/i.test(file.name);
    return spreadsheet
      ? `“${file.name}” is a spreadsheet, not a CSV file. In your spreadsheet app choose File › Save as (or Export) › CSV UTF-8, then upload that file.`
      : `“${file.name}” is not a CSV file. Upload a .csv file whose first row names the columns.`;
  }
  return null;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}

/** Scans bytes for the ends of rows (line breaks outside quotes), keeping state across chunks. */
class RowScanner {
  private quoted = false;
  private lineHasContent = false;
  /** Non-empty rows ended so far (the header included). */
  rows = 0;

  /** Returns the offset just past the last row end within `chunk`, or -1. */
  scan(chunk: Uint8Array): number {
    let lastEnd = -1;
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i];
      if (byte === QUOTE) {
        this.quoted = !this.quoted;
        this.lineHasContent = true;
      } else if (byte === LF && !this.quoted) {
        if (this.lineHasContent) this.rows += 1;
        this.lineHasContent = false;
        lastEnd = i + 1;
      } else if (byte !== CR) {
        this.lineHasContent = true;
      }
    }
    return lastEnd;
  }

  /** Rows including a last one without a line break. */
  finish(): number {
    return this.rows + (this.lineHasContent ? 1 : 0);
  }
}

/** Data rows of the file (the header and empty lines not counted), read in chunks. */
export async function countRows(file: Blob, signal?: AbortSignal): Promise<number> {
  const scanner = new RowScanner();
  const reader = file.stream().getReader();
  try {
    for (;;) {
      if (signal?.aborted) throw signal.reason;
      const { done, value } = await reader.read();
      if (done) break;
      scanner.scan(value);
    }
  } finally {
    reader.releaseLock();
  }
  return Math.max(0, scanner.finish() - 1);
}

/**
 * The head of the file that a preview needs, cut at the end of a row so the server sees whole rows
 * only; the whole file when it is small.
 */
export async function headOf(file: Blob, maxBytes = 512 * 1024): Promise<Blob> {
  if (file.size <= maxBytes) return file;
  const head = new Uint8Array(await file.slice(0, maxBytes).arrayBuffer());
  const end = new RowScanner().scan(head);
  return end > 0 ? file.slice(0, end) : file.slice(0, maxBytes);
}

/** The first `limit` rows (header included) of CSV text, as cells. */
export function firstRows(text: string, limit: number): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  const source = text.startsWith("\ufeff") ? text.slice(1) : text;
  for (let i = 0; i < source.length && rows.length < limit; i++) {
    const char = source[i];
    if (quoted) {
      if (char === '"' && source[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ",") {
      row.push(cell);
      cell = "";
    } else if (char === "\n" || char === "\r") {
      if (char === "\r" && source[i + 1] === "\n") i += 1;
      row.push(cell);
      if (row.some((c) => c !== "")) rows.push(row);
      row = [];
      cell = "";
    } else cell += char;
  }
  if (rows.length < limit && (cell !== "" || row.length > 0)) rows.push([...row, cell]);
  return rows;
}
