/**
 * Input schemas for CRM procedures. Pure zod with no server imports, so the web forms validate
 * with the very schemas the procedures use.
 */
import { z } from "zod";
import { dateRange, idOf, listPaging, optionalText, phone, search } from "./common.schemas";
import { customFieldFilter, customFieldValuesInput } from "./customFields.schemas";

export * from "./activities.schemas";
export * from "./bulk.schemas";
export * from "./common.schemas";
export * from "./companies.schemas";
export * from "./customFields.schemas";
export * from "./dashboard.schemas";
export * from "./deals.schemas";
export * from "./search.schemas";
export * from "./tags.schemas";

export const contactId = z.uuid("Not a valid contact id.");

export const lifecycleStages = ["lead", "prospect", "customer", "churned"] as const;
export const socialNetworks = ["linkedin", "twitter", "github", "facebook", "instagram", "website"] as const;

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
  phone,
  jobTitle: optionalText(120, "Job title"),
  notes: optionalText(10_000, "Notes"),
  companyId: idOf("company").nullish(),
  lifecycleStage: z.enum(lifecycleStages, "Choose lead, prospect, customer or churned.").optional(),
  socialLinks: z
    .partialRecord(
      z.enum(socialNetworks, "Unknown social network."),
      z.url({ protocol: /^https?$/, error: "Enter a full link starting with https://." }).max(500),
    )
    .optional(),
  customFields: customFieldValuesInput,
});

export const createContactInput = contactFields.extend({ lastName: contactFields.shape.lastName.default("") });
export type CreateContactInput = z.input<typeof createContactInput>;

// No defaults here: a field left out of an update keeps its value. `ownerId` reassigns the contact
// to another member of the organization (creating one always makes the creator its owner).
export const updateContactInput = contactFields.partial().extend({ id: contactId, ownerId: idOf("user").optional() });
export type UpdateContactInput = z.input<typeof updateContactInput>;

export const listContactsInput = z.object({
  search,
  ownerId: idOf("user").optional(),
  companyId: idOf("company").optional(),
  lifecycleStage: z.enum(lifecycleStages, "Choose lead, prospect, customer or churned.").optional(),
  tagId: idOf("tag").optional(),
  createdAt: dateRange,
  lastActivityAt: dateRange,
  customField: customFieldFilter,
  /** Sorts that an index serves; `newest` is the default. */
  sort: z.enum(["newest", "oldest", "name", "lastActivity"]).default("newest"),
  ...listPaging,
});
export type ListContactsInput = z.input<typeof listContactsInput>;

export const contactIdInput = z.object({ id: contactId });
