import type { TRPCRouterRecord } from "@nexo/trpc";
import { expensiveProcedure } from "@nexo/trpc";
import { activitiesRouter } from "./activities.router";
import { companiesRouter } from "./companies.router";
import { contactsRouter } from "./contacts.router";
import { customFieldsRouter } from "./customFields.router";
import { dashboardRouter } from "./dashboard.router";
import { dealsRouter } from "./deals.router";
import { importsRouter } from "./imports.router";
import { pipelinesRouter } from "./pipelines.router";
import { globalSearch } from "./search.queries";
import { globalSearchInput } from "./search.schemas";
import { tagsRouter } from "./tags.router";
import { trashRouter } from "./trash.router";
import { viewsRouter } from "./views.router";

export const crmRouter = {
  contacts: contactsRouter,
  companies: companiesRouter,
  tags: tagsRouter,
  customFields: customFieldsRouter,
  pipelines: pipelinesRouter,
  deals: dealsRouter,
  activities: activitiesRouter,
  dashboard: dashboardRouter,
  imports: importsRouter,
  /** Contacts, companies and deals matching `q` (typo-tolerant), grouped by kind, best first. */
  search: expensiveProcedure("search.read", "search")
    .input(globalSearchInput)
    .query(({ ctx, input }) => globalSearch(ctx.db, ctx, input.q, input.limit)),
  trash: trashRouter,
  views: viewsRouter,
} satisfies TRPCRouterRecord;
