import type { AppRouter } from "@nexo/gateway";
import type { TRPCOptionsProxy } from "@trpc/tanstack-react-query";

/** Cards per column on first load; "Load more" (or scrolling to the end) fetches the next ones. */
export const CARDS_PER_STAGE = 25;

/**
 * The board query, built the same way by the server page (prefetch) and the browser, so the
 * hydrated data is used as is.
 */
export function boardQuery(trpc: TRPCOptionsProxy<AppRouter>, pipelineId: string) {
  return trpc.crm.deals.board.queryOptions({ pipelineId, perStage: CARDS_PER_STAGE });
}
