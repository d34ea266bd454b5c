import type { TRPCRouterRecord } from "@nexo/trpc";
import { contactsRouter } from "./contacts.router";

export const crmRouter = {
  contacts: contactsRouter,
} satisfies TRPCRouterRecord;
