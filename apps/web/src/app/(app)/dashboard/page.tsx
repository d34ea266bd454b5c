import type { Metadata } from "next";
import { getQueryClient, getServerTRPC, HydrateClient, requireSession } from "~/trpc/server";
import { dashboardQueries } from "./dashboard-queries";
import { DashboardView } from "./dashboard-view";

export const metadata: Metadata = { title: "Dashboard" };

export default async function DashboardPage({ searchParams }: PageProps<"/dashboard">) {
  await requireSession();
  const { pipeline: requested } = await searchParams;
  const trpc = await getServerTRPC();
  const queryClient = getQueryClient();
  // Every figure arrives with the HTML: the charts draw at once, with no request from the browser.
  const [pipelines] = await Promise.all([
    queryClient.fetchQuery(trpc.crm.pipelines.list.queryOptions()),
    queryClient.prefetchQuery(trpc.auth.members.list.queryOptions()),
    queryClient.prefetchQuery(dashboardQueries.wonLost(trpc)),
    queryClient.prefetchQuery(dashboardQueries.activities(trpc)),
    queryClient.prefetchQuery(dashboardQueries.taskCounts(trpc)),
    queryClient.prefetchQuery(dashboardQueries.overdueTasks(trpc)),
    queryClient.prefetchQuery(dashboardQueries.todayTasks(trpc)),
  ]);
  const pipeline = pipelines.find((p) => p.id === requested) ?? pipelines[0];
  if (pipeline) await queryClient.prefetchQuery(dashboardQueries.pipeline(trpc, pipeline.id));
  return (
    <HydrateClient>
      <DashboardView />
    </HydrateClient>
  );
}
