"use client";

import { type QueryKey, useQueryClient } from "@tanstack/react-query";
import { TRPCClientError } from "@trpc/client";
import { useToast } from "~/components/toast";
import { fromApiError } from "~/forms/errors";
import type { ApiError } from "~/trpc/types";

interface OptimisticSaveOptions<TData, TPatch, TResult> {
  /** The cached query that shows the record. */
  queryKey: QueryKey;
  /** The record as it looks with the patch applied, shown while the server answers. */
  apply: (data: TData, patch: TPatch) => TData;
  send: (patch: TPatch) => Promise<TResult>;
  /** The record with the server's answer in it. */
  settle?: (data: TData, result: TResult) => TData;
  /** Other queries that show the change (lists, the timeline's history). */
  afterSave?: () => Promise<unknown>;
}

/**
 * The message for one field out of an API failure: its own zod issue, else the first issue, else
 * the error's message (a conflict, a record that vanished).
 */
export function fieldMessage(error: unknown, field: string): string {
  if (!(error instanceof TRPCClientError)) return "The change couldn’t be saved. Check your connection.";
  const { fields, form } = fromApiError(error as ApiError);
  return fields[field] ?? Object.values(fields)[0] ?? form ?? error.message;
}

/**
 * Saves a change to a record the way people expect in place: the page shows it at once; if the
 * server refuses, the old value comes back, a toast says so, and the field's message is returned so
 * the field can show it next to itself. Resolves to null when saved.
 */
export function useOptimisticSave<TData, TPatch, TResult>({
  queryKey,
  apply,
  send,
  settle,
  afterSave,
}: OptimisticSaveOptions<TData, TPatch, TResult>) {
  const queryClient = useQueryClient();
  const toast = useToast();
  return async (patch: TPatch, field: { name: string; label: string }): Promise<string | null> => {
    await queryClient.cancelQueries({ queryKey });
    const previous = queryClient.getQueryData<TData>(queryKey);
    if (previous !== undefined) queryClient.setQueryData<TData>(queryKey, apply(previous, patch));
    try {
      const result = await send(patch);
      if (settle)
        queryClient.setQueryData<TData>(queryKey, (data) => (data === undefined ? data : settle(data, result)));
      void afterSave?.();
      return null;
    } catch (error) {
      if (previous !== undefined) queryClient.setQueryData<TData>(queryKey, previous);
      const message = fieldMessage(error, field.name);
      toast(`${field.label} wasn’t saved: ${message}`, { tone: "error" });
      return message;
    }
  };
}
