import { listContactsInput } from "@nexo/crm/schemas";
import type { AppRouter } from "@nexo/gateway";
import type { TRPCOptionsProxy } from "@trpc/tanstack-react-query";

export const CONTACTS_PAGE_SIZE = 25;

const MAX_SEARCH_LENGTH = listContactsInput.shape.search.unwrap().maxLength ?? 200;

/** The search as the list query uses it, from the URL or the search box. */
export function normalizeSearch(raw: string | null | undefined): string {
  return (raw ?? "").trim().slice(0, MAX_SEARCH_LENGTH);
}

/**
 * The contact list query, built the same way by the server page (prefetch) and the browser
 * (useInfiniteQuery): the same input gives the same cache key, so hydrated data is used as is.
 */
export function contactsListQuery(trpc: TRPCOptionsProxy<AppRouter>, search: string) {
  return trpc.crm.contacts.list.infiniteQueryOptions(
    { search: search === "" ? undefined : search, limit: CONTACTS_PAGE_SIZE },
    { getNextPageParam: (page) => page.nextCursor },
  );
}
