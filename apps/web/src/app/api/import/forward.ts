import "server-only";
import type { NextRequest } from "next/server";
import { env } from "~/env";

// What the gateway's CSV endpoints need to see, as for the tRPC proxy: the session (cookie or API
// token), the CSRF origin check, the client address (made trustworthy by scripts/serve.mjs) and the
// body's type.
const FORWARDED_REQUEST_HEADERS = [
  "accept",
  "accept-language",
  "authorization",
  "content-type",
  "cookie",
  "origin",
  "user-agent",
  "x-forwarded-for",
  "x-forwarded-host",
  "x-forwarded-proto",
  "x-request-id",
];

// Hop-by-hop headers, the encoding ones (fetch hands back a decoded body; Next frames the response
// itself) and cookies: these endpoints never set any.
const DROPPED_RESPONSE_HEADERS = new Set([
  "connection",
  "content-encoding",
  "content-length",
  "keep-alive",
  "proxy-authenticate",
  "set-cookie",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
]);

/** The JSON error the import page reads, for failures of the proxy itself. */
export function errorResponse(status: number, message: string): Response {
  return Response.json(
    { error: { message, code: status === 404 ? "NOT_FOUND" : "BAD_GATEWAY" } },
    { status, headers: { "cache-control": "no-store" } },
  );
}

/**
 * Streams the request to the gateway's `path` and its answer back: an upload flows through without
 * being held here, so the gateway's backpressure reaches the browser, and a browser that stops the
 * upload stops the gateway's import (the signal).
 */
export async function forwardToGateway(request: NextRequest, path: string): Promise<Response> {
  const headers = new Headers();
  for (const name of FORWARDED_REQUEST_HEADERS) {
    const value = request.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  const hasBody = request.method !== "GET" && request.method !== "HEAD";
  let upstream: Response;
  try {
    upstream = await fetch(`${env.GATEWAY_URL}${path}${request.nextUrl.search}`, {
      method: request.method,
      headers,
      body: hasBody ? request.body : undefined,
      // Required by Node's fetch to stream a request body.
      duplex: hasBody ? "half" : undefined,
      redirect: "manual",
      cache: "no-store",
      signal: request.signal,
    } as RequestInit & { duplex?: "half" });
  } catch (error) {
    if (request.signal.aborted) return new Response(null, { status: 499 });
    console.error("gateway request failed", { path, error });
    return errorResponse(502, "The service is unavailable right now. Please try again in a moment.");
  }
  const responseHeaders = new Headers();
  upstream.headers.forEach((value, name) => {
    if (!DROPPED_RESPONSE_HEADERS.has(name)) responseHeaders.set(name, value);
  });
  return new Response(upstream.body, { status: upstream.status, headers: responseHeaders });
}
