import type { Metadata } from "next";
import { getQueryClient, getServerTRPC, HydrateClient, requireSession } from "~/trpc/server";
import { ContactsView } from "./contacts-view";
import { contactsListQuery, normalizeSearch } from "./list-query";

export const metadata: Metadata = { title: "Contacts" };

export default async function ContactsPage({ searchParams }: PageProps<"/contacts">) {
  await requireSession();
  const { q } = await searchParams;
  const search = normalizeSearch(typeof q === "string" ? q : undefined);
  // Awaited, so the first HTML already lists the contacts and the browser does not fetch them again.
  const trpc = await getServerTRPC();
  const queryClient = getQueryClient();
  // The role decides which actions the page offers: fetched with the list, so nothing appears late.
  await Promise.all([
    queryClient.prefetchInfiniteQuery(contactsListQuery(trpc, search)),
    queryClient.prefetchQuery(trpc.auth.organizations.current.queryOptions()),
  ]);
  return (
    <HydrateClient>
      <ContactsView initialSearch={search} />
    </HydrateClient>
  );
}
