import type { IncomingMessage, ServerResponse } from "node:http";
import type { AnyTRPCRouter, inferRouterContext } from "@trpc/server";
import { incomingMessageToRequest, internal_exceptionHandler } from "@trpc/server/adapters/node-http";
import { type HTTPBaseHandlerOptions, resolveResponse } from "@trpc/server/http";

export interface TrpcHandlerOptions<TRouter extends AnyTRPCRouter>
  extends Omit<HTTPBaseHandlerOptions<TRouter, IncomingMessage>, "onError"> {
  /** `headers` are the request's, as the Request given to tRPC holds them. */
  createContext(req: IncomingMessage, headers: Headers): Promise<inferRouterContext<TRouter>>;
  onError?: HTTPBaseHandlerOptions<TRouter, IncomingMessage>["onError"];
  maxBodySize: number;
}

/** Whether the caller asked for tRPC's streamed batch (httpBatchStreamLink), answered piece by piece. */
function wantsStream(req: IncomingMessage): boolean {
  const accept = req.headers["trpc-accept"];
  if (typeof accept === "string") return accept === "application/jsonl";
  return req.headers.accept?.split(",").some((type) => type.trim() === "application/jsonl") ?? false;
}

async function writeStream(body: ReadableStream<Uint8Array>, res: ServerResponse, signal: AbortSignal) {
  const reader = body.getReader();
  const cancel = () => reader.cancel().catch(() => {});
  signal.addEventListener("abort", cancel, { once: true });
  try {
    for (;;) {
      // A client gone (before the first piece too) cancels the stream, and with it the procedures'
      // iterables.
      if (signal.aborted || res.destroyed) {
        await cancel();
        return;
      }
      const { done, value } = await reader.read();
      if (done) return;
      if (!res.write(value)) {
        await new Promise<void>((resolve) => {
          const settle = () => {
            res.off("drain", settle);
            res.off("close", settle);
            resolve();
          };
          res.once("drain", settle);
          res.once("close", settle);
        });
      }
    }
  } finally {
    signal.removeEventListener("abort", cancel);
    reader.releaseLock();
  }
}

/**
 * tRPC over node:http, as `@trpc/server/adapters/standalone` does it, except for how the answer is
 * written: a plain (non-streamed) answer goes out in one write with its Content-Length, where the
 * standalone adapter pipes it through a web WritableStream as a chunked body and ends it with a
 * second write. Streamed batches (`trpc-accept: application/jsonl`) and event streams are still
 * written piece by piece as they are produced.
 */
export function createTrpcHandler<TRouter extends AnyTRPCRouter>(options: TrpcHandlerOptions<TRouter>) {
  const { createContext, onError, maxBodySize, ...resolveOptions } = options;
  return async (req: IncomingMessage, res: ServerResponse, path: string): Promise<void> => {
    try {
      const request = incomingMessageToRequest(req, res, { maxBodySize });
      const response = await resolveResponse({
        ...resolveOptions,
        req: request,
        path,
        error: null,
        createContext: () => createContext(req, request.headers),
        onError: onError ? (o) => onError({ ...o, req }) : undefined,
      });
      res.statusCode = response.status;
      for (const [name, value] of response.headers) {
        if (name !== "set-cookie") res.setHeader(name, value);
      }
      const cookies = response.headers.getSetCookie();
      if (cookies.length > 0) res.setHeader("set-cookie", cookies);
      if (!response.body) {
        res.end();
        return;
      }
      const streamed = wantsStream(req) || response.headers.get("content-type")?.startsWith("text/event-stream");
      if (streamed) {
        try {
          await writeStream(response.body, res, request.signal);
        } finally {
          res.end();
        }
        return;
      }
      const body = Buffer.from(await response.arrayBuffer());
      res.setHeader("content-length", body.byteLength);
      res.end(body);
    } catch (error) {
      if (res.headersSent) res.destroy();
      else internal_exceptionHandler({ ...options, req, res, path } as never)(error);
    }
  };
}
