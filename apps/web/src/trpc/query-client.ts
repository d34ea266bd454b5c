import { defaultShouldDehydrateQuery, MutationCache, QueryCache, QueryClient } from "@tanstack/react-query";
import { TRPCClientError } from "@trpc/client";
import superjson from "superjson";

/** Client errors (bad input, signed out, not found) will not change on a retry; outages might. */
function isRetryable(error: unknown): boolean {
  if (!(error instanceof TRPCClientError)) return true;
  const status: unknown = error.data?.httpStatus;
  return typeof status !== "number" || status >= 500;
}

/** Called for every failed query or mutation, with its key (`[path, …]` for tRPC calls). */
export type ApiErrorHandler = (error: unknown, key: readonly unknown[] | undefined) => void;

export function createQueryClient(onError?: ApiErrorHandler): QueryClient {
  return new QueryClient({
    queryCache: new QueryCache({ onError: (error, query) => onError?.(error, query.queryKey) }),
    mutationCache: new MutationCache({
      onError: (error, _v, _c, mutation) => onError?.(error, mutation.options.mutationKey),
    }),
    defaultOptions: {
      queries: {
        // Data prefetched on the server is fresh on arrival: no refetch right after hydration.
        staleTime: 30_000,
        retry: (failureCount, error) => failureCount < 2 && isRetryable(error),
      },
      dehydrate: {
        // Dates in contacts survive the trip from server components to the browser.
        serializeData: superjson.serialize,
        shouldDehydrateQuery: (query) => defaultShouldDehydrateQuery(query) || query.state.status === "pending",
      },
      hydrate: {
        deserializeData: superjson.deserialize,
      },
    },
  });
}
