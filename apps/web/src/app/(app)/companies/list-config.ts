import type { CreateCompanyInput, ListCompaniesInput } from "@nexo/crm/schemas";
import type { AppRouter } from "@nexo/gateway";
import type { TRPCOptionsProxy } from "@trpc/tanstack-react-query";
import { isUuid } from "~/components/data-table/filter-values";
import {
  allOf,
  type CustomFieldDef,
  type ListConfig,
  type ListState,
  listFilters,
} from "~/components/data-table/list-state";
import type { RouterOutputs } from "~/trpc/types";

export const COMPANIES_PAGE_SIZE = 50;

// The API's enums, checked against its input types (the schemas themselves stay out of the bundle).
const sorts = allOf<NonNullable<ListCompaniesInput["sort"]>>()(["newest", "oldest", "name"]);
export const companySizes = allOf<NonNullable<CreateCompanyInput["size"]>>()([
  "1-10",
  "11-50",
  "51-200",
  "201-1000",
  "1001+",
]);

/** The companies list: its URL parameters, the sorts its API offers, and the columns shown by default. */
export const companiesList: ListConfig = {
  sorts,
  filters: [
    { kind: "value", param: "owner", input: "ownerId", label: "Owner", control: "member", accepts: isUuid },
    { kind: "value", param: "tag", input: "tagId", label: "Tag", control: "tag", accepts: isUuid },
    {
      kind: "value",
      param: "industry",
      input: "industry",
      label: "Industry",
      control: "text",
      accepts: (value) => value.length <= 100,
    },
    { kind: "dateRange", param: "created", input: "createdAt", label: "Created" },
  ],
  defaultColumns: ["domain", "industry", "size", "phone", "ownerId", "tags", "createdAt"],
};

export function companiesInput(state: ListState, fields: readonly CustomFieldDef[]): ListCompaniesInput {
  return {
    ...listFilters(state, companiesList, fields),
    sort: state.sort as ListCompaniesInput["sort"],
    limit: COMPANIES_PAGE_SIZE,
  };
}

export function companiesListQuery(trpc: TRPCOptionsProxy<AppRouter>, input: ListCompaniesInput) {
  return trpc.crm.companies.list.infiniteQueryOptions(input, { getNextPageParam: (page) => page.nextCursor });
}

export type CompanyRow = RouterOutputs["crm"]["companies"]["list"]["items"][number];
