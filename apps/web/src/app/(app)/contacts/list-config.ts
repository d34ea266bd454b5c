import type { ListContactsInput } from "@nexo/crm/schemas";
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

export const CONTACTS_PAGE_SIZE = 50;

type LifecycleStage = NonNullable<ListContactsInput["lifecycleStage"]>;

// The API's enums, checked against its input type (the schemas themselves stay out of the bundle).
export const lifecycleStages = allOf<LifecycleStage>()(["lead", "prospect", "customer", "churned"]);
const sorts = allOf<NonNullable<ListContactsInput["sort"]>>()(["newest", "oldest", "name", "lastActivity"]);

export const LIFECYCLE_LABELS: Record<LifecycleStage, string> = {
  lead: "Lead",
  prospect: "Prospect",
  customer: "Customer",
  churned: "Churned",
};

/** The contacts list: its URL parameters, the sorts its API offers, and the columns shown by default. */
export const contactsList: ListConfig = {
  sorts,
  filters: [
    { kind: "value", param: "owner", input: "ownerId", label: "Owner", control: "member", accepts: isUuid },
    { kind: "value", param: "tag", input: "tagId", label: "Tag", control: "tag", accepts: isUuid },
    {
      kind: "value",
      param: "lifecycle",
      input: "lifecycleStage",
      label: "Lifecycle stage",
      control: "select",
      options: lifecycleStages.map((stage) => ({ value: stage, label: LIFECYCLE_LABELS[stage] })),
      accepts: (value) => (lifecycleStages as readonly string[]).includes(value),
    },
    { kind: "dateRange", param: "created", input: "createdAt", label: "Created" },
    { kind: "dateRange", param: "activity", input: "lastActivityAt", label: "Last activity" },
  ],
  defaultColumns: ["jobTitle", "email", "phone", "companyName", "lifecycleStage", "ownerId", "tags", "lastActivityAt"],
};

/** The list procedure's input for a list state: built alike by the server page and the browser. */
export function contactsInput(state: ListState, fields: readonly CustomFieldDef[]): ListContactsInput {
  return {
    ...listFilters(state, contactsList, fields),
    sort: state.sort as ListContactsInput["sort"],
    limit: CONTACTS_PAGE_SIZE,
  };
}

export function contactsListQuery(trpc: TRPCOptionsProxy<AppRouter>, input: ListContactsInput) {
  return trpc.crm.contacts.list.infiniteQueryOptions(input, { getNextPageParam: (page) => page.nextCursor });
}
