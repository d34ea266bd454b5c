import { permissionProcedure, type TRPCRouterRecord } from "@nexo/trpc";
import { purgeTrashInput } from "./common.schemas";
import { purgeTrash } from "./trash";

export const trashRouter = {
  /** Deletes the organization's trashed contacts, companies and deals for good (no restore). */
  purge: permissionProcedure("trash.purge")
    .input(purgeTrashInput)
    .mutation(({ ctx, input }) => purgeTrash(ctx.db, { orgId: ctx.orgId }, input.olderThanDays)),
} satisfies TRPCRouterRecord;
