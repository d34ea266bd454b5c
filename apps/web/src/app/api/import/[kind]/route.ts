import type { NextRequest } from "next/server";
import { errorResponse, forwardToGateway } from "../forward";

/**
 * Same-origin entry for CSV uploads: the file (raw body, `text/csv`) and the options (query string:
 * dryRun, dedupe, mapping, previewRows, uploadId) go to the gateway's `POST /import/:kind` as they come.
 */
export const dynamic = "force-dynamic";

const KINDS = new Set(["contacts", "companies", "deals"]);

export async function POST(request: NextRequest, { params }: RouteContext<"/api/import/[kind]">): Promise<Response> {
  const { kind } = await params;
  if (!KINDS.has(kind)) return errorResponse(404, "Import contacts, companies or deals.");
  return forwardToGateway(request, `/import/${kind}`);
}
