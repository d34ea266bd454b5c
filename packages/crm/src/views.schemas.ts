import { z } from "zod";
import { entityType, idOf } from "./common.schemas";
import { listCompaniesInput } from "./companies.schemas";
import { listDealsInput } from "./deals.schemas";
import { listContactsInput } from "./schemas";

export const viewId = idOf("view");

/**
 * What a view saves of each list: the list procedure's own filters and sort, minus paging, so a
 * saved view is always an input its list accepts.
 */
export const viewQueries = {
  contact: {
    filters: listContactsInput.omit({ cursor: true, limit: true, sort: true }),
    sort: listContactsInput.shape.sort,
  },
  company: {
    filters: listCompaniesInput.omit({ cursor: true, limit: true, sort: true }),
    sort: listCompaniesInput.shape.sort,
  },
  deal: {
    filters: listDealsInput.omit({ cursor: true, limit: true, sort: true }),
    sort: listDealsInput.shape.sort,
  },
};

const viewFields = {
  name: z.string().trim().min(1, "Name is required.").max(100, "Name must be at most 100 characters."),
  /** The list's visible columns in order: field names, or `customFields.<key>`. */
  columns: z
    .array(z.string().regex(/^[A-Za-z][A-Za-z0-9_.]{0,79}$/, "Not a column name."))
    .max(50, "At most 50 columns.")
    .nullish(),
  /** Shared views are listed for everyone in the organization. */
  shared: z.boolean().default(false),
};

export const createViewInput = z.discriminatedUnion(
  "entityType",
  [
    z.object({
      entityType: z.literal("contact"),
      filters: viewQueries.contact.filters.default({}),
      sort: viewQueries.contact.sort,
      ...viewFields,
    }),
    z.object({
      entityType: z.literal("company"),
      filters: viewQueries.company.filters.default({}),
      sort: viewQueries.company.sort,
      ...viewFields,
    }),
    z.object({
      entityType: z.literal("deal"),
      filters: viewQueries.deal.filters.default({}),
      sort: viewQueries.deal.sort,
      ...viewFields,
    }),
  ],
  "Choose contact, company or deal.",
);
export type CreateViewInput = z.input<typeof createViewInput>;

/** `filters` and `sort` are checked on the server against the list of the view's kind of record. */
export const updateViewInput = z.object({
  id: viewId,
  name: viewFields.name.optional(),
  filters: z.record(z.string(), z.unknown()).optional(),
  sort: z.string().max(40).optional(),
  columns: viewFields.columns,
  shared: z.boolean().optional(),
});
export type UpdateViewInput = z.input<typeof updateViewInput>;

export const listViewsInput = z.object({ entityType });
