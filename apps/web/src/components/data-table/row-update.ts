"use client";

import type { QueryClient, QueryFilters } from "@tanstack/react-query";
import { TRPCClientError } from "@trpc/client";

type Rows = { id: string }[];
type Page = { items: Rows };
type Cached = { pages: Page[] } | Page | undefined;

/** Applies `patch` to the record with this id in every cached page of a list, loaded or not. */
export function patchCachedRows(
  queryClient: QueryClient,
  filter: QueryFilters,
  id: string,
  patch: Record<string, unknown>,
): void {
  const patchItems = (items: Rows) => items.map((item) => (item.id === id ? { ...item, ...patch } : item));
  queryClient.setQueriesData<Cached>(filter, (data) => {
    if (!data) return data;
    if ("pages" in data)
      return { ...data, pages: data.pages.map((page) => ({ ...page, items: patchItems(page.items) })) };
    if ("items" in data && Array.isArray(data.items)) return { ...data, items: patchItems(data.items) };
    return data;
  });
}

/** Why a save was refused: per field (shown next to the input) and as one sentence (for the toast). */
export class InlineEditError extends Error {
  constructor(
    message: string,
    readonly fields: Partial<Record<string, string>>,
  ) {
    super(message);
  }
}

/** The server's per-field messages (`zodError.fieldErrors`, custom fields as `customFields.<key>`) and its message. */
export function inlineErrorFrom(error: unknown): InlineEditError {
  if (error instanceof InlineEditError) return error;
  if (error instanceof TRPCClientError) {
    const zod = (error.data as { zodError?: { fieldErrors?: Record<string, string[] | undefined> } } | undefined)
      ?.zodError;
    const fields: Record<string, string> = {};
    for (const [name, messages] of Object.entries(zod?.fieldErrors ?? {})) {
      if (messages?.[0]) fields[name] = messages[0];
    }
    const first = Object.values(fields)[0];
    return new InlineEditError(first ?? error.message, fields);
  }
  return new InlineEditError("Something went wrong. Please try again.", {});
}

interface SaveInlineOptions<TResult> {
  queryClient: QueryClient;
  /** The list queries that hold the record (e.g. `trpc.crm.contacts.list.pathFilter()`). */
  filter: QueryFilters;
  row: { id: string } & Record<string, unknown>;
  /** What the row shows at once, before the server answers. */
  optimistic: Record<string, unknown>;
  send: () => Promise<TResult>;
  /** The row's values as the server saved them (normalised email, new `updatedAt`, …). */
  saved?: (result: TResult) => Record<string, unknown>;
  /** Tells the person what failed when the change is rolled back. */
  onFailure: (error: InlineEditError) => void;
}

/**
 * An optimistic edit of one record in a list: the row changes at once; if the server refuses, the
 * row gets its old values back, `onFailure` reports it and the error is rethrown for the cell to
 * show next to its input.
 */
export async function saveInline<TResult>({
  queryClient,
  filter,
  row,
  optimistic,
  send,
  saved,
  onFailure,
}: SaveInlineOptions<TResult>): Promise<void> {
  const previous: Record<string, unknown> = {};
  for (const key of Object.keys(optimistic)) previous[key] = row[key];
  await queryClient.cancelQueries(filter);
  patchCachedRows(queryClient, filter, row.id, optimistic);
  try {
    const result = await send();
    if (saved) patchCachedRows(queryClient, filter, row.id, saved(result));
  } catch (cause) {
    patchCachedRows(queryClient, filter, row.id, previous);
    const error = inlineErrorFrom(cause);
    onFailure(error);
    throw error;
  }
}
