/**
 * Input schemas for CRM procedures. Pure zod with no server imports, so the web forms validate
 * with the very schemas the procedures use.
 */
import { z } from "zod";

const optionalText = (max: number, label: string) =>
  z
    .string()
    .trim()
    .max(max, `${label} must be at most ${max} characters.`)
    .transform((v) => (v === "" ? null : v))
    .nullish();

export const contactId = z.uuid("Not a valid contact id.");

export const contactFields = z.object({
  firstName: z.string().trim().min(1, "First name is required.").max(100, "First name must be at most 100 characters."),
  lastName: z.string().trim().max(100, "Last name must be at most 100 characters."),
  email: z
    .string()
    .trim()
    .toLowerCase()
    .max(254, "Email must be at most 254 characters.")
    .pipe(z.union([z.literal(""), z.email("Enter a valid email address.")]))
    .transform((v) => (v === "" ? null : v))
    .nullish(),
  phone: z
    .string()
    .trim()
    .max(40, "Phone must be at most 40 characters.")
    .regex(/^[+()\d\s./-]*$/, "Phone may contain digits, spaces and + ( ) - . / only.")
    .transform((v) => (v === "" ? null : v))
    .nullish(),
  jobTitle: optionalText(120, "Job title"),
  notes: optionalText(10_000, "Notes"),
});

export const createContactInput = contactFields.extend({ lastName: contactFields.shape.lastName.default("") });
export type CreateContactInput = z.input<typeof createContactInput>;

// No defaults here: a field left out of an update keeps its value.
export const updateContactInput = contactFields.partial().extend({ id: contactId });
export type UpdateContactInput = z.input<typeof updateContactInput>;

export const listContactsInput = z.object({
  search: z.string().trim().max(200, "Search must be at most 200 characters.").optional(),
  /** The id of the last contact of the previous page. */
  cursor: contactId.nullish(),
  limit: z.number().int().min(1).max(100).default(25),
});
export type ListContactsInput = z.input<typeof listContactsInput>;

export const contactIdInput = z.object({ id: contactId });
