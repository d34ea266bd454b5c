import "server-only";
import { TRPCClientError } from "@trpc/client";
import { notFound } from "next/navigation";

/**
 * Loads the record a page is about. An id that is unknown, malformed, trashed or another
 * organization's is the same to the reader: the not-found page (the API answers NOT_FOUND or, for a
 * malformed id, BAD_REQUEST, and never says which).
 */
export async function loadRecordOr404<T>(load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (error instanceof TRPCClientError && ["NOT_FOUND", "BAD_REQUEST"].includes(error.data?.code)) notFound();
    throw error;
  }
}
