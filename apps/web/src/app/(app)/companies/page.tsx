import type { Metadata } from "next";
import { readListState } from "~/components/data-table/list-state";
import { getQueryClient, getServerTRPC, HydrateClient, requireSession } from "~/trpc/server";
import { CompaniesView } from "./companies-view";
import { companiesInput, companiesList, companiesListQuery } from "./list-config";

export const metadata: Metadata = { title: "Companies" };

export default async function CompaniesPage({ searchParams }: PageProps<"/companies">) {
  await requireSession();
  const state = readListState(await searchParams, companiesList);
  const trpc = await getServerTRPC();
  const queryClient = getQueryClient();
  const fieldsQuery = trpc.crm.customFields.list.queryOptions({ entityType: "company" });
  // A custom field filter is typed by its field's definition, so that comes first when there is one.
  const fields = state.customField ? await queryClient.fetchQuery(fieldsQuery).catch(() => []) : [];
  await Promise.all([
    queryClient.prefetchInfiniteQuery(companiesListQuery(trpc, companiesInput(state, fields))),
    queryClient.prefetchQuery(fieldsQuery),
    queryClient.prefetchQuery(trpc.auth.organizations.current.queryOptions()),
    queryClient.prefetchQuery(trpc.auth.members.list.queryOptions()),
    queryClient.prefetchQuery(trpc.crm.tags.list.queryOptions()),
    queryClient.prefetchQuery(trpc.crm.views.list.queryOptions({ entityType: "company" })),
  ]);
  return (
    <HydrateClient>
      <CompaniesView />
    </HydrateClient>
  );
}
