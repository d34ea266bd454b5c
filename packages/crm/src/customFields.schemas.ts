import { z } from "zod";
import { entityType, idOf } from "./common.schemas";

export const customFieldId = idOf("custom field");

export const customFieldTypes = ["text", "number", "date", "select", "multi_select", "checkbox", "url"] as const;
export type CustomFieldTypeInput = (typeof customFieldTypes)[number];

export const customFieldKey = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9_]{0,39}$/, "Use 1–40 lower-case letters, digits or _, starting with a letter.")
  // Every object has a `constructor`: as a key, it would read as a value where a record has none.
  .refine((key) => key !== "constructor", "“constructor” is reserved; choose another key.");

const label = z.string().trim().min(1, "Label is required.").max(100, "Label must be at most 100 characters.");

const options = z
  .array(z.string().trim().min(1, "An option cannot be empty.").max(100, "An option must be at most 100 characters."))
  .min(1, "A select field needs at least one option.")
  .max(100, "At most 100 options.")
  .refine((list) => new Set(list).size === list.length, "Options must be unique.");

const needsOptions = (type: CustomFieldTypeInput) => type === "select" || type === "multi_select";

export const createCustomFieldInput = z
  .object({
    entityType,
    key: customFieldKey,
    label,
    type: z.enum(customFieldTypes, "Choose text, number, date, select, multi_select, checkbox or url."),
    /** Required for select and multi-select fields, refused for the others. */
    options: options.optional(),
  })
  .superRefine((field, ctx) => {
    if (needsOptions(field.type) && !field.options) {
      ctx.addIssue({ code: "custom", path: ["options"], message: "A select field needs its options." });
    }
    if (!needsOptions(field.type) && field.options) {
      ctx.addIssue({ code: "custom", path: ["options"], message: "Only select fields have options." });
    }
  });
export type CreateCustomFieldInput = z.input<typeof createCustomFieldInput>;

/** The key and type stay fixed: stored values and saved filters refer to them. */
export const updateCustomFieldInput = z.object({
  id: customFieldId,
  label: label.optional(),
  options: options.optional(),
});
export type UpdateCustomFieldInput = z.input<typeof updateCustomFieldInput>;

export const listCustomFieldsInput = z.object({ entityType: entityType.optional() }).optional();

export const reorderCustomFieldsInput = z.object({
  entityType,
  /** Every field of that kind of record, in the new order. */
  ids: z.array(customFieldId).min(1).max(200, "At most 200 fields."),
});

/**
 * Values set with a record's create or update, by key; null clears a value. The shape is loose here
 * because only the server knows each key's type: it checks every value against its definition and
 * reports problems at `customFields.<key>`.
 */
export const customFieldValuesInput = z
  .record(
    z.string().max(40, "Not a custom field key."),
    z.union([
      z.string().max(2000, "At most 2000 characters."),
      z.number(),
      z.boolean(),
      z.array(z.string().max(100)).max(100, "At most 100 values."),
      z.null(),
    ]),
  )
  .optional();
export type CustomFieldValuesInput = z.input<typeof customFieldValuesInput>;

/**
 * A list filter on one custom field. Which operators apply depends on the field's type: text, url
 * and select take eq, contains and in; number and date take eq, gt, lt and in; checkbox takes eq;
 * multi-select takes contains (has this option), in (has any of these) and eq (exactly these).
 */
export const customFieldFilter = z
  .object({
    key: customFieldKey,
    op: z.enum(["eq", "contains", "gt", "lt", "in"], "Choose eq, contains, gt, lt or in."),
    value: z.union([
      z.string().max(200, "At most 200 characters."),
      z.number(),
      z.boolean(),
      z
        .array(z.union([z.string().max(200), z.number()]))
        .min(1, "Give at least one value.")
        .max(50, "At most 50 values."),
    ]),
  })
  .optional();
export type CustomFieldFilterInput = z.input<typeof customFieldFilter>;
