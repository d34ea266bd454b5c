import type { NextRequest } from "next/server";
import { env } from "~/env";

/**
 * Same-origin entry for the browser's tRPC calls, streamed through to the gateway. A route handler
 * rather than a `rewrites()` entry because rewrites are frozen into the build, while the gateway's
 * address is per deployment (`GATEWAY_URL`, read when the server starts).
 */
export const dynamic = "force-dynamic";

// What the gateway needs to see: the session (cookie, or an API token in `authorization` — a
// cross-site page cannot set that header without a CORS preflight, which this route does not
// answer), the CSRF origin check, the client address (made trustworthy by scripts/serve.mjs) and
// tRPC's content negotiation (`trpc-accept` switches the streaming link's responses to JSON lines).
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
// compresses and frames the response itself.
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

const PROCEDURE_PATH = /^[\w.,-]{1,2000}$/;

function gatewayUnavailable(): Response {
  // The error envelope tRPC clients parse (superjson-wrapped), so the UI shows a message rather
  // than a parse failure.
  return Response.json(
    {
      error: {
        json: {
          message: "The service is unavailable right now. Please try again in a moment.",
          code: -32603,
          data: { code: "INTERNAL_SERVER_ERROR", httpStatus: 502 },
        },
      },
    },
    { status: 502, headers: { "cache-control": "no-store" } },
  );
}

async function forward(request: NextRequest, { params }: { params: Promise<{ trpc: string }> }): Promise<Response> {
  const { trpc: procedurePath } = await params;
  // Procedure names, comma-joined when batched; anything else is not a tRPC call.
  if (!PROCEDURE_PATH.test(procedurePath)) return Response.json({ error: "Not found." }, { status: 404 });
  const target = `${env.GATEWAY_URL}/trpc/${procedurePath}${request.nextUrl.search}`;

  const headers = new Headers();
  for (const name of FORWARDED_REQUEST_HEADERS) {
    const value = request.headers.get(name);
    if (value !== null) headers.set(name, value);
  }

  const hasBody = request.method !== "GET" && request.method !== "HEAD";
  let upstream: Response;
  try {
    upstream = await fetch(target, {
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
    console.error("gateway request failed", { procedure: procedurePath, error });
    return gatewayUnavailable();
  }

  const responseHeaders = new Headers();
  upstream.headers.forEach((value, name) => {
    if (!DROPPED_RESPONSE_HEADERS.has(name)) responseHeaders.set(name, value);
  });
  // Several cookies may be set at once; a plain header copy would fold them into one.
  for (const cookie of upstream.headers.getSetCookie()) responseHeaders.append("set-cookie", cookie);

  return new Response(upstream.body, { status: upstream.status, headers: responseHeaders });
}

export { forward as GET, forward as POST };
