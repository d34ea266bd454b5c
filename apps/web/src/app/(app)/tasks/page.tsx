import type { Metadata } from "next";
import { cookies } from "next/headers";
import { readTimeZone, TIME_ZONE_COOKIE } from "~/lib/time-zone";
import { getQueryClient, getServerTRPC, HydrateClient, requireSession } from "~/trpc/server";
import { BUCKETS, tasksQuery } from "./tasks-query";
import { TasksView } from "./tasks-view";

export const metadata: Metadata = { title: "Tasks" };

export default async function TasksPage({ searchParams }: PageProps<"/tasks">) {
  const session = await requireSession();
  const { view } = await searchParams;
  const everyone = view === "everyone";
  const timeZone = readTimeZone((await cookies()).get(TIME_ZONE_COOKIE)?.value);
  const trpc = await getServerTRPC();
  const queryClient = getQueryClient();
  const assigneeId = everyone ? undefined : session.user.id;
  await Promise.all([
    ...BUCKETS.map((bucket) => queryClient.prefetchInfiniteQuery(tasksQuery(trpc, bucket.due, assigneeId, timeZone))),
    queryClient.prefetchQuery(trpc.auth.members.list.queryOptions()),
    queryClient.prefetchQuery(trpc.auth.organizations.current.queryOptions()),
  ]);
  return (
    <HydrateClient>
      <TasksView userId={session.user.id} initialEveryone={everyone} initialTimeZone={timeZone} />
    </HydrateClient>
  );
}
