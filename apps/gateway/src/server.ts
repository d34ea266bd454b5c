import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { type AuthService, retryAfterSeconds } from "@nexo/auth";
import type { DbHandle } from "@nexo/db";
import { type Context, TRPCError } from "@nexo/trpc";
import { createCsvRoutes } from "./csv-routes";
import { loggableError } from "./error-log";
import type { Logger } from "./logger";
import { appRouter } from "./router";
import { trackForShutdown } from "./shutdown";
import { createTrpcHandler } from "./trpc-handler";

export interface GatewayOptions {
  db: DbHandle;
  auth: AuthService;
  log: Logger;
  /** The web app's URL: the only Origin allowed to send mutations with a session cookie. */
  appUrl: string;
  trustProxy: boolean;
  maxBodyBytes: number;
  /** Largest CSV accepted by POST /import/:kind (413 beyond). */
  maxImportBytes?: number;
  /** Per-procedure deadline (GATEWAY_TIMEOUT past it). */
  requestTimeoutMs?: number;
  /** Slow clients: headers must arrive within the first, the whole request within the second. */
  headersTimeoutMs?: number;
  bodyTimeoutMs?: number;
}

const REQUEST_ID = /^[\w.-]{8,100}$/;

/** The request's URL, or null when its target is not one. */
function requestUrl(target: string | undefined): URL | null {
  try {
    return new URL(target ?? "/", "http://gateway");
  } catch {
    return null;
  }
}
const MAX_BATCH = 20;
const READY_TIMEOUT_MS = 2000;

function clientIp(req: IncomingMessage, trustProxy: boolean): string {
  const forwarded = req.headers["x-forwarded-for"];
  if (trustProxy && typeof forwarded === "string") {
    const first = forwarded.split(",")[0]?.trim();
    if (first) return first;
  }
  return req.socket.remoteAddress ?? "unknown";
}

function toHeaders(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.set(name, value);
  }
  return headers;
}

function sendJson(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
}

function withTimeout(work: Promise<void>, ms: number): Promise<"ok" | "error"> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"error">((resolve) => {
    timer = setTimeout(() => resolve("error"), ms);
  });
  return Promise.race([
    work.then(
      () => "ok" as const,
      () => "error" as const,
    ),
    timeout,
  ]).finally(() => clearTimeout(timer));
}

/**
 * CSRF: a mutation that carries the session cookie must come from the app's own pages. Browsers send
 * Origin on every POST (same-origin too); without one, only `Sec-Fetch-Site: same-origin` vouches for
 * the request. Clients without cookies (scripts with `Authorization: Bearer`) are unaffected: a
 * cross-site page cannot make a browser attach that header.
 */
function isCrossSiteMutation(req: IncomingMessage, appOrigin: string): boolean {
  if (req.method !== "POST" || !req.headers.cookie) return false;
  const origin = req.headers.origin;
  if (origin !== undefined) return origin !== appOrigin;
  return req.headers["sec-fetch-site"] !== "same-origin";
}

export interface Gateway {
  server: Server;
  /** Stops accepting and resolves once in-flight requests are answered (cut after `timeoutMs`). */
  shutdown(timeoutMs: number): Promise<void>;
}

export function createGatewayServer(options: GatewayOptions): Gateway {
  const { db, auth, log, trustProxy } = options;
  const appOrigin = new URL(options.appUrl).origin;
  const requestIds = new WeakMap<IncomingMessage, string>();
  const maxImportBytes = options.maxImportBytes ?? 50 * 1024 * 1024;

  /** `headers`: the request's, when the caller has already made them into a `Headers`. */
  async function createContext(req: IncomingMessage, headers = toHeaders(req)): Promise<Context> {
    const requestId = requestIds.get(req) ?? randomUUID();
    // A renewed session re-issues its cookie on these headers.
    const resHeaders = new Headers();
    const ip = clientIp(req, trustProxy);
    let session: Context["session"];
    try {
      // The IP lets auth limit invalid bearer tokens per address before looking them up.
      session = await auth.resolveRequest({ headers, resHeaders, db: db.db, ip });
    } catch (error) {
      // An invalid (401) or rate-limited (429) API token answers for itself, unchanged.
      if (error instanceof TRPCError) throw error;
      log.warn({ err: error, requestId }, "session store unavailable");
      throw new TRPCError({
        code: "SERVICE_UNAVAILABLE",
        message: "Sign-in is temporarily unavailable. Please try again in a moment.",
      });
    }
    return {
      db: db.db,
      auth,
      log: log.child({ requestId }),
      requestId,
      headers,
      ip,
      resHeaders,
      session,
      deadlineMs: options.requestTimeoutMs,
      importMaxBytes: maxImportBytes,
      limitExpensive: (action, actor) => auth.limitExpensive(action, actor),
    };
  }

  const csvRoutes = createCsvRoutes({
    db,
    log,
    maxImportBytes,
    createContext,
    isCrossSite: (req) => isCrossSiteMutation(req, appOrigin),
  });

  const trpcHandler = createTrpcHandler({
    router: appRouter,
    maxBodySize: options.maxBodyBytes,
    maxBatchSize: MAX_BATCH,
    createContext,
    // Procedures set cookies on ctx.resHeaders; they reach the response here, with Retry-After when a
    // rate limit refused the call.
    responseMeta: ({ ctx, errors }) => {
      const wait = Math.max(0, ...errors.map((error) => retryAfterSeconds(error) ?? 0));
      if (wait === 0) return ctx ? { headers: ctx.resHeaders } : {};
      const headers = new Headers(ctx?.resHeaders);
      headers.set("retry-after", String(wait));
      return { headers };
    },
    onError({ error, path, ctx }) {
      const procedureLog = ctx?.log ?? log;
      if (error.code === "INTERNAL_SERVER_ERROR") {
        procedureLog.error({ error: loggableError(error), procedure: path }, "procedure failed");
      } else if (error.code === "SERVICE_UNAVAILABLE" || error.code === "GATEWAY_TIMEOUT") {
        procedureLog.warn(
          { code: error.code, error: loggableError(error).chain.at(-1), procedure: path },
          "procedure degraded",
        );
      }
    },
  });

  const headersTimeout = options.headersTimeoutMs ?? 10_000;
  const server = createServer(
    {
      headersTimeout,
      requestTimeout: headersTimeout + (options.bodyTimeoutMs ?? 30_000),
      // How often Node looks for clients past those timeouts (its default is every 30 s).
      connectionsCheckingInterval: Math.min(5_000, Math.max(100, Math.floor(headersTimeout / 2))),
    },
    async (req, res) => {
      const started = process.hrtime.bigint();
      const incomingId = req.headers["x-request-id"];
      const requestId = typeof incomingId === "string" && REQUEST_ID.test(incomingId) ? incomingId : randomUUID();
      requestIds.set(req, requestId);
      res.setHeader("x-request-id", requestId);
      // A request target Node's parser lets through but that is no URL (`http://[x/`, say) is refused
      // here: parsing it later would throw outside any handler.
      const url = requestUrl(req.url);

      res.on("finish", () => {
        const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
        const isProbe = url?.pathname === "/healthz" || url?.pathname === "/readyz";
        log[isProbe ? "debug" : "info"](
          {
            requestId,
            method: req.method,
            // Only the procedure names: inputs in the query string may hold personal data.
            procedure: !url ? null : url.pathname.startsWith("/trpc/") ? url.pathname.slice(6) : url.pathname,
            status: res.statusCode,
            durationMs: Math.round(durationMs * 10) / 10,
          },
          "request",
        );
      });

      try {
        if (!url) return sendJson(res, 400, { error: { message: "Bad request target.", code: "BAD_REQUEST" } });
        if (url.pathname === "/healthz") return sendJson(res, 200, { status: "ok" });
        if (url.pathname === "/readyz") {
          const [database, sessions] = await Promise.all([
            withTimeout(db.ping(), READY_TIMEOUT_MS),
            withTimeout(auth.ping(), READY_TIMEOUT_MS),
          ]);
          const ready = database === "ok" && sessions === "ok";
          return sendJson(res, ready ? 200 : 503, { status: ready ? "ok" : "unavailable", database, sessions });
        }
        if (url.pathname.startsWith("/trpc/")) {
          if (isCrossSiteMutation(req, appOrigin)) {
            return sendJson(res, 403, {
              error: { message: "Cross-site request refused.", code: "FORBIDDEN" },
            });
          }
          return await trpcHandler(req, res, url.pathname.slice("/trpc/".length));
        }
        if (await csvRoutes(req, res, url)) return;
        return sendJson(res, 404, { error: { message: "Not found.", code: "NOT_FOUND" } });
      } catch (error) {
        log.error({ err: error, requestId }, "unhandled request error");
        if (!res.headersSent)
          sendJson(res, 500, { error: { message: "Internal error.", code: "INTERNAL_SERVER_ERROR" } });
        else res.destroy();
      }
    },
  );
  return { server, shutdown: trackForShutdown(server) };
}
