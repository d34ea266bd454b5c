import type { AppRouter } from "@nexo/gateway";
import type { TRPCOptionsProxy } from "@trpc/tanstack-react-query";

/** Pending invites, built alike by the server page (prefetch) and the browser, so the keys match. */
export function invitesQuery(trpc: TRPCOptionsProxy<AppRouter>) {
  return trpc.auth.invites.list.infiniteQueryOptions(
    { status: "pending", limit: 50 },
    { getNextPageParam: (page) => page.nextCursor },
  );
}
