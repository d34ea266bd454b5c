import type { Metadata } from "next";
import { loadRecordOr404 } from "~/components/records/load-record";
import { RELATED_LIMIT, timelineQuery } from "~/components/records/queries";
import { getQueryClient, getServerTRPC, HydrateClient, requireSession } from "~/trpc/server";
import { ContactRecord } from "./contact-record";

async function loadContact(id: string) {
  const trpc = await getServerTRPC();
  return loadRecordOr404(() => getQueryClient().fetchQuery(trpc.crm.contacts.get.queryOptions({ id })));
}

export async function generateMetadata({ params }: PageProps<"/contacts/[id]">): Promise<Metadata> {
  const contact = await loadContact((await params).id);
  return { title: `${contact.firstName} ${contact.lastName}`.trim() };
}

export default async function ContactPage({ params }: PageProps<"/contacts/[id]">) {
  await requireSession();
  const { id } = await params;
  const contact = await loadContact(id);
  const trpc = await getServerTRPC();
  const queryClient = getQueryClient();
  // Everything the page shows, fetched together, so the first HTML is complete and the browser
  // fetches nothing on load.
  await Promise.all([
    queryClient.prefetchInfiniteQuery(timelineQuery(trpc, "contact", id)),
    queryClient.prefetchQuery(trpc.crm.deals.list.queryOptions({ contactId: id, limit: RELATED_LIMIT })),
    contact.companyId
      ? queryClient.prefetchQuery(trpc.crm.companies.get.queryOptions({ id: contact.companyId }))
      : null,
    queryClient.prefetchQuery(trpc.crm.customFields.list.queryOptions({ entityType: "contact" })),
    queryClient.prefetchQuery(trpc.crm.pipelines.list.queryOptions()),
    queryClient.prefetchQuery(trpc.crm.tags.list.queryOptions()),
    queryClient.prefetchQuery(trpc.auth.members.list.queryOptions()),
    queryClient.prefetchQuery(trpc.auth.organizations.current.queryOptions()),
  ]);
  return (
    <HydrateClient>
      <ContactRecord id={id} />
    </HydrateClient>
  );
}
