import type { Metadata } from "next";
import { cookies } from "next/headers";
import { readTimeZone, TIME_ZONE_COOKIE } from "~/lib/time-zone";
import { getQueryClient, getServerTRPC, HydrateClient, requireSession } from "~/trpc/server";
import { dashboardQueries } from "./dashboard-queries";
import { DashboardView } from "./dashboard-view";

export const metadata: Metadata = { title: "Dashboard" };

export default async function DashboardPage({ searchParams }: PageProps<"/dashboard">) {
  await requireSession();
  const { pipeline: requested } = await searchParams;
  const timeZone = readTimeZone((await cookies()).get(TIME_ZONE_COOKIE)?.value);
  const trpc = await getServerTRPC();
  const queryClient = getQueryClient();
  // Every figure arrives with the HTML: the charts draw at once, with no request from the browser.
  const [pipelines] = await Promise.all([
    queryClient.fetchQuery(trpc.crm.pipelines.list.queryOptions()),
    queryClient.prefetchQuery(trpc.auth.members.list.queryOptions()),
    queryClient.prefetchQuery(dashboardQueries.wonLost(trpc, timeZone)),
    queryClient.prefetchQuery(dashboardQueries.activities(trpc, timeZone)),
    queryClient.prefetchQuery(dashboardQueries.taskCounts(trpc, timeZone)),
    queryClient.prefetchQuery(dashboardQueries.overdueTasks(trpc, timeZone)),
    queryClient.prefetchQuery(dashboardQueries.todayTasks(trpc, timeZone)),
  ]);
  const pipeline = pipelines.find((p) => p.id === requested) ?? pipelines[0];
  if (pipeline) await queryClient.prefetchQuery(dashboardQueries.pipeline(trpc, pipeline.id));
  return (
    <HydrateClient>
      <DashboardView initialTimeZone={timeZone} />
    </HydrateClient>
  );
}
