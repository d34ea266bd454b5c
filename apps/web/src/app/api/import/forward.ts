import "server-only";
import type { NextRequest } from "next/server";
import { callGateway, relayResponse, UNAVAILABLE_MESSAGE } from "~/server/gateway-proxy";

/** The JSON error the import page reads, for failures of the proxy itself. */
export function errorResponse(status: number, message: string): Response {
  return Response.json(
    { error: { message, code: status === 404 ? "NOT_FOUND" : "BAD_GATEWAY" } },
    { status, headers: { "cache-control": "no-store" } },
  );
}

/** The gateway's CSV import endpoint at `path`, streamed both ways (they never set cookies). */
export async function forwardToGateway(request: NextRequest, path: string): Promise<Response> {
  return relayResponse(await callGateway(request, path, () => errorResponse(502, UNAVAILABLE_MESSAGE)));
}
