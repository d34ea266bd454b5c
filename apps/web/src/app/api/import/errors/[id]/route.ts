import type { NextRequest } from "next/server";
import { errorResponse, forwardToGateway } from "../../forward";

/** An import's error report (`errors.csv`, an attachment), from the gateway's `GET /import/:id/errors.csv`. */
export const dynamic = "force-dynamic";

const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export async function GET(
  request: NextRequest,
  { params }: RouteContext<"/api/import/errors/[id]">,
): Promise<Response> {
  const { id } = await params;
  if (!ID.test(id)) return errorResponse(404, "No such import.");
  return forwardToGateway(request, `/import/${id}/errors.csv`);
}
