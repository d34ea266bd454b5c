import type { TRPCRouterRecord } from "@nexo/trpc";
import { activitiesRouter } from "./activities.router";
import { companiesRouter } from "./companies.router";
import { contactsRouter } from "./contacts.router";
import { dealsRouter } from "./deals.router";
import { pipelinesRouter } from "./pipelines.router";
import { tagsRouter } from "./tags.router";

export const crmRouter = {
  contacts: contactsRouter,
  companies: companiesRouter,
  tags: tagsRouter,
  pipelines: pipelinesRouter,
  deals: dealsRouter,
  activities: activitiesRouter,
} satisfies TRPCRouterRecord;
