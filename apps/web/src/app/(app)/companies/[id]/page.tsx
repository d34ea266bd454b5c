import type { Metadata } from "next";
import { loadRecordOr404 } from "~/components/records/load-record";
import { timelineQuery } from "~/components/records/queries";
import { getQueryClient, getServerTRPC, HydrateClient, requireSession } from "~/trpc/server";
import { CompanyRecord } from "./company-record";

async function loadCompany(id: string) {
  const trpc = await getServerTRPC();
  return loadRecordOr404(() => getQueryClient().fetchQuery(trpc.crm.companies.overview.queryOptions({ id })));
}

export async function generateMetadata({ params }: PageProps<"/companies/[id]">): Promise<Metadata> {
  const { company } = await loadCompany((await params).id);
  return { title: company.name };
}

export default async function CompanyPage({ params }: PageProps<"/companies/[id]">) {
  await requireSession();
  const { id } = await params;
  await loadCompany(id);
  const trpc = await getServerTRPC();
  const queryClient = getQueryClient();
  await Promise.all([
    queryClient.prefetchInfiniteQuery(timelineQuery(trpc, "company", id)),
    queryClient.prefetchQuery(trpc.crm.customFields.list.queryOptions({ entityType: "company" })),
    queryClient.prefetchQuery(trpc.crm.pipelines.list.queryOptions()),
    queryClient.prefetchQuery(trpc.crm.tags.list.queryOptions()),
    queryClient.prefetchQuery(trpc.auth.members.list.queryOptions()),
    queryClient.prefetchQuery(trpc.auth.organizations.current.queryOptions()),
  ]);
  return (
    <HydrateClient>
      <CompanyRecord id={id} />
    </HydrateClient>
  );
}
