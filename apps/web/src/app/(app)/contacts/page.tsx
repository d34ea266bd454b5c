import type { Metadata } from "next";
import { readListState } from "~/components/data-table/list-state";
import { getQueryClient, getServerTRPC, HydrateClient, requireSession } from "~/trpc/server";
import { ContactsView } from "./contacts-view";
import { contactsInput, contactsList, contactsListQuery } from "./list-config";

export const metadata: Metadata = { title: "Contacts" };

export default async function ContactsPage({ searchParams }: PageProps<"/contacts">) {
  await requireSession();
  const state = readListState(await searchParams, contactsList);
  const trpc = await getServerTRPC();
  const queryClient = getQueryClient();
  const fieldsQuery = trpc.crm.customFields.list.queryOptions({ entityType: "contact" });
  // A custom field filter is typed by its field's definition, so that comes first when there is one.
  const fields = state.customField ? await queryClient.fetchQuery(fieldsQuery).catch(() => []) : [];
  // Awaited, so the first HTML already holds the rows and everything around them, and the browser
  // fetches none of it again.
  await Promise.all([
    queryClient.prefetchInfiniteQuery(contactsListQuery(trpc, contactsInput(state, fields))),
    queryClient.prefetchQuery(fieldsQuery),
    queryClient.prefetchQuery(trpc.auth.organizations.current.queryOptions()),
    queryClient.prefetchQuery(trpc.auth.members.list.queryOptions()),
    queryClient.prefetchQuery(trpc.crm.tags.list.queryOptions()),
    queryClient.prefetchQuery(trpc.crm.views.list.queryOptions({ entityType: "contact" })),
  ]);
  return (
    <HydrateClient>
      <ContactsView />
    </HydrateClient>
  );
}
