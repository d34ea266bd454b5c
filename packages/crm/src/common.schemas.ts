import { z } from "zod";

export const optionalText = (max: number, label: string) =>
  z
    .string()
    .trim()
    .max(max, `${label} must be at most ${max} characters.`)
    .transform((v) => (v === "" ? null : v))
    .nullish();

export const idOf = (what: string) => z.uuid(`Not a valid ${what} id.`);

export const phone = z
  .string()
  .trim()
  .max(40, "Phone must be at most 40 characters.")
  .regex(/^[+()\d\s./-]*$/, "Phone may contain digits, spaces and + ( ) - . / only.")
  .transform((v) => (v === "" ? null : v))
  .nullish();

export const entityType = z.enum(["contact", "company", "deal"], "Choose contact, company or deal.");
export type EntityTypeInput = z.infer<typeof entityType>;

export const listPaging = {
  /** Opaque: the `nextCursor` of the previous page. */
  cursor: z.string().max(500, "Not a valid cursor.").nullish(),
  limit: z.number().int().min(1).max(100).default(25),
};

export const search = z.string().trim().max(200, "Search must be at most 200 characters.").optional();

export const dateRange = z
  .object({ from: z.coerce.date("Not a valid date.").optional(), to: z.coerce.date("Not a valid date.").optional() })
  .refine((r) => !r.from || !r.to || r.from <= r.to, { message: "The start must not be after the end.", path: ["to"] })
  .optional();

export const byId = (what: string) => z.object({ id: idOf(what) });

export const trashInput = z.object({ ...listPaging });

export const purgeTrashInput = z.object({
  /** Purge what has been in the trash at least this long; 0 empties the trash. */
  olderThanDays: z.number().int("Whole days only.").min(0, "At least 0 days.").max(3650).default(0),
});
