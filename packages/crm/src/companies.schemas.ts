import { z } from "zod";
import { dateRange, idOf, listPaging, optionalText, phone, search } from "./common.schemas";
import { customFieldFilter, customFieldValuesInput } from "./customFields.schemas";

export const companyId = idOf("company");

/** `https://www.Acme.com/about` → `acme.com`. */
export function normalizeDomain(value: string): string {
  return value
    .trim()
    .toLowerCase()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//, "")
    .replace(/^www\./, "")
    .replace(/[/?#:].*$/, "")
    .replace(/\.$/, "");
}

const domain = z
  .string()
  .max(253, "Domain must be at most 253 characters.")
  .transform(normalizeDomain)
  .pipe(
    z.union([
      z.literal(""),
      z
        .string()
        .regex(/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, "Enter a domain like acme.com."),
    ]),
  )
  .transform((v) => (v === "" ? null : v))
  .nullish();

export const companySizes = ["1-10", "11-50", "51-200", "201-1000", "1001+"] as const;

export const companyFields = z.object({
  name: z.string().trim().min(1, "Name is required.").max(200, "Name must be at most 200 characters."),
  domain,
  industry: optionalText(100, "Industry"),
  size: z.enum(companySizes, "Choose a company size.").nullish(),
  address: optionalText(500, "Address"),
  phone,
  ownerId: idOf("user").nullish(),
  customFields: customFieldValuesInput,
});

export const createCompanyInput = companyFields;
export type CreateCompanyInput = z.input<typeof createCompanyInput>;

export const updateCompanyInput = companyFields.partial().extend({ id: companyId });
export type UpdateCompanyInput = z.input<typeof updateCompanyInput>;

export const listCompaniesInput = z.object({
  search,
  ownerId: idOf("user").optional(),
  tagId: idOf("tag").optional(),
  industry: z.string().trim().max(100).optional(),
  createdAt: dateRange,
  customField: customFieldFilter,
  sort: z.enum(["newest", "oldest", "name"]).default("newest"),
  ...listPaging,
});
export type ListCompaniesInput = z.input<typeof listCompaniesInput>;
