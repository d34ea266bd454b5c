import { permissionProcedure, type TRPCRouterRecord } from "@nexo/trpc";
import { listAudit } from "./audit";
import { auditEvents } from "./audit-events";
import { listAuditInput } from "./schemas";

export const auditRouter = {
  /** The organization's security events, newest first, with filters; keyset-paginated. */
  list: permissionProcedure("audit.read")
    .input(listAuditInput)
    .query(({ ctx, input }) => listAudit(ctx.db, ctx.orgId, input)),

  /** The event types the filter can offer. */
  events: permissionProcedure("audit.read").query(() => [...auditEvents]),
} satisfies TRPCRouterRecord;
