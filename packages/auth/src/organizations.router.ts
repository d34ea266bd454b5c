import { eq, organizations } from "@nexo/db";
import {
  browserProcedure,
  can,
  orgProcedure,
  type Permission,
  permissionProcedure,
  permissions,
  TRPCError,
  type TRPCRouterRecord,
} from "@nexo/trpc";
import { listAccounts } from "./accounts.queries";
import { recordAudit } from "./audit";
import { updateOrganizationInput } from "./schemas";

const organizationColumns = {
  id: organizations.id,
  name: organizations.name,
  recordVisibility: organizations.recordVisibility,
};

export const organizationsRouter = {
  /**
   * The user's organizations, for the switcher. Browser sessions only: an API token is scoped to one
   * organization and must not reveal which others its user belongs to.
   */
  list: browserProcedure.query(async ({ ctx }) => {
    const accounts = await listAccounts(ctx.db, ctx.session.userId);
    return accounts.map((a) => ({ ...a.organization, role: a.role, current: a.organization.id === ctx.session.orgId }));
  }),

  /** The session's organization, with the caller's role and what that role allows (for the UI). */
  current: orgProcedure.query(async ({ ctx }) => {
    const [org] = await ctx.db.select(organizationColumns).from(organizations).where(eq(organizations.id, ctx.orgId));
    if (!org) throw new TRPCError({ code: "NOT_FOUND", message: "Organization not found." });
    const allowed = (Object.keys(permissions) as Permission[]).filter((p) => can(ctx.role, p));
    return { ...org, role: ctx.role, permissions: allowed };
  }),

  update: permissionProcedure("organization.update")
    // Renaming and the record-visibility setting are admin decisions made in the app, not by scripts.
    .meta({ browserOnly: true })
    .input(updateOrganizationInput)
    .mutation(({ ctx, input }) =>
      ctx.db.transaction(async (tx) => {
        const [org] = await tx
          .update(organizations)
          .set(input)
          .where(eq(organizations.id, ctx.orgId))
          .returning(organizationColumns);
        if (!org) throw new TRPCError({ code: "NOT_FOUND", message: "Organization not found." });
        await recordAudit(tx, ctx, {
          event: "organization.updated",
          orgId: ctx.orgId,
          actorId: ctx.userId,
          target: { type: "organization", id: ctx.orgId },
          details: { ...input },
        });
        return org;
      }),
    ),
} satisfies TRPCRouterRecord;
