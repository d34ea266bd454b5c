import type { ListDealsInput } from "@nexo/crm/schemas";
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
import { parseMoney } from "~/lib/format";
import type { RouterOutputs } from "~/trpc/types";

export const DEALS_PAGE_SIZE = 50;

export type DealRow = RouterOutputs["crm"]["deals"]["list"]["items"][number];
export type DealStatus = NonNullable<ListDealsInput["status"]>;

// The API's enums, checked against its input type (the schemas themselves stay out of the bundle).
const sorts = allOf<NonNullable<ListDealsInput["sort"]>>()(["newest", "oldest"]);
export const dealStatuses = allOf<DealStatus>()(["open", "won", "lost"]);
export const STATUS_LABELS: Record<DealStatus, string> = { open: "Open", won: "Won", lost: "Lost" };

/** The deals list: its URL parameters, the sorts its API offers, and the columns shown by default. */
export const dealsList: ListConfig = {
  sorts,
  filters: [
    { kind: "value", param: "owner", input: "ownerId", label: "Owner", control: "member", accepts: isUuid },
    { kind: "value", param: "tag", input: "tagId", label: "Tag", control: "tag", accepts: isUuid },
    { kind: "value", param: "pipeline", input: "pipelineId", label: "Pipeline", control: "pipeline", accepts: isUuid },
    { kind: "value", param: "stage", input: "stageId", label: "Stage", control: "stage", accepts: isUuid },
    {
      kind: "value",
      param: "status",
      input: "status",
      label: "Status",
      control: "select",
      options: dealStatuses.map((status) => ({ value: status, label: STATUS_LABELS[status] })),
      accepts: (value) => (dealStatuses as readonly string[]).includes(value),
    },
    { kind: "dateRange", param: "close", input: "expectedCloseDate", label: "Expected close" },
  ],
  defaultColumns: ["amount", "stage", "status", "expectedCloseDate", "ownerId", "companyName", "tags"],
};

export function dealsInput(state: ListState, fields: readonly CustomFieldDef[]): ListDealsInput {
  return {
    ...listFilters(state, dealsList, fields),
    sort: state.sort as ListDealsInput["sort"],
    limit: DEALS_PAGE_SIZE,
  };
}

export function dealsListQuery(trpc: TRPCOptionsProxy<AppRouter>, input: ListDealsInput) {
  return trpc.crm.deals.list.infiniteQueryOptions(input, { getNextPageParam: (page) => page.nextCursor });
}

/** "1,250.50" in `currency` → minor units; NaN (refused by the schema) when unreadable. */
export function amountInput(text: string, currency: string): number {
  if (text.trim() === "") return 0;
  try {
    return parseMoney(text, currency) ?? Number.NaN;
  } catch {
    // Not a currency Intl knows: the schema explains the currency; read the amount with cents.
    return parseMoney(text, "EUR") ?? Number.NaN;
  }
}
