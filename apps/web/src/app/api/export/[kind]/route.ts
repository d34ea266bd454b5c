import type { NextRequest } from "next/server";
import { callGateway, relayResponse, UNAVAILABLE_MESSAGE } from "~/server/gateway-proxy";

/**
 * Same-origin download of a list as CSV: streamed through from the gateway's
 * `GET /export/:kind.csv` (which pages through the list procedure with these filters), so a large
 * export never sits in this server's memory. The query string is the gateway's, passed on as is.
 */
export const dynamic = "force-dynamic";

const KINDS = new Set(["contacts", "companies", "deals"]);

const PASSED_RESPONSE_HEADERS = ["cache-control", "content-disposition", "content-type", "x-request-id"];

export async function GET(request: NextRequest, { params }: { params: Promise<{ kind: string }> }): Promise<Response> {
  const { kind } = await params;
  if (!KINDS.has(kind)) return Response.json({ error: { message: "Not found." } }, { status: 404 });

  const upstream = await callGateway(request, `/export/${kind}.csv`, () =>
    Response.json(
      { error: { message: UNAVAILABLE_MESSAGE } },
      { status: 502, headers: { "cache-control": "no-store" } },
    ),
  );

  // A link followed after the session ended goes to the sign-in page rather than to a JSON error.
  if (upstream.status === 401) {
    await upstream.body?.cancel();
    return new Response(null, { status: 303, headers: { location: "/login", "cache-control": "no-store" } });
  }

  return relayResponse(upstream, { only: PASSED_RESPONSE_HEADERS });
}
