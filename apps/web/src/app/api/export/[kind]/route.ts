import type { NextRequest } from "next/server";
import { env } from "~/env";

/**
 * Same-origin download of a list as CSV: streamed through from the gateway's
 * `GET /export/:kind.csv` (which pages through the list procedure with these filters), so a large
 * export never sits in this server's memory. The query string is the gateway's, passed on as is.
 */
export const dynamic = "force-dynamic";

const KINDS = new Set(["contacts", "companies", "deals"]);

// The session and what the gateway logs about the caller; nothing else of the browser's request.
const FORWARDED_REQUEST_HEADERS = [
  "accept-language",
  "authorization",
  "cookie",
  "user-agent",
  "x-forwarded-for",
  "x-forwarded-host",
  "x-forwarded-proto",
  "x-request-id",
];

const PASSED_RESPONSE_HEADERS = ["cache-control", "content-disposition", "content-type", "x-request-id"];

export async function GET(request: NextRequest, { params }: { params: Promise<{ kind: string }> }): Promise<Response> {
  const { kind } = await params;
  if (!KINDS.has(kind)) return Response.json({ error: { message: "Not found." } }, { status: 404 });

  const headers = new Headers();
  for (const name of FORWARDED_REQUEST_HEADERS) {
    const value = request.headers.get(name);
    if (value !== null) headers.set(name, value);
  }

  let upstream: Response;
  try {
    upstream = await fetch(`${env.GATEWAY_URL}/export/${kind}.csv${request.nextUrl.search}`, {
      headers,
      redirect: "manual",
      cache: "no-store",
      signal: request.signal,
    });
  } catch (error) {
    if (request.signal.aborted) return new Response(null, { status: 499 });
    console.error("export request failed", { kind, error });
    return Response.json(
      { error: { message: "The service is unavailable right now. Please try again in a moment." } },
      { status: 502, headers: { "cache-control": "no-store" } },
    );
  }

  // A link followed after the session ended goes to the sign-in page rather than to a JSON error.
  if (upstream.status === 401) {
    await upstream.body?.cancel();
    return new Response(null, { status: 303, headers: { location: "/login", "cache-control": "no-store" } });
  }

  const responseHeaders = new Headers();
  for (const name of PASSED_RESPONSE_HEADERS) {
    const value = upstream.headers.get(name);
    if (value !== null) responseHeaders.set(name, value);
  }
  return new Response(upstream.body, { status: upstream.status, headers: responseHeaders });
}
