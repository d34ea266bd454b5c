import type { AppRouter } from "@nexo/gateway";
import type { TRPCOptionsProxy } from "@trpc/tanstack-react-query";

type Trpc = TRPCOptionsProxy<AppRouter>;

/** Months of won/lost history shown, this month included. */
export const WON_LOST_MONTHS = 6;
/** Activities are counted for this month. */
export const ACTIVITY_MONTHS = 1;
export const TASKS_SHOWN = 8;

/**
 * Every query the dashboard shows, built the same way by the server page (prefetch) and the
 * browser, so the hydrated data is used as is. Months and "today" are the reader's, in `timeZone`.
 */
export const dashboardQueries = {
  pipeline: (trpc: Trpc, pipelineId: string) => trpc.crm.dashboard.pipeline.queryOptions({ pipelineId }),
  wonLost: (trpc: Trpc, timeZone: string) =>
    trpc.crm.dashboard.wonLost.queryOptions({ months: WON_LOST_MONTHS, timeZone }),
  activities: (trpc: Trpc, timeZone: string) =>
    trpc.crm.dashboard.activitiesPerMember.queryOptions({ months: ACTIVITY_MONTHS, timeZone }),
  taskCounts: (trpc: Trpc, timeZone: string) => trpc.crm.dashboard.tasks.queryOptions({ timeZone }),
  overdueTasks: (trpc: Trpc, timeZone: string) =>
    trpc.crm.activities.tasks.queryOptions({ due: "overdue", limit: TASKS_SHOWN, timeZone }),
  todayTasks: (trpc: Trpc, timeZone: string) =>
    trpc.crm.activities.tasks.queryOptions({ due: "today", limit: TASKS_SHOWN, timeZone }),
};
