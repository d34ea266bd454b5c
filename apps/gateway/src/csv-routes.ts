/**
 * The CSV endpoints, outside tRPC because their bodies are files streamed in and out:
 *   POST /import/:kind                 the file as the raw body; options in the query string
 *   GET  /import/:id/errors.csv        the failed rows of an import, with reasons
 *   GET  /export/:kind.csv?<filters>   the list procedure's filters as query parameters (a custom field
 *                                      filter also as JSON, `customField={"key":…,"op":…,"value":…}`,
 *                                      since its value may be a number, true/false or a list)
 * They authenticate exactly like /trpc (the same context builder, cookie or bearer token, the same
 * cross-site check) and check the same permission matrix.
 */
import { once } from "node:events";
import type { IncomingMessage, ServerResponse } from "node:http";
import { PassThrough } from "node:stream";
import { retryAfterSeconds } from "@nexo/auth";
import {
  type ExportKind,
  exportCsv,
  exportFilterNames,
  ImportAbortedError,
  ImportFileError,
  type ImportKind,
  importErrorReport,
  importOptions,
  type ListPage,
  refreshStatisticsAfterImport,
  runImport,
} from "@nexo/crm";
import { and, type DbHandle, eq, type ImportJob, importJobs } from "@nexo/db";
import { type Context, can, createCallerFactory, isServiceUnavailable, type Permission, TRPCError } from "@nexo/trpc";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { ZodError } from "zod";
import type { Logger } from "./logger";
import { appRouter } from "./router";

const createCaller = createCallerFactory(appRouter);

export interface CsvRoutesOptions {
  db: DbHandle;
  log: Logger;
  maxImportBytes: number;
  createContext(req: IncomingMessage): Promise<Context>;
  isCrossSite(req: IncomingMessage): boolean;
}

const IMPORT_PATH = /^\/import\/(contacts|companies|deals)$/;
const ERRORS_PATH = /^\/import\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/errors\.csv$/i;
const EXPORT_PATH = /^\/export\/(contacts|companies|deals)\.csv$/;
const ACCEPTED_TYPES =
  /^(text\/csv|text\/plain|application\/csv|application\/octet-stream|application\/vnd\.ms-excel)\b/;

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
}

/** `createdAt.from=2025-01-01` → `{ createdAt: { from: "2025-01-01" } }`; numbers stay strings. */
function queryObject(params: URLSearchParams): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of params) {
    const [head, sub] = key.split(".", 2);
    if (!head) continue;
    if (sub) out[head] = { ...((out[head] as Record<string, unknown>) ?? {}), [sub]: value };
    else out[head] = value;
  }
  return out;
}

async function write(res: ServerResponse, chunk: string) {
  if (!res.write(chunk)) await Promise.race([once(res, "drain"), once(res, "close")]);
}

export function createCsvRoutes(options: CsvRoutesOptions) {
  const { db, log } = options;

  async function authorize(req: IncomingMessage, permission: Permission) {
    const ctx = await options.createContext(req);
    if (!ctx.session) throw new HttpError(401, "UNAUTHORIZED", "Please sign in.");
    if (!can(ctx.session.role, permission)) {
      throw new HttpError(403, "FORBIDDEN", `Your role (${ctx.session.role}) does not allow this.`);
    }
    return { ctx, session: ctx.session };
  }

  async function importFile(req: IncomingMessage, res: ServerResponse, kind: ImportKind, url: URL) {
    if (req.method !== "POST") throw new HttpError(405, "METHOD_NOT_SUPPORTED", "Upload the file with POST.");
    if (options.isCrossSite(req)) throw new HttpError(403, "FORBIDDEN", "Cross-site request refused.");
    const { ctx, session } = await authorize(req, "import.run");
    const type = req.headers["content-type"];
    if (type && !ACCEPTED_TYPES.test(type)) {
      throw new HttpError(
        415,
        "UNSUPPORTED_MEDIA_TYPE",
        "Send the CSV file itself as the body (Content-Type: text/csv).",
      );
    }
    if (Number(req.headers["content-length"] ?? 0) > options.maxImportBytes) {
      throw new HttpError(413, "PAYLOAD_TOO_LARGE", `The file is larger than ${options.maxImportBytes} bytes.`);
    }
    const query = queryObject(url.searchParams);
    let mapping: unknown;
    try {
      mapping = typeof query.mapping === "string" ? JSON.parse(query.mapping) : undefined;
    } catch {
      throw new HttpError(400, "BAD_REQUEST", 'mapping must be JSON, e.g. {"Given name":"firstName"}.');
    }
    const parsed = importOptions.safeParse({
      dryRun: query.dryRun === "true" || query.dryRun === "1",
      dedupe: query.dedupe,
      mapping,
      previewRows: query.previewRows === undefined ? undefined : Number(query.previewRows),
      uploadId: query.uploadId,
    });
    if (!parsed.success) {
      throw new HttpError(
        400,
        "BAD_REQUEST",
        parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "),
      );
    }

    // A dry run reads a few rows and writes nothing; an import is the expensive part.
    if (!parsed.data.dryRun) await ctx.limitExpensive?.("import", session);

    // The importer reads from this pipe, not from the request: when it stops early (a dry run, a bad
    // file) the request is drained instead of destroyed, so the client still gets the answer.
    const body = new PassThrough();
    req.pipe(body);
    req.on("close", () => {
      if (!req.complete) body.destroy(Object.assign(new Error("upload aborted"), { code: "ECONNRESET" }));
    });
    // An answer given before the whole upload was read (a preview, a bad file) closes the connection
    // once the rest is drained, as the header must say before it is sent.
    const answer = (status: number, payload: unknown) => {
      if (!req.complete) res.setHeader("connection", "close");
      sendJson(res, status, payload);
    };
    // Before answering, also when an import stopped part-way (its committed batches stay): the lists
    // the uploader opens next are planned for the tables as they now are.
    const refreshStatistics = (job: ImportJob) =>
      refreshStatisticsAfterImport(db.db, kind, job).catch((error: unknown) => {
        log.warn({ importId: job.id, err: error }, "statistics not refreshed after the import");
      });
    try {
      const result = await runImport(
        db.db,
        { orgId: session.orgId, userId: session.userId, role: session.role },
        kind,
        { body, maxBytes: options.maxImportBytes },
        parsed.data,
        // With a pool of connections a batch is written while the previous one commits; PGlite has one.
        { overlap: db.kind === "postgres" },
      );
      if (!result.dryRun) await refreshStatistics(result.job);
      answer(200, result);
    } catch (error) {
      if (error instanceof ImportFileError) {
        if (error.job) await refreshStatistics(error.job);
        answer(error.status, {
          error: { message: error.message, code: error.status === 413 ? "PAYLOAD_TOO_LARGE" : "BAD_REQUEST" },
          job: error.job ?? null,
        });
      } else if (error instanceof ImportAbortedError) {
        log.warn({ importId: error.job?.id, message: error.message }, "import stopped");
        // The job (committed rows included) is in the answer whenever the client is still there.
        const unavailable = isServiceUnavailable(error.cause);
        if (error.job && !unavailable) await refreshStatistics(error.job);
        if (!res.destroyed) {
          answer(unavailable ? 503 : 500, {
            error: {
              message: unavailable ? "The database is temporarily unavailable; the import stopped." : error.message,
              code: unavailable ? "SERVICE_UNAVAILABLE" : "INTERNAL_SERVER_ERROR",
            },
            job: error.job ?? null,
          });
        }
      } else if ((error as { code?: unknown }).code === "ECONNRESET") {
        return;
      } else {
        throw error;
      }
    } finally {
      req.unpipe(body);
      if (!req.complete && !req.destroyed) req.resume();
    }
  }

  async function errorReport(req: IncomingMessage, res: ServerResponse, id: string) {
    const { session } = await authorize(req, "import.run");
    const [job] = await db.db
      .select({ options: importJobs.options, errors: importJobs.errors })
      .from(importJobs)
      .where(and(eq(importJobs.orgId, session.orgId), eq(importJobs.id, id)));
    if (!job) throw new HttpError(404, "NOT_FOUND", "Import not found.");
    const headers = Array.isArray(job.options.headers) ? job.options.headers.map(String) : [];
    res.writeHead(200, {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="import-${id}-errors.csv"`,
      "cache-control": "no-store",
    });
    for (const chunk of importErrorReport(headers, job.errors)) await write(res, chunk);
    res.end();
  }

  async function exportList(req: IncomingMessage, res: ServerResponse, kind: ExportKind, url: URL) {
    const { ctx, session } = await authorize(req, "export.run");
    await ctx.limitExpensive?.("export", session);
    const caller = createCaller(ctx);
    // A misspelt filter would otherwise be dropped by the list's input, and everything exported.
    const known = exportFilterNames(kind);
    for (const key of new Set(url.searchParams.keys())) {
      const [head = "", sub] = key.split(".", 2);
      const fits =
        sub === undefined ? known.names.includes(head) : known.ranges.includes(head) && /^(from|to)$/.test(sub);
      if (!fits) {
        throw new HttpError(
          400,
          "BAD_REQUEST",
          `Unknown filter “${key}”. An export of ${kind} takes ${known.names.join(", ")}` +
            ` (${known.ranges.map((r) => `${r}.from, ${r}.to`).join(", ")}).`,
        );
      }
    }
    const filters = queryObject(url.searchParams);
    if (typeof filters.customField === "string") {
      try {
        filters.customField = JSON.parse(filters.customField);
      } catch {
        throw new HttpError(400, "BAD_REQUEST", 'customField must be JSON, e.g. {"key":"tier","op":"eq","value":3}.');
      }
    }
    delete filters.cursor;
    delete filters.limit;
    // Each page is the list procedure itself: its input validation, scoping and permissions apply.
    const list = (cursor: string | null) =>
      caller.crm[kind].list({ ...filters, cursor, limit: 100 } as never) as Promise<ListPage>;
    const entityType = ({ contacts: "contact", companies: "company", deals: "deal" } as const)[kind];
    const [customFields, pipelines] = await Promise.all([
      caller.crm.customFields.list({ entityType }),
      kind === "deals" ? caller.crm.pipelines.list() : [],
    ]);
    const names = new Map(
      pipelines.flatMap((p) => [[p.id, p.name] as const, ...p.stages.map((s) => [s.id, s.name] as const)]),
    );
    const chunks = exportCsv(kind, list, { customFields, names });
    // The first page is fetched before answering, so a bad filter is a 400 rather than a cut-off file.
    const first = await chunks.next();
    const second = await chunks.next();
    const date = new Date().toISOString().slice(0, 10);
    res.writeHead(200, {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${kind}-${date}.csv"`,
      "cache-control": "no-store",
    });
    if (!first.done) await write(res, first.value);
    if (!second.done) await write(res, second.value);
    if (!second.done) {
      for await (const chunk of chunks) {
        if (res.destroyed) return;
        await write(res, chunk);
      }
    }
    res.end();
  }

  /** Answers the request when it is one of these routes; false otherwise. */
  return async function handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    const importMatch = IMPORT_PATH.exec(url.pathname);
    const errorsMatch = ERRORS_PATH.exec(url.pathname);
    const exportMatch = EXPORT_PATH.exec(url.pathname);
    if (!importMatch && !errorsMatch && !exportMatch) return false;
    try {
      if (importMatch) await importFile(req, res, importMatch[1] as ImportKind, url);
      else if (errorsMatch) await errorReport(req, res, errorsMatch[1] as string);
      else if (exportMatch) await exportList(req, res, exportMatch[1] as ExportKind, url);
    } catch (error) {
      if (res.headersSent) {
        log.warn({ err: error, path: url.pathname }, "csv response cut short");
        res.destroy();
        return true;
      }
      if (req.method === "POST" && !req.complete) {
        res.setHeader("connection", "close");
        req.resume();
      }
      if (error instanceof HttpError)
        sendJson(res, error.status, { error: { message: error.message, code: error.code } });
      else if (error instanceof TRPCError) {
        const wait = retryAfterSeconds(error);
        if (wait !== undefined) res.setHeader("retry-after", String(wait));
        const message =
          error.cause instanceof ZodError
            ? error.cause.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")
            : error.code === "INTERNAL_SERVER_ERROR"
              ? "Something went wrong on our side."
              : error.message;
        sendJson(res, getHTTPStatusCodeFromError(error), { error: { message, code: error.code } });
      } else throw error;
    }
    return true;
  };
}
