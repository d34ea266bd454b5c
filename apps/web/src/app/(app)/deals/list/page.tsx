import type { Metadata } from "next";
import { readListState } from "~/components/data-table/list-state";
import { getQueryClient, getServerTRPC, HydrateClient, requireSession } from "~/trpc/server";
import { DealsListView } from "./deals-list-view";
import { dealsInput, dealsList, dealsListQuery } from "./list-config";

export const metadata: Metadata = { title: "Deals" };

export default async function DealsListPage({ searchParams }: PageProps<"/deals/list">) {
  await requireSession();
  const state = readListState(await searchParams, dealsList);
  const trpc = await getServerTRPC();
  const queryClient = getQueryClient();
  const fieldsQuery = trpc.crm.customFields.list.queryOptions({ entityType: "deal" });
  // A custom field filter is typed by its field's definition, so that comes first when there is one.
  const fields = state.customField ? await queryClient.fetchQuery(fieldsQuery).catch(() => []) : [];
  await Promise.all([
    queryClient.prefetchInfiniteQuery(dealsListQuery(trpc, dealsInput(state, fields))),
    queryClient.prefetchQuery(fieldsQuery),
    queryClient.prefetchQuery(trpc.auth.organizations.current.queryOptions()),
    queryClient.prefetchQuery(trpc.auth.members.list.queryOptions()),
    queryClient.prefetchQuery(trpc.crm.tags.list.queryOptions()),
    queryClient.prefetchQuery(trpc.crm.pipelines.list.queryOptions()),
    queryClient.prefetchQuery(trpc.crm.views.list.queryOptions({ entityType: "deal" })),
  ]);
  return (
    <HydrateClient>
      <DealsListView />
    </HydrateClient>
  );
}
