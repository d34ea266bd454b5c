import type { Metadata } from "next";
import { loadRecordOr404 } from "~/components/records/load-record";
import { timelineQuery } from "~/components/records/queries";
import { getQueryClient, getServerTRPC, HydrateClient, requireSession } from "~/trpc/server";
import { DealRecord } from "./deal-record";

async function loadDeal(id: string) {
  const trpc = await getServerTRPC();
  return loadRecordOr404(() => getQueryClient().fetchQuery(trpc.crm.deals.get.queryOptions({ id })));
}

export async function generateMetadata({ params }: PageProps<"/deals/[id]">): Promise<Metadata> {
  const deal = await loadDeal((await params).id);
  return { title: deal.title };
}

export default async function DealPage({ params }: PageProps<"/deals/[id]">) {
  await requireSession();
  const { id } = await params;
  const deal = await loadDeal(id);
  const trpc = await getServerTRPC();
  const queryClient = getQueryClient();
  await Promise.all([
    queryClient.prefetchInfiniteQuery(timelineQuery(trpc, "deal", id)),
    deal.companyId ? queryClient.prefetchQuery(trpc.crm.companies.get.queryOptions({ id: deal.companyId })) : null,
    ...deal.contactIds.map((contactId) =>
      queryClient.prefetchQuery(trpc.crm.contacts.get.queryOptions({ id: contactId })),
    ),
    queryClient.prefetchQuery(trpc.crm.customFields.list.queryOptions({ entityType: "deal" })),
    queryClient.prefetchQuery(trpc.crm.pipelines.list.queryOptions()),
    queryClient.prefetchQuery(trpc.crm.tags.list.queryOptions()),
    queryClient.prefetchQuery(trpc.auth.members.list.queryOptions()),
    queryClient.prefetchQuery(trpc.auth.organizations.current.queryOptions()),
  ]);
  return (
    <HydrateClient>
      <DealRecord id={id} />
    </HydrateClient>
  );
}
