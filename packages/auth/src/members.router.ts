import { and, apiTokens, asc, type Db, eq, memberships, type Role, users } from "@nexo/db";
import {
  orgProcedure,
  permissionProcedure,
  roleRank,
  type Session,
  TRPCError,
  type TRPCRouterRecord,
} from "@nexo/trpc";
import { recordAudit, recordAudits } from "./audit";
import { voidStaleLinks } from "./member-links";
import { changeRoleInput, memberInput } from "./schemas";
import { openSession } from "./session-grants";

const memberNotFound = () => new TRPCError({ code: "NOT_FOUND", message: "Member not found." });

async function findMember(db: Db, orgId: string, userId: string) {
  const [row] = await db
    .select({ userId: memberships.userId, role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)));
  return row;
}

/**
 * Whom the caller may manage: never themselves, never the owner, and only people ranked below them
 * (an admin manages members and viewers, the owner manages admins too).
 */
async function manageableMember(ctx: { db: Db; orgId: string; userId: string; role: Role }, userId: string) {
  const member = await findMember(ctx.db, ctx.orgId, userId);
  if (!member) throw memberNotFound();
  if (userId === ctx.userId) {
    throw new TRPCError({ code: "FORBIDDEN", message: "You cannot change your own membership here." });
  }
  if (member.role === "owner") {
    throw new TRPCError({ code: "FORBIDDEN", message: "The owner's role only changes by transferring ownership." });
  }
  if (roleRank[member.role] >= roleRank[ctx.role]) {
    throw new TRPCError({ code: "FORBIDDEN", message: `Only the owner can manage an ${member.role}.` });
  }
  return member;
}

type AuditCtx = { ip: string; headers: Headers };

/**
 * A membership goes with its API tokens in that organization, each audited as revoked (with the
 * reason), in the caller's transaction.
 */
async function deleteMembership(
  tx: Pick<Db, "delete" | "insert">,
  source: AuditCtx,
  membership: { orgId: string; userId: string },
  by: { actorId: string; reason: "member removed" | "member left" },
) {
  const { orgId, userId } = membership;
  const tokens = await tx
    .delete(apiTokens)
    .where(and(eq(apiTokens.orgId, orgId), eq(apiTokens.userId, userId)))
    .returning({ id: apiTokens.id, name: apiTokens.name });
  await recordAudits(
    tx,
    source,
    tokens.map((token) => ({
      event: "token.revoked" as const,
      orgId,
      actorId: by.actorId,
      target: { type: "token" as const, id: token.id },
      details: { name: token.name, reason: by.reason },
    })),
  );
  return tx
    .delete(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)))
    .returning({ userId: memberships.userId });
}

export const membersRouter = {
  list: permissionProcedure("members.read").query(async ({ ctx }) => {
    const rows = await ctx.db
      .select({
        userId: users.id,
        name: users.name,
        email: users.email,
        role: memberships.role,
        joinedAt: memberships.createdAt,
      })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(eq(memberships.orgId, ctx.orgId))
      .orderBy(asc(memberships.createdAt), asc(users.id));
    return rows.map((r) => ({ ...r, isYou: r.userId === ctx.userId }));
  }),

  /**
   * Gives a member another role; their sessions in this organization end at once, and the pending
   * links made by or for them that the new role makes stale are voided (see member-links.ts).
   */
  changeRole: permissionProcedure("members.manage")
    // Membership changes need a browser session: a leaked API token must not reshape the team.
    .meta({ browserOnly: true })
    .input(changeRoleInput)
    .mutation(async ({ ctx, input }) => {
      const member = await manageableMember(ctx, input.userId);
      if (roleRank[input.role] >= roleRank[ctx.role] && ctx.role !== "owner") {
        throw new TRPCError({ code: "FORBIDDEN", message: `Only the owner can make someone an ${input.role}.` });
      }
      await ctx.db.transaction(async (tx) => {
        // Conditional on the role read above, so two concurrent changes cannot both win.
        const [row] = await tx
          .update(memberships)
          .set({ role: input.role })
          .where(
            and(
              eq(memberships.orgId, ctx.orgId),
              eq(memberships.userId, input.userId),
              eq(memberships.role, member.role),
            ),
          )
          .returning({ userId: memberships.userId });
        if (!row) throw new TRPCError({ code: "CONFLICT", message: "The member changed meanwhile; reload and retry." });
        await recordAudit(tx, ctx as AuditCtx, {
          event: "member.role_changed",
          orgId: ctx.orgId,
          actorId: ctx.userId,
          target: { type: "user", id: input.userId },
          details: { from: member.role, to: input.role },
        });
        await voidStaleLinks(tx, ctx as AuditCtx, {
          orgId: ctx.orgId,
          userId: input.userId,
          role: input.role,
          actorId: ctx.userId,
          reason: "creator's role changed",
        });
      });
      const endedSessions = await ctx.auth.endUserSessions(input.userId, { orgId: ctx.orgId });
      return { userId: input.userId, role: input.role, endedSessions };
    }),

  /**
   * Removes a member with their API tokens here and the pending links made by or for them here; their
   * sessions in this organization end at once.
   */
  remove: permissionProcedure("members.manage")
    .meta({ browserOnly: true })
    .input(memberInput)
    .mutation(async ({ ctx, input }) => {
      const member = await manageableMember(ctx, input.userId);
      await ctx.db.transaction(async (tx) => {
        const [row] = await deleteMembership(
          tx,
          ctx as AuditCtx,
          { orgId: ctx.orgId, userId: input.userId },
          { actorId: ctx.userId, reason: "member removed" },
        );
        if (!row) throw memberNotFound();
        await recordAudit(tx, ctx as AuditCtx, {
          event: "member.removed",
          orgId: ctx.orgId,
          actorId: ctx.userId,
          target: { type: "user", id: input.userId },
          details: { role: member.role },
        });
        await voidStaleLinks(tx, ctx as AuditCtx, {
          orgId: ctx.orgId,
          userId: input.userId,
          role: null,
          actorId: ctx.userId,
          reason: "creator removed",
        });
      });
      const endedSessions = await ctx.auth.endUserSessions(input.userId, { orgId: ctx.orgId });
      return { userId: input.userId, endedSessions };
    }),

  /**
   * Leaves the session's organization, voiding the pending links made by or for the caller there;
   * the owner must transfer ownership first.
   */
  leave: orgProcedure.mutation(async ({ ctx }) => {
    if (ctx.role === "owner") {
      throw new TRPCError({
        code: "FORBIDDEN",
        message: "Transfer ownership to another member before leaving the organization.",
      });
    }
    await ctx.db.transaction(async (tx) => {
      await deleteMembership(
        tx,
        ctx,
        { orgId: ctx.orgId, userId: ctx.userId },
        { actorId: ctx.userId, reason: "member left" },
      );
      await recordAudit(tx, ctx, { event: "member.left", orgId: ctx.orgId, actorId: ctx.userId });
      await voidStaleLinks(tx, ctx, {
        orgId: ctx.orgId,
        userId: ctx.userId,
        role: null,
        actorId: ctx.userId,
        reason: "creator left",
      });
    });
    await ctx.auth.endUserSessions(ctx.userId, { orgId: ctx.orgId });
    if (ctx.session.via === "cookie") await ctx.auth.endSession(ctx.session.id, ctx.resHeaders);
    return { ok: true as const };
  }),

  /**
   * Makes another member the owner and the caller an admin, in one transaction: the organization never
   * has no owner. The new owner's sessions here end; the caller's moves to a new id with the new role.
   */
  transferOwnership: permissionProcedure("organization.transfer")
    .meta({ browserOnly: true })
    .input(memberInput)
    .mutation(async ({ ctx, input }) => {
      if (input.userId === ctx.userId) {
        throw new TRPCError({ code: "BAD_REQUEST", message: "You already own this organization." });
      }
      const member = await findMember(ctx.db, ctx.orgId, input.userId);
      if (!member) throw memberNotFound();
      await ctx.db.transaction(async (tx) => {
        const [demoted] = await tx
          .update(memberships)
          .set({ role: "admin" })
          .where(
            and(eq(memberships.orgId, ctx.orgId), eq(memberships.userId, ctx.userId), eq(memberships.role, "owner")),
          )
          .returning({ userId: memberships.userId });
        if (!demoted) throw new TRPCError({ code: "CONFLICT", message: "You are no longer the owner." });
        // The member may have left or been removed since they were looked up: then nobody would be
        // promoted, and the demotion above must roll back rather than leave the organization ownerless.
        const [promoted] = await tx
          .update(memberships)
          .set({ role: "owner" })
          .where(and(eq(memberships.orgId, ctx.orgId), eq(memberships.userId, input.userId)))
          .returning({ userId: memberships.userId });
        if (!promoted) {
          throw new TRPCError({
            code: "CONFLICT",
            message: "This person is no longer a member; ownership stays with you.",
          });
        }
        await recordAudit(tx, ctx, {
          event: "ownership.transferred",
          orgId: ctx.orgId,
          actorId: ctx.userId,
          target: { type: "user", id: input.userId },
          details: { previousRole: member.role },
        });
        // As an admin, the former owner can no longer invite admins or reset their passwords (nor
        // the new owner's); and links made for the new owner were made against a lower role.
        for (const changed of [
          { userId: ctx.userId, role: "admin" as const },
          { userId: input.userId, role: "owner" as const },
        ]) {
          await voidStaleLinks(tx, ctx, {
            orgId: ctx.orgId,
            ...changed,
            actorId: ctx.userId,
            reason: "creator's role changed",
          });
        }
      });
      await ctx.auth.endUserSessions(input.userId, { orgId: ctx.orgId });
      const session = ctx.session as Session;
      // The caller's other sessions here still carry the owner role: they end too.
      await ctx.auth.endUserSessions(ctx.userId, { orgId: ctx.orgId, exceptId: session.id });
      if (session.via === "cookie") {
        await openSession(ctx, { userId: ctx.userId, orgId: ctx.orgId, role: "admin" }, session);
      }
      return { ownerId: input.userId, yourRole: "admin" as const };
    }),
} satisfies TRPCRouterRecord;
