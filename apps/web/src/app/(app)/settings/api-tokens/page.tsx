import type { Metadata } from "next";
import { getQueryClient, getServerTRPC, HydrateClient } from "~/trpc/server";
import { ApiTokensView } from "./api-tokens-view";

export const metadata: Metadata = { title: "API tokens" };

export default async function ApiTokensPage() {
  const trpc = await getServerTRPC();
  await getQueryClient().prefetchQuery(trpc.auth.apiTokens.list.queryOptions());
  return (
    <HydrateClient>
      <ApiTokensView />
    </HydrateClient>
  );
}
