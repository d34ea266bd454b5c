/**
 * CSV import: the file is read as a stream, parsed, validated row by row and committed in batches.
 * Each batch and the job row's progress are written in one transaction, so whatever happens to the
 * upload or the process, `import_jobs.committed_through_row` says exactly which rows went in and no
 * batch is ever half written. Awaiting each commit before reading on is the backpressure: a slow
 * database slows the upload instead of filling memory.
 */
import { Transform, type TransformCallback } from "node:stream";
import { pipeline } from "node:stream/promises";
import { type Db, eq, type ImportJob, importJobs, type Role, sql } from "@nexo/db";
import { parse } from "csv-parse";
import { z } from "zod";
import { type CustomFieldValues, definitionsOf, type LabelledDefinition } from "./customFields.queries";
import {
  entityTypeOf,
  type ImportKind,
  issuesText,
  mapHeaders,
  type RowIssue,
  type RowValues,
  requiredFields,
  validateRow,
} from "./import.fields";
import { applyBatch, type BatchOutcome, type BatchRow, mayOverlap, previewActions } from "./import.writes";

export const importOptions = z.object({
  dryRun: z.boolean().default(false),
  /** What a row whose email (contacts) or domain (companies) already exists does. */
  dedupe: z.enum(["skip", "update", "create"], "Choose skip, update or create.").default("skip"),
  /** CSV header → field name, or null to ignore the column; unnamed headers are guessed. */
  mapping: z.record(z.string().max(200), z.string().max(100).nullable()).optional(),
  /** Rows a dry run validates and shows. */
  previewRows: z.number().int().min(1).max(1000).default(50),
  /**
   * A key the uploader chose, kept with the job so that it can find the job (`crm.imports.list`)
   * and follow its progress while its upload is still running.
   */
  uploadId: z
    .string()
    .regex(/^[\w-]{8,64}$/, "uploadId: use 8–64 letters, digits, - or _.")
    .optional(),
});
export type ImportOptions = z.output<typeof importOptions>;

/** A problem with the file as a whole; the HTTP layer answers it with `status`. */
export class ImportFileError extends Error {
  /** Set once a job exists: what was committed before the file turned out bad. */
  job?: ImportJob;
  constructor(
    message: string,
    readonly status: 400 | 413 = 400,
  ) {
    super(message);
  }
}

const MAX_COLUMNS = 200;
const MAX_RECORD_BYTES = 64 * 1024;
/** Errors kept per job (with the failed row's cells) for the downloadable report. */
export const MAX_STORED_ERRORS = 1000;

export interface StoredError {
  row: number;
  message: string;
  values?: string[];
}

/** A failed row as a dry run shows it: its problems one by one, each with the field it concerns. */
export interface PreviewError extends StoredError {
  issues: RowIssue[];
}

/** Rows committed per transaction; each advances the job's counts. */
export const IMPORT_BATCH_SIZE = 1000;

/**
 * Refuses what is not UTF-8 text before the parser sees it: a UTF-16 file (Excel's "Unicode
 * text"), Latin-1 or Windows-1252 exports, and binary data, each with a message saying what to do.
 */
class Utf8Guard extends Transform {
  private readonly decoder = new TextDecoder("utf-8", { fatal: true });
  private seen = 0;

  constructor(private readonly maxBytes: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) {
    if (this.seen === 0 && chunk.length >= 2) {
      const bom = chunk.readUInt16BE(0);
      if (bom === 0xfffe || bom === 0xfeff) {
        return done(new ImportFileError("The file is UTF-16 text. Save it as “CSV UTF-8” and upload it again."));
      }
    }
    this.seen += chunk.length;
    if (this.seen > this.maxBytes) {
      return done(new ImportFileError(`The file is larger than ${Math.floor(this.maxBytes / 1048576)} MB.`, 413));
    }
    if (chunk.includes(0)) {
      return done(new ImportFileError("The file contains binary data; upload a CSV text file."));
    }
    try {
      this.decoder.decode(chunk, { stream: true });
    } catch {
      return done(
        new ImportFileError(
          "The file is not UTF-8 text (it looks like Latin-1 or Windows-1252). Save it as “CSV UTF-8” and upload it again.",
        ),
      );
    }
    done(null, chunk);
  }

  override _flush(done: TransformCallback) {
    try {
      this.decoder.decode();
    } catch {
      return done(new ImportFileError("The file ends in the middle of a UTF-8 character."));
    }
    done();
  }
}

function parserErrorMessage(error: { code?: string; lines?: number; message: string }): string {
  const where = error.lines ? ` (line ${error.lines})` : "";
  switch (error.code) {
    case "CSV_QUOTE_NOT_CLOSED":
      return `A quoted cell is never closed${where}; check the file's quotes.`;
    case "CSV_INVALID_CLOSING_QUOTE":
    case "CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE":
      return `A quote is followed by unexpected characters${where}; check the file's quotes.`;
    case "CSV_MAX_RECORD_SIZE":
      return `A row is longer than ${MAX_RECORD_BYTES / 1024} KB${where}; this does not look like a CSV file.`;
    default:
      return `The file could not be read as CSV${where}.`;
  }
}

export interface ImportSource {
  /** The raw bytes of the upload. */
  body: AsyncIterable<Buffer> | NodeJS.ReadableStream;
  maxBytes: number;
}

export interface ImportActor {
  orgId: string;
  userId: string;
  /** Only those who manage tags have tags the file names but the organization lacks created. */
  role: Role;
}

export type PreviewRow = {
  row: number;
  action: "create" | "update" | "skip";
  values: Record<string, unknown>;
  tags: string[] | null;
  customFields: CustomFieldValues;
};

export type ImportResult =
  | {
      dryRun: true;
      headers: string[];
      mapping: Record<string, string | null>;
      /** Required fields no column maps to: nothing can be imported until a column does. */
      missing: string[];
      rows: PreviewRow[];
      errors: PreviewError[];
    }
  | { dryRun: false; job: ImportJob };

interface Reader {
  headers: string[];
  mapping: (string | null)[];
  customFields: LabelledDefinition[];
  missing: string[];
  records: AsyncIterator<string[]>;
  /** Row number (1-based, header excluded) of the last record returned. */
  row: () => number;
  finished: Promise<void>;
  /** Stops reading (the rest of the upload is the caller's to drain or drop). */
  close(): void;
}

/**
 * Starts reading: checks the encoding, parses, reads and maps the header row. Required fields no
 * column maps to are a file error, except for a dry run, which reports them (the wizard shows the
 * columns so that someone maps them).
 */
async function openReader(
  db: Db,
  actor: ImportActor,
  kind: ImportKind,
  source: ImportSource,
  options: ImportOptions,
): Promise<Reader> {
  const parser = parse({
    bom: true,
    // Each line ends as it ends: files pieced together from several sources mix CRLF and LF, and
    // guessing from the first line would read the rest as one row.
    record_delimiter: ["\r\n", "\n", "\r"],
    relax_column_count: true,
    skip_empty_lines: true,
    max_record_size: MAX_RECORD_BYTES,
  });
  const finished = pipeline(source.body as NodeJS.ReadableStream, new Utf8Guard(source.maxBytes), parser);
  // The iteration below sees the same error; this only keeps it from being reported as unhandled.
  finished.catch(() => {});
  const records = parser[Symbol.asyncIterator]() as AsyncIterator<string[]>;
  const first = await next(records);
  if (!first) throw new ImportFileError("The file is empty.");
  const headers = first.map((h) => h.trim());
  if (headers.length > MAX_COLUMNS) throw new ImportFileError(`The file has more than ${MAX_COLUMNS} columns.`);
  // Mappings go by header: two columns of one name could not be told apart.
  const repeated = [...new Set(headers.filter((h, i) => h !== "" && headers.indexOf(h) !== i))];
  if (repeated.length > 0) {
    throw new ImportFileError(
      `More than one column is named ${repeated.map((h) => `“${h}”`).join(", ")}; rename or remove the extra ones.`,
    );
  }
  const customFields = await definitionsOf(db, actor.orgId, entityTypeOf[kind]);
  const { mapping, problems } = mapHeaders(kind, headers, options.mapping, customFields);
  if (problems.length > 0) throw new ImportFileError(problems.join(" "));
  const missing = requiredFields(kind).filter((f) => !mapping.includes(f));
  if (missing.length > 0 && !options.dryRun) {
    throw new ImportFileError(
      `The first row must be a header naming the columns. No column maps to ${missing.join(", ")} ` +
        `(found: ${headers.slice(0, 10).join(", ") || "nothing"}); rename the column or pass a mapping.`,
    );
  }
  let row = 0;
  return {
    headers,
    mapping,
    customFields,
    missing,
    records: {
      async next() {
        const record = await next(records);
        if (!record) return { done: true, value: undefined };
        row += 1;
        if (record.length !== headers.length) {
          throw new ImportFileError(
            `Row ${row} has ${record.length} cells but the header has ${headers.length}; the file's columns are misaligned.`,
          );
        }
        return { done: false, value: record };
      },
    },
    row: () => row,
    finished,
    close: () => parser.destroy(),
  };
}

async function next(records: AsyncIterator<string[]>): Promise<string[] | undefined> {
  try {
    const result = await records.next();
    return result.done ? undefined : result.value;
  } catch (error) {
    if (error instanceof ImportFileError) throw error;
    const code = (error as { code?: unknown }).code;
    if (typeof code === "string" && code.startsWith("CSV_")) {
      throw new ImportFileError(parserErrorMessage(error as { code: string; lines?: number; message: string }));
    }
    throw error;
  }
}

/**
 * The mapped cells by field. A leading `'` before = + - @ is the mark exports put on such values
 * so spreadsheets do not run them as formulas; it is taken off again, so an export imports as it was.
 */
function cellsOf(mapping: (string | null)[], record: string[]): Record<string, string> {
  const cells: Record<string, string> = {};
  for (let i = 0; i < mapping.length; i++) {
    const field = mapping[i];
    if (!field) continue;
    const cell = record[i] ?? "";
    cells[field] = cell.length > 1 && cell[0] === "'" && FORMULA_STARTS.includes(cell.charAt(1)) ? cell.slice(1) : cell;
  }
  return cells;
}
/** What may follow the `'` an export puts before a cell (see `cellsOf`). */
const FORMULA_STARTS = "=+-@\t\r";

export async function runImport(
  db: Db,
  actor: ImportActor,
  kind: ImportKind,
  source: ImportSource,
  options: ImportOptions,
  tuning: {
    batchSize?: number;
    onCommit?: (committedThroughRow: number) => void;
    /** Let a batch write while the previous one commits (needs a pool of connections, not PGlite). */
    overlap?: boolean;
  } = {},
): Promise<ImportResult> {
  const batchSize = tuning.batchSize ?? IMPORT_BATCH_SIZE;
  const reader = await openReader(db, actor, kind, source, options);
  const mappingRecord = Object.fromEntries(reader.headers.map((h, i) => [h, reader.mapping[i] ?? null]));
  const validate = (record: string[]) => validateRow(kind, cellsOf(reader.mapping, record), reader.customFields);

  if (options.dryRun) {
    const rows: BatchRow<ImportKind>[] = [];
    const errors: PreviewError[] = [];
    // Rows cannot be read without their required fields: the columns are shown for mapping first.
    for (
      let r = reader.missing.length > 0 ? null : await reader.records.next();
      r && !r.done;
      r = await reader.records.next()
    ) {
      const result = validate(r.value);
      if (result.ok) {
        rows.push({
          row: reader.row(),
          value: result.value,
          given: result.given,
          extras: result.extras,
          cells: r.value,
        });
      } else {
        errors.push({ row: reader.row(), message: result.message, issues: result.issues, values: r.value });
      }
      if (reader.row() >= options.previewRows) break;
    }
    reader.close();
    // Rows that are valid but would fail as the import writes them (a company that does not exist,
    // a domain taken) are problems of the preview too.
    const actions = await previewActions(db, actor, kind, rows, options.dedupe);
    const ready: PreviewRow[] = [];
    rows.forEach((r, i) => {
      const action = actions[i] ?? "create";
      if (typeof action === "object") {
        errors.push({ row: r.row, message: issuesText([action.issue]), issues: [action.issue], values: r.cells });
      } else {
        ready.push({ row: r.row, action, values: r.value, tags: r.extras.tags, customFields: r.extras.customFields });
      }
    });
    return {
      dryRun: true,
      headers: reader.headers,
      mapping: mappingRecord,
      missing: reader.missing,
      rows: ready,
      errors: errors.sort((a, b) => a.row - b.row),
    };
  }

  const [job] = await db
    .insert(importJobs)
    .values({
      orgId: actor.orgId,
      userId: actor.userId,
      entityType: entityTypeOf[kind],
      status: "running",
      options: {
        dedupe: options.dedupe,
        headers: reader.headers,
        mapping: mappingRecord,
        batchSize,
        ...(options.uploadId ? { uploadId: options.uploadId } : {}),
      },
    })
    .returning();
  if (!job) throw new Error("import job insert returned no row");

  let storedErrors = 0;
  let batch: BatchRow<ImportKind>[] = [];
  let batchErrors: StoredError[] = [];

  // A batch commits while the next one is read and validated: Postgres and this process work in
  // parallel, and at most a few batches are held in memory. With `overlap`, the next batch's
  // writes also start before the previous one has committed, on a second connection, whenever its
  // planning cannot depend on that batch (`mayOverlap`); it commits only after that one did, so
  // the job's progress still names exactly the rows that are in.
  interface InFlight {
    rows: BatchRow<ImportKind>[];
    /** The batch has read what it plans with and created its tags. */
    planned: Promise<void>;
    /** Its transaction has committed (rejects when it failed). */
    committed: Promise<void>;
  }
  let last: InFlight | undefined;
  const pending = new Set<Promise<void>>();
  /** The first batch that failed: nothing more is read or written after it. */
  let failure: { error: unknown } | undefined;

  const commit = async (
    rows: typeof batch,
    rowErrors: StoredError[],
    through: number,
    previous: InFlight | undefined,
    onPlanned: () => void,
  ) => {
    let kept = 0;
    await db.transaction(async (tx) => {
      if (tuning.overlap && previous) {
        // This transaction may sit idle while the previous batch commits (below): allow it longer
        // than the pool's limit for forgotten transactions. A dead gateway still ends it at once.
        await tx.execute(sql`set local idle_in_transaction_session_timeout = '120s'`);
      }
      const outcome: BatchOutcome = await applyBatch(
        tx,
        actor,
        kind,
        rows,
        options.dedupe,
        job.id,
        reader.customFields,
        onPlanned,
      );
      // Batches commit in file order; when the previous one failed, this one rolls back.
      await previous?.committed;
      const failures = [...rowErrors, ...outcome.failures].sort((a, b) => a.row - b.row);
      const keep = failures.slice(0, Math.max(0, MAX_STORED_ERRORS - storedErrors));
      kept = keep.length;
      await tx
        .update(importJobs)
        .set({
          processedRows: through,
          committedThroughRow: through,
          inserted: sql`${importJobs.inserted} + ${outcome.inserted}`,
          updated: sql`${importJobs.updated} + ${outcome.updated}`,
          skipped: sql`${importJobs.skipped} + ${outcome.skipped}`,
          failed: sql`${importJobs.failed} + ${failures.length}`,
          errors: kept > 0 ? sql`${importJobs.errors} || ${JSON.stringify(keep)}::jsonb` : undefined,
        })
        .where(eq(importJobs.id, job.id));
    });
    storedErrors += kept;
    tuning.onCommit?.(through);
  };
  const settled = () => Promise.allSettled([...pending]);
  const flush = async () => {
    if (failure) throw failure.error;
    const previous = last;
    if (previous) {
      if (tuning.overlap && mayOverlap(kind, options.dedupe, batch, previous.rows)) {
        // At most two batches write at once; this one starts once the previous one only writes.
        await previous.planned;
        if (pending.size > 1) await Promise.race(pending);
      } else {
        // The previous batch must be in before this one is planned: its rows may be this one's duplicates.
        await previous.committed;
      }
    }
    let onPlanned = () => {};
    const planned = new Promise<void>((resolve) => {
      onPlanned = resolve;
    });
    const committed = commit(batch, batchErrors, reader.row(), previous, onPlanned);
    // Seen at the next flush or at the end; until then it must not count as an unhandled rejection.
    committed.catch((error: unknown) => {
      failure ??= { error };
    });
    const done = committed.then(
      () => {},
      () => {},
    );
    pending.add(done);
    void done.then(() => {
      pending.delete(done);
      onPlanned();
    });
    last = { rows: batch, planned, committed };
    batch = [];
    batchErrors = [];
  };

  try {
    for (let r = await reader.records.next(); !r.done; r = await reader.records.next()) {
      const result = validate(r.value);
      if (result.ok) {
        batch.push({
          row: reader.row(),
          value: result.value,
          given: result.given,
          extras: result.extras,
          cells: r.value,
        });
      } else {
        batchErrors.push({ row: reader.row(), message: result.message, values: r.value });
      }
      if (batch.length + batchErrors.length >= batchSize) await flush();
    }
    if (batch.length + batchErrors.length > 0) await flush();
    await settled();
    if (failure) throw failure.error;
    await reader.finished;
  } catch (error) {
    // Whatever batches are committing finish (or fail) whole before the job is marked failed.
    await settled();
    reader.close();
    const message =
      error instanceof ImportFileError
        ? error.message
        : isAbort(error)
          ? "The upload was interrupted."
          : "The import stopped because of a server error.";
    const [failed] = await db
      .update(importJobs)
      .set({ status: "failed", message, finishedAt: new Date() })
      .where(eq(importJobs.id, job.id))
      .returning();
    throw Object.assign(error instanceof ImportFileError ? error : new ImportAbortedError(message, error), {
      job: failed,
    });
  }
  const [done] = await db
    .update(importJobs)
    .set({ status: "completed", finishedAt: new Date() })
    .where(eq(importJobs.id, job.id))
    .returning();
  if (!done) throw new Error("import job vanished");
  return { dryRun: false, job: done };
}

/** The upload ended early or the server failed mid-way; `job` says what was committed. */
export class ImportAbortedError extends Error {
  job?: ImportJob;
  constructor(message: string, cause: unknown) {
    super(message, { cause });
  }
}

function isAbort(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return code === "ECONNRESET" || code === "ERR_STREAM_PREMATURE_CLOSE" || code === "ABORT_ERR";
}

export type { RowValues };
