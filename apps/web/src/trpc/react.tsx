"use client";

import type { AppRouter } from "@nexo/gateway";
import { isServer, type QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink, httpBatchStreamLink, splitLink, TRPCClientError } from "@trpc/client";
import { createTRPCContext } from "@trpc/tanstack-react-query";
import { type ReactNode, useState } from "react";
import superjson from "superjson";
import { BATCH_LIMITS } from "./batching";
import { createQueryClient } from "./query-client";

export const { TRPCProvider, useTRPC } = createTRPCContext<AppRouter>();

/** The browser's same-origin proxy to the gateway (app/api/trpc/[trpc]/route.ts). */
const API_URL = "/api/trpc";

/** Calls made without a session, whose UNAUTHORIZED answers (a wrong password) their forms show. */
const SIGNED_OUT_CALLS = new Set([
  "auth.login",
  "auth.register",
  "auth.invites.inspect",
  "auth.invites.accept",
  "auth.passwordReset.request",
  "auth.passwordReset.check",
  "auth.passwordReset.complete",
]);

function isSignedOutCall(key: readonly unknown[] | undefined): boolean {
  const path = key?.[0];
  return Array.isArray(path) && SIGNED_OUT_CALLS.has(path.join("."));
}

/**
 * A session that ends while the page is open (revoked from another device, expiry) surfaces as
 * UNAUTHORIZED on the next call: go to the sign-in page instead of showing a broken screen.
 */
function onApiError(error: unknown, key: readonly unknown[] | undefined) {
  if (error instanceof TRPCClientError && error.data?.code === "UNAUTHORIZED" && !isSignedOutCall(key)) {
    window.location.assign("/login");
  }
}

let browserQueryClient: QueryClient | undefined;

function getQueryClient(): QueryClient {
  // On the server every render gets its own client so no data leaks between requests.
  if (isServer) return createQueryClient();
  browserQueryClient ??= createQueryClient(onApiError);
  return browserQueryClient;
}

export function TRPCReactProvider({ children }: { children: ReactNode }) {
  const queryClient = getQueryClient();
  const [trpcClient] = useState(() =>
    createTRPCClient<AppRouter>({
      links: [
        splitLink({
          // Auth calls set or clear the session cookie, which a streamed response cannot do once
          // its headers are sent; everything else streams each result as soon as it is ready.
          condition: (op) => op.path.startsWith("auth."),
          true: httpBatchLink({ url: API_URL, transformer: superjson, ...BATCH_LIMITS }),
          false: httpBatchStreamLink({ url: API_URL, transformer: superjson, ...BATCH_LIMITS }),
        }),
      ],
    }),
  );

  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}
