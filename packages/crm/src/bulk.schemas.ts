import { z } from "zod";
import { entityType, idOf } from "./common.schemas";
import { tagId } from "./tags.schemas";

/** The most records one bulk call changes: one transaction stays short and its statements small. */
export const BULK_MAX = 500;

const ids = z
  .array(idOf("record"))
  .min(1, "Choose at least one record.")
  .max(BULK_MAX, `At most ${BULK_MAX} records at a time.`);

/** Records of one kind, by id; every one must exist (and be visible to the caller), or nothing changes. */
export const bulkIdsInput = z.object({ ids });
export type BulkIdsInput = z.input<typeof bulkIdsInput>;

export const bulkAssignOwnerInput = z.object({ ids, ownerId: idOf("user") });
export type BulkAssignOwnerInput = z.input<typeof bulkAssignOwnerInput>;

/** Adds one tag to many records of one kind, keeping the tags they already have. */
export const bulkAddTagInput = z.object({ entityType, ids, tagId });
export type BulkAddTagInput = z.input<typeof bulkAddTagInput>;
