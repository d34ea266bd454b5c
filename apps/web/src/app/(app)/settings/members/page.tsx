import type { Metadata } from "next";
import { getQueryClient, getServerTRPC, HydrateClient } from "~/trpc/server";
import { invitesQuery } from "./invites-query";
import { MembersView } from "./members-view";

export const metadata: Metadata = { title: "Members & invites" };

export default async function MembersPage() {
  const trpc = await getServerTRPC();
  const queryClient = getQueryClient();
  const current = await queryClient.fetchQuery(trpc.auth.organizations.current.queryOptions());
  await Promise.all([
    queryClient.prefetchQuery(trpc.auth.members.list.queryOptions()),
    current.permissions.includes("members.manage") ? queryClient.prefetchInfiniteQuery(invitesQuery(trpc)) : null,
  ]);
  return (
    <HydrateClient>
      <MembersView />
    </HydrateClient>
  );
}
