import type { AppRouter } from "@nexo/gateway";
import { createTRPCClient, httpBatchLink, TRPCClientError } from "@trpc/client";
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import superjson from "superjson";

export interface NexoClientOptions {
  /** The gateway's base URL, e.g. `https://crm.example.com/api` or `http://127.0.0.1:4000`. */
  url: string;
  /** A personal API token (`nexo_pat_…`) created in Settings → API tokens. */
  token: string;
  /** A fetch implementation; the global one by default. */
  fetch?: typeof globalThis.fetch;
}

/**
 * A typed client for the whole Nexo API: `client.crm.contacts.list.query({ search })`. Inputs and
 * outputs are inferred from the server's router; failures are `NexoClientError`s whose
 * `data.code` is the tRPC error code (`UNAUTHORIZED`, `FORBIDDEN`, `NOT_FOUND`, `BAD_REQUEST`, …).
 */
export function createNexoClient(options: NexoClientOptions) {
  const base = options.url.replace(/\/+$/, "");
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: `${base}/trpc`,
        transformer: superjson,
        headers: () => ({ authorization: `Bearer ${options.token}` }),
        ...(options.fetch ? { fetch: options.fetch } : {}),
      }),
    ],
  });
}

export type NexoClient = ReturnType<typeof createNexoClient>;
export type NexoInputs = inferRouterInputs<AppRouter>;
export type NexoOutputs = inferRouterOutputs<AppRouter>;
export type NexoClientError = TRPCClientError<AppRouter>;

/** Narrows an unknown failure to a typed API error. */
export function isNexoClientError(error: unknown): error is NexoClientError {
  return error instanceof TRPCClientError;
}
export type { AppRouter };
