import "server-only";
import type { AppRouter } from "@nexo/gateway";
import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink, TRPCClientError } from "@trpc/client";
import { createTRPCOptionsProxy } from "@trpc/tanstack-react-query";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache, type ReactNode } from "react";
import superjson from "superjson";
import { env } from "~/env";
import { BATCH_LIMITS } from "./batching";
import { createQueryClient } from "./query-client";
import type { Me } from "./types";

/** What the gateway needs from the browser's request to act as that user. */
const FORWARDED_HEADERS = ["cookie", "user-agent", "accept-language", "x-forwarded-for"];

/** One per request (React `cache` is request-scoped on the server). */
export const getQueryClient = cache(createQueryClient);

/**
 * A client per request, never a shared one: the batch link merges concurrent calls into one HTTP
 * request, and calls from two users must never share a cookie header. The headers are read here,
 * outside any tRPC call, so Next sees the request-time dependency directly.
 */
const getServerClient = cache(async () => {
  const incoming = await headers();
  const forwarded: Record<string, string> = {};
  for (const name of FORWARDED_HEADERS) {
    const value = incoming.get(name);
    if (value !== null) forwarded[name] = value;
  }
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({ url: `${env.GATEWAY_URL}/trpc`, transformer: superjson, ...BATCH_LIMITS, headers: forwarded }),
    ],
  });
});

/** tRPC query options for server components; prefetch with `getQueryClient()`. */
export const getServerTRPC = cache(async () =>
  createTRPCOptionsProxy<AppRouter>({ client: await getServerClient(), queryClient: getQueryClient }),
);

/** The signed-in user, or null. Asked once per request however many components need it. */
export const getSession = cache(async (): Promise<Me | null> => {
  const client = await getServerClient();
  try {
    return await client.auth.me.query();
  } catch (error) {
    if (error instanceof TRPCClientError && error.data?.code === "UNAUTHORIZED") return null;
    throw error;
  }
});

export async function requireSession(): Promise<Me> {
  const session = await getSession();
  if (!session) redirect("/login");
  return session;
}

/** Hands this request's prefetched queries to the browser's cache. */
export function HydrateClient({ children }: { children: ReactNode }) {
  return <HydrationBoundary state={dehydrate(getQueryClient())}>{children}</HydrationBoundary>;
}
