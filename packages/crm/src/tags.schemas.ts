import { z } from "zod";
import { entityType, idOf } from "./common.schemas";

export const tagId = idOf("tag");

export const tagFields = z.object({
  name: z.string().trim().min(1, "Name is required.").max(50, "Name must be at most 50 characters."),
  color: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, "Use a colour like #3366ff.")
    .nullish(),
});
export const createTagInput = tagFields;
export const updateTagInput = tagFields.partial().extend({ id: tagId });

/** Replaces a record's tags with exactly these. */
export const setTagsInput = z.object({
  entityType,
  entityId: idOf("record"),
  tagIds: z.array(tagId).max(50, "At most 50 tags per record.").default([]),
});
export type SetTagsInput = z.input<typeof setTagsInput>;
