import type { Metadata } from "next";
import { getQueryClient, getServerTRPC, HydrateClient, requireSession } from "~/trpc/server";
import { pickPipeline } from "./board-model";
import { boardQuery } from "./board-query";
import { BoardView } from "./board-view";

export const metadata: Metadata = { title: "Deals" };

export default async function DealsBoardPage({ searchParams }: PageProps<"/deals">) {
  await requireSession();
  const { pipeline: requested } = await searchParams;
  const trpc = await getServerTRPC();
  const queryClient = getQueryClient();
  // Everything the board shows on first load arrives with the HTML: no request from the browser.
  const [pipelines] = await Promise.all([
    queryClient.fetchQuery(trpc.crm.pipelines.list.queryOptions()),
    queryClient.prefetchQuery(trpc.auth.organizations.current.queryOptions()),
    queryClient.prefetchQuery(trpc.auth.members.list.queryOptions()),
  ]);
  const pipeline = pickPipeline(pipelines, typeof requested === "string" ? requested : null);
  if (pipeline) await queryClient.prefetchQuery(boardQuery(trpc, pipeline.id));
  return (
    <HydrateClient>
      <BoardView />
    </HydrateClient>
  );
}
