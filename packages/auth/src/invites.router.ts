import {
  and,
  desc,
  eq,
  invites,
  isNull,
  lt,
  memberships,
  organizations,
  passwordResets,
  type SQL,
  users,
} from "@nexo/db";
import {
  isUniqueViolation,
  permissionProcedure,
  publicProcedure,
  roleRank,
  TRPCError,
  type TRPCRouterRecord,
} from "@nexo/trpc";
import { findAccount } from "./accounts.queries";
import { recordAudit } from "./audit";
import { lockedRole, membershipChanged, usableInvite } from "./member-links";
import { hashPassword } from "./passwords";
import { enforceRateLimits } from "./rate-limit";
import { acceptInviteInput, createInviteInput, inviteIdInput, inviteTokenInput, listInvitesInput } from "./schemas";
import { hashSecret, newSecret } from "./secrets";
import { openSession } from "./session-grants";
import { checkCredentials } from "./sign-in";

const DAY_MS = 24 * 60 * 60 * 1000;

const inviteUnusable = () =>
  new TRPCError({ code: "NOT_FOUND", message: "This invite link is not valid: it was used, revoked or has expired." });

const inviteColumns = {
  id: invites.id,
  role: invites.role,
  email: invites.email,
  createdAt: invites.createdAt,
  expiresAt: invites.expiresAt,
  acceptedAt: invites.acceptedAt,
  revokedAt: invites.revokedAt,
};

type InviteRow = { expiresAt: Date; acceptedAt: Date | null; revokedAt: Date | null };
function statusOf(invite: InviteRow, now = Date.now()) {
  if (invite.acceptedAt) return "accepted" as const;
  if (invite.revokedAt) return "revoked" as const;
  return invite.expiresAt.getTime() <= now ? ("expired" as const) : ("pending" as const);
}

export const invitesRouter = {
  /**
   * Creates an invite link; the link (with its token) is returned this once and never again.
   * Browser sessions only: a leaked API token must not be able to bring in new members.
   */
  create: permissionProcedure("members.manage")
    .meta({ browserOnly: true })
    .input(createInviteInput)
    .mutation(async ({ ctx, input }) => {
      if (roleRank[input.role] >= roleRank[ctx.role] && ctx.role !== "owner") {
        throw new TRPCError({ code: "FORBIDDEN", message: `Only the owner can invite an ${input.role}.` });
      }
      const token = newSecret();
      const invite = await ctx.db.transaction(async (tx) => {
        if ((await lockedRole(tx, ctx.orgId, ctx.userId)) !== ctx.role) throw membershipChanged();
        const [row] = await tx
          .insert(invites)
          .values({
            orgId: ctx.orgId,
            tokenHash: hashSecret(token),
            role: input.role,
            email: input.email ?? null,
            createdBy: ctx.userId,
            expiresAt: new Date(Date.now() + input.expiresInDays * DAY_MS),
          })
          .returning(inviteColumns);
        if (!row) throw new Error("INSERT … RETURNING returned no row");
        await recordAudit(tx, ctx, {
          event: "invite.created",
          orgId: ctx.orgId,
          actorId: ctx.userId,
          target: { type: "invite", id: row.id },
          details: { role: input.role, email: input.email ?? null },
        });
        return row;
      });
      return { invite: { ...invite, status: statusOf(invite) }, url: `${ctx.auth.appUrl}/invite/${token}` };
    }),

  /** The organization's invites, newest first; pending only unless `status: "all"`. */
  list: permissionProcedure("members.manage")
    .input(listInvitesInput)
    .query(async ({ ctx, input }) => {
      const conditions: (SQL | undefined)[] = [eq(invites.orgId, ctx.orgId)];
      if (input.status === "pending") conditions.push(usableInvite());
      if (input.cursor) conditions.push(lt(invites.id, input.cursor));
      const rows = await ctx.db
        .select({ ...inviteColumns, createdBy: { id: users.id, name: users.name } })
        .from(invites)
        .leftJoin(users, eq(users.id, invites.createdBy))
        .where(and(...conditions))
        .orderBy(desc(invites.id))
        .limit(input.limit + 1);
      const hasMore = rows.length > input.limit;
      const items = (hasMore ? rows.slice(0, input.limit) : rows).map((r) => ({ ...r, status: statusOf(r) }));
      return { items, nextCursor: hasMore ? (items.at(-1)?.id ?? null) : null };
    }),

  revoke: permissionProcedure("members.manage")
    .input(inviteIdInput)
    .mutation(({ ctx, input }) =>
      ctx.db.transaction(async (tx) => {
        const [row] = await tx
          .update(invites)
          .set({ revokedAt: new Date() })
          .where(and(eq(invites.orgId, ctx.orgId), eq(invites.id, input.id), usableInvite()))
          .returning(inviteColumns);
        if (!row) throw new TRPCError({ code: "NOT_FOUND", message: "No pending invite with this id." });
        await recordAudit(tx, ctx, {
          event: "invite.revoked",
          orgId: ctx.orgId,
          actorId: ctx.userId,
          target: { type: "invite", id: row.id },
        });
        return { ...row, status: statusOf(row) };
      }),
    ),

  /** What an invite link offers, for the page that accepts it. */
  inspect: publicProcedure.input(inviteTokenInput).query(async ({ ctx, input }) => {
    const [row] = await ctx.db
      .select({
        role: invites.role,
        email: invites.email,
        expiresAt: invites.expiresAt,
        organization: organizations.name,
      })
      .from(invites)
      .innerJoin(organizations, eq(organizations.id, invites.orgId))
      .where(and(eq(invites.tokenHash, hashSecret(input.token)), usableInvite()));
    if (!row) throw inviteUnusable();
    return { organization: { name: row.organization }, role: row.role, email: row.email, expiresAt: row.expiresAt };
  }),

  /**
   * Joins the invite's organization as the signed-in user, as an existing account that gives its
   * password, or as a new account; then opens a session in that organization. The invite is consumed
   * by a conditional update in the same transaction as the membership, so it works exactly once.
   */
  accept: publicProcedure.input(acceptInviteInput).mutation(async ({ ctx, input }) => {
    let userId: string | null = null;
    let passwordHash: string | null = null;
    if (input.mode === "signedIn") {
      if (ctx.session?.via !== "cookie") {
        throw new TRPCError({
          code: "UNAUTHORIZED",
          message: "Sign in first, or accept with your email and password.",
        });
      }
      userId = ctx.session.userId;
    } else if (input.mode === "existingAccount") {
      const { limiter, rateLimits } = ctx.auth;
      await enforceRateLimits(limiter, [
        { bucket: "login-ip", key: ctx.ip, rule: rateLimits.loginPerIp },
        { bucket: "login-account", key: input.email, rule: rateLimits.loginPerAccount },
      ]);
      ({ userId } = await checkCredentials(ctx, input, "invite"));
    } else {
      await enforceRateLimits(ctx.auth.limiter, [
        { bucket: "register-ip", key: ctx.ip, rule: ctx.auth.rateLimits.registerPerIp },
        { bucket: "register-account", key: input.email, rule: ctx.auth.rateLimits.registerPerAccount },
      ]);
      passwordHash = await hashPassword(input.password);
    }

    const joined = await ctx.db
      .transaction(async (tx) => {
        const [invite] = await tx
          .update(invites)
          .set({ acceptedAt: new Date() })
          .where(and(eq(invites.tokenHash, hashSecret(input.token)), usableInvite()))
          .returning({ id: invites.id, orgId: invites.orgId, role: invites.role, email: invites.email });
        if (!invite) throw inviteUnusable();
        let user: { id: string; email: string } | undefined;
        if (input.mode === "newAccount" && passwordHash) {
          [user] = await tx
            .insert(users)
            .values({ name: input.name, email: input.email, passwordHash })
            .returning({ id: users.id, email: users.email });
        } else if (userId) {
          // Locked (as passwordReset.createLink locks it) so that the reset links voided below
          // cannot include or miss one an admin creates at this very moment.
          [user] = await tx
            .select({ id: users.id, email: users.email })
            .from(users)
            .where(eq(users.id, userId))
            .for("update");
        }
        if (!user) throw new TRPCError({ code: "UNAUTHORIZED", message: "Please sign in." });
        if (invite.email && invite.email !== user.email) {
          throw new TRPCError({ code: "FORBIDDEN", message: "This invite is for another email address." });
        }
        await tx.update(invites).set({ acceptedBy: user.id }).where(eq(invites.id, invite.id));
        const [membership] = await tx
          .insert(memberships)
          .values({ orgId: invite.orgId, userId: user.id, role: invite.role })
          .onConflictDoNothing()
          .returning({ orgId: memberships.orgId });
        if (!membership) {
          throw new TRPCError({ code: "CONFLICT", message: "You already belong to this organization." });
        }
        if (input.mode !== "newAccount") {
          // An admin's reset link was checked against the organizations the user had then: once they
          // belong to one more, a pending link would reach into it, so every pending link is voided.
          await tx
            .update(passwordResets)
            .set({ usedAt: new Date() })
            .where(and(eq(passwordResets.userId, user.id), isNull(passwordResets.usedAt)));
        }
        await recordAudit(tx, ctx, {
          event: "invite.accepted",
          orgId: invite.orgId,
          actorId: user.id,
          target: { type: "invite", id: invite.id },
          details: { role: invite.role, newAccount: input.mode === "newAccount" },
        });
        return { userId: user.id, orgId: invite.orgId };
      })
      .catch((error: unknown) => {
        if (isUniqueViolation(error, "users_email_key")) {
          throw new TRPCError({
            code: "CONFLICT",
            message: "An account with this email already exists: accept with its password instead.",
          });
        }
        throw error;
      });

    const account = await findAccount(ctx.db, joined);
    if (!account) throw inviteUnusable();
    const grant = { userId: account.user.id, orgId: account.organization.id, role: account.role };
    // The accepting user's own browser session moves to the new organization under a new id.
    const from = ctx.session?.via === "cookie" && ctx.session.userId === account.user.id ? ctx.session : undefined;
    await openSession(ctx, grant, from);
    return account;
  }),
} satisfies TRPCRouterRecord;
