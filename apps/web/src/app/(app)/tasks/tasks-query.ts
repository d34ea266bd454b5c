import type { AppRouter } from "@nexo/gateway";
import type { TRPCOptionsProxy } from "@trpc/tanstack-react-query";

export const TASKS_PAGE_SIZE = 25;

/** The groups of the page, in order: each is one of the API's non-overlapping due buckets. */
export const BUCKETS = [
  { due: "overdue", title: "Overdue" },
  { due: "today", title: "Today" },
  { due: "later", title: "Upcoming" },
] as const;
export type Bucket = (typeof BUCKETS)[number]["due"];

/** One group's tasks, built the same way by the server page and the browser (same cache key). */
export function tasksQuery(
  trpc: TRPCOptionsProxy<AppRouter>,
  due: Bucket,
  assigneeId: string | undefined,
  timeZone: string,
) {
  return trpc.crm.activities.tasks.infiniteQueryOptions(
    { due, assigneeId, timeZone, limit: TASKS_PAGE_SIZE },
    { getNextPageParam: (page) => page.nextCursor },
  );
}
