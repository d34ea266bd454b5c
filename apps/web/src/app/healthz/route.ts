/**
 * Liveness of this server process only (container HEALTHCHECK, e2e readiness). It does not call
 * the gateway: a gateway outage must not get the web containers restarted.
 */
export const dynamic = "force-dynamic";

export function GET() {
  return Response.json({ status: "ok" }, { headers: { "cache-control": "no-store" } });
}
