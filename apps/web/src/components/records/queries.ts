import type { AppRouter } from "@nexo/gateway";
import type { TRPCOptionsProxy } from "@trpc/tanstack-react-query";

export type RecordType = "contact" | "company" | "deal";

export const TIMELINE_PAGE_SIZE = 20;

/**
 * A record's timeline, built the same way by the server page (prefetch) and the browser, so the
 * hydrated first page is used as is.
 */
export function timelineQuery(trpc: TRPCOptionsProxy<AppRouter>, entityType: RecordType, entityId: string) {
  return trpc.crm.activities.timeline.infiniteQueryOptions(
    { entityType, entityId, limit: TIMELINE_PAGE_SIZE },
    { getNextPageParam: (page) => page.nextCursor },
  );
}

/** Up to this many related records are listed on a record page. */
export const RELATED_LIMIT = 50;
