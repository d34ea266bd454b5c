import type { Metadata } from "next";
import { getQueryClient, getServerTRPC, HydrateClient } from "~/trpc/server";
import { SessionsView } from "./sessions-view";

export const metadata: Metadata = { title: "Sessions" };

export default async function SessionsPage() {
  const trpc = await getServerTRPC();
  await getQueryClient().prefetchQuery(trpc.auth.sessions.list.queryOptions());
  return (
    <HydrateClient>
      <SessionsView />
    </HydrateClient>
  );
}
