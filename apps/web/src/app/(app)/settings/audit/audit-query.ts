import type { AppRouter } from "@nexo/gateway";
import type { TRPCOptionsProxy } from "@trpc/tanstack-react-query";
import type { AuditEventName } from "~/trpc/types";

export const AUDIT_PAGE_SIZE = 25;

/** The filter form's values: empty strings mean "any". Dates are yyyy-mm-dd in the reader's zone. */
export interface AuditFilters {
  event: string;
  actorId: string;
  from: string;
  to: string;
}

export const NO_FILTERS: AuditFilters = { event: "", actorId: "", from: "", to: "" };

/** The list's input for some filters; a day's range runs from its first to its last millisecond. */
export function auditInput(filters: AuditFilters) {
  return {
    limit: AUDIT_PAGE_SIZE,
    ...(filters.event ? { event: filters.event as AuditEventName } : {}),
    ...(filters.actorId ? { actorId: filters.actorId } : {}),
    ...(filters.from ? { from: new Date(`${filters.from}T00:00:00`) } : {}),
    ...(filters.to ? { to: new Date(`${filters.to}T23:59:59.999`) } : {}),
  };
}

/** Built alike by the server page (prefetch) and the browser, so the keys match. */
export function auditListQuery(trpc: TRPCOptionsProxy<AppRouter>, filters: AuditFilters) {
  return trpc.auth.audit.list.infiniteQueryOptions(auditInput(filters), {
    getNextPageParam: (page) => page.nextCursor,
  });
}
