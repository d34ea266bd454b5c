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
  await getQueryClient().prefetchInfiniteQuery(contactsListQuery(await getServerTRPC(), search));
  return (
    <HydrateClient>
      <ContactsView initialSearch={search} />
    </HydrateClient>
  );
}
