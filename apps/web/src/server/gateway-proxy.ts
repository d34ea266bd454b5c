import "server-only";
import type { NextRequest } from "next/server";
import { env } from "~/env";

/**
 * The one way the web server passes a browser's request on to the gateway (tRPC, CSV import and
 * export): streamed both ways, so an upload flows through without being held here (the gateway's
 * backpressure reaches the browser) and a browser that goes away stops the gateway's work (the
 * signal). Route handlers rather than `rewrites()` because rewrites are frozen into the build,
 * while the gateway's address is per deployment (`GATEWAY_URL`, read when the server starts).
 */

// What the gateway needs to see: the session (cookie, or an API token in `authorization` — a
// cross-site page cannot set that header without a CORS preflight, which these routes do not
// answer), the CSRF origin check, the client address (made trustworthy by scripts/serve.mjs), the
// body's type and tRPC's content negotiation (`trpc-accept` switches the streaming link's responses
// to JSON lines). Nothing else of the browser's request.
const FORWARDED_REQUEST_HEADERS = [
  "accept",
  "accept-language",
  "authorization",
  "content-type",
  "cookie",
  "origin",
  "trpc-accept",
  "user-agent",
  "x-forwarded-for",
  "x-forwarded-host",
  "x-forwarded-proto",
  "x-request-id",
];

// Hop-by-hop headers, plus the encoding ones: fetch hands back a decoded body, and Next
// compresses and frames the response itself. Cookies are copied apart (see relayResponse).
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

export const UNAVAILABLE_MESSAGE = "The service is unavailable right now. Please try again in a moment.";

/**
 * Sends `request` to the gateway's `path` (the browser's query string appended) and returns the
 * gateway's answer; when the gateway cannot be reached, `unavailable()` (logged), and when the
 * browser has gone, an empty 499.
 */
export async function callGateway(request: NextRequest, path: string, unavailable: () => Response): Promise<Response> {
  const headers = new Headers();
  for (const name of FORWARDED_REQUEST_HEADERS) {
    const value = request.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  const hasBody = request.method !== "GET" && request.method !== "HEAD";
  try {
    return await fetch(`${env.GATEWAY_URL}${path}${request.nextUrl.search}`, {
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
    return unavailable();
  }
}

interface RelayOptions {
  /** Pass the gateway's `set-cookie` headers on (sign-in, sign-out, session rotation). */
  cookies?: boolean;
  /** Pass only these response headers (a download needs its type and file name, nothing else). */
  only?: string[];
}

/** The gateway's answer as this server's response, its body streamed through. */
export function relayResponse(upstream: Response, { cookies = false, only }: RelayOptions = {}): Response {
  const headers = new Headers();
  upstream.headers.forEach((value, name) => {
    if (only ? only.includes(name) : !DROPPED_RESPONSE_HEADERS.has(name)) headers.set(name, value);
  });
  // Several cookies may be set at once; a plain header copy would fold them into one.
  if (cookies) for (const cookie of upstream.headers.getSetCookie()) headers.append("set-cookie", cookie);
  return new Response(upstream.body, { status: upstream.status, headers });
}
