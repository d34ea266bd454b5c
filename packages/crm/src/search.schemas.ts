import { z } from "zod";

export const globalSearchInput = z.object({
  q: z.string().trim().min(1, "Type something to search for.").max(200, "Search must be at most 200 characters."),
  /** Results per kind of record. */
  limit: z.number().int().min(1).max(25).default(5),
});
export type GlobalSearchInput = z.input<typeof globalSearchInput>;
