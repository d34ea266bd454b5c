import type { NextRequest } from "next/server";
import { callGateway, relayResponse, UNAVAILABLE_MESSAGE } from "~/server/gateway-proxy";

/** Same-origin entry for the browser's tRPC calls, streamed through to the gateway. */
export const dynamic = "force-dynamic";

const PROCEDURE_PATH = /^[\w.,-]{1,2000}$/;

function gatewayUnavailable(): Response {
  // The error envelope tRPC clients parse (superjson-wrapped), so the UI shows a message rather
  // than a parse failure.
  return Response.json(
    {
      error: {
        json: {
          message: UNAVAILABLE_MESSAGE,
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
  const upstream = await callGateway(request, `/trpc/${procedurePath}`, gatewayUnavailable);
  return relayResponse(upstream, { cookies: true });
}

export { forward as GET, forward as POST };
