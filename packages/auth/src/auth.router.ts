import { eq, users } from "@nexo/db";
import {
  browserProcedure,
  isUniqueViolation,
  protectedProcedure,
  publicProcedure,
  TRPCError,
  type TRPCRouterRecord,
} from "@nexo/trpc";
import { createAccount, findAccount, findPasswordHash, orgIdsOf } from "./accounts.queries";
import { revokeUserApiTokens } from "./api-tokens";
import { apiTokensRouter } from "./api-tokens.router";
import { recordAudit } from "./audit";
import { auditRouter } from "./audit.router";
import { invitesRouter } from "./invites.router";
import { membersRouter } from "./members.router";
import { organizationsRouter } from "./organizations.router";
import { passwordResetRouter } from "./password-reset.router";
import { hashPassword, verifyPassword } from "./passwords";
import { enforceRateLimits } from "./rate-limit";
import { changePasswordInput, loginInput, registerInput, switchOrganizationInput } from "./schemas";
import { openSession } from "./session-grants";
import { sessionsRouter } from "./sessions.router";
import { checkCredentials } from "./sign-in";

export const authRouter = {
  register: publicProcedure.input(registerInput).mutation(async ({ ctx, input }) => {
    const { limiter, rateLimits } = ctx.auth;
    await enforceRateLimits(limiter, [
      { bucket: "register-ip", key: ctx.ip, rule: rateLimits.registerPerIp },
      { bucket: "register-account", key: input.email, rule: rateLimits.registerPerAccount },
    ]);
    const passwordHash = await hashPassword(input.password);
    // The unique index decides, not a lookup first: two simultaneous sign-ups cannot both pass.
    const account = await createAccount(ctx.db, {
      name: input.name,
      email: input.email,
      passwordHash,
      organizationName: input.organizationName,
    }).catch((error: unknown) => {
      if (isUniqueViolation(error, "users_email_key")) {
        throw new TRPCError({ code: "CONFLICT", message: "An account with this email already exists." });
      }
      throw error;
    });
    const { user, organization, role } = account;
    // No re-check of the grant (see openSession): nobody else can change a membership in an
    // organization that did not exist a moment ago.
    await ctx.auth.startSession({ userId: user.id, orgId: organization.id, role }, ctx);
    await recordAudit(ctx.db, ctx, { event: "account.registered", orgId: organization.id, actorId: user.id });
    ctx.log.info({ userId: user.id, orgId: organization.id }, "account registered");
    return account;
  }),

  login: publicProcedure.input(loginInput).mutation(async ({ ctx, input }) => {
    const { limiter, rateLimits } = ctx.auth;
    await enforceRateLimits(limiter, [
      { bucket: "login-ip", key: ctx.ip, rule: rateLimits.loginPerIp },
      { bucket: "login-account", key: input.email, rule: rateLimits.loginPerAccount },
    ]);
    const { firstAccount: account } = await checkCredentials(ctx, input);
    if (!account) {
      throw new TRPCError({ code: "FORBIDDEN", message: "This account does not belong to any organization." });
    }
    const { user, organization, role } = account;
    await openSession(ctx, { userId: user.id, orgId: organization.id, role });
    await recordAudit(ctx.db, ctx, { event: "login.succeeded", orgId: organization.id, actorId: user.id });
    ctx.log.info({ userId: user.id, orgId: organization.id }, "signed in");
    return account;
  }),

  logout: protectedProcedure.mutation(async ({ ctx }) => {
    if (ctx.session.via === "cookie") await ctx.auth.endSession(ctx.session.id, ctx.resHeaders);
    await recordAudit(ctx.db, ctx, { event: "logout", orgId: ctx.session.orgId, actorId: ctx.session.userId });
    return { ok: true as const };
  }),

  me: protectedProcedure.query(async ({ ctx }) => {
    const account = await findAccount(ctx.db, ctx.session);
    if (!account) {
      // The user or the membership was deleted: the session is worthless from now on.
      if (ctx.session.via === "cookie") await ctx.auth.endSession(ctx.session.id, ctx.resHeaders);
      throw new TRPCError({ code: "UNAUTHORIZED", message: "Please sign in." });
    }
    return account;
  }),

  /** Opens another of the user's organizations under a new session id, without signing in again. */
  switchOrganization: browserProcedure.input(switchOrganizationInput).mutation(async ({ ctx, input }) => {
    const account = await findAccount(ctx.db, { userId: ctx.session.userId, orgId: input.orgId });
    if (!account) throw new TRPCError({ code: "NOT_FOUND", message: "Organization not found." });
    const { user, organization, role } = account;
    await openSession(ctx, { userId: user.id, orgId: organization.id, role }, ctx.session);
    await recordAudit(ctx.db, ctx, {
      event: "organization.switched",
      orgId: organization.id,
      actorId: user.id,
      details: { from: ctx.session.orgId },
    });
    return account;
  }),

  /**
   * Ends every other session of the user, deletes their API tokens (in every organization: whoever
   * knew the old password could have created some) and moves this session to a new id.
   */
  changePassword: browserProcedure.input(changePasswordInput).mutation(async ({ ctx, input }) => {
    const { userId } = ctx.session;
    await enforceRateLimits(ctx.auth.limiter, [
      { bucket: "password-change", key: userId, rule: ctx.auth.rateLimits.loginPerAccount },
    ]);
    const valid = await verifyPassword(await findPasswordHash(ctx.db, userId), input.currentPassword);
    if (!valid) {
      // Someone at a signed-in browser guessing the password is worth an admin's attention.
      await recordAudit(ctx.db, ctx, {
        event: "login.failed",
        orgId: ctx.session.orgId,
        actorId: userId,
        details: { reason: "wrong current password" },
      });
      throw new TRPCError({ code: "BAD_REQUEST", message: "Your current password is not correct." });
    }
    const passwordHash = await hashPassword(input.newPassword);
    const revokedApiTokens = await ctx.db.transaction(async (tx) => {
      await tx.update(users).set({ passwordHash }).where(eq(users.id, userId));
      for (const orgId of await orgIdsOf(tx, userId)) {
        await recordAudit(tx, ctx, { event: "password.changed", orgId, actorId: userId });
      }
      return revokeUserApiTokens(tx, ctx, userId, "password changed");
    });
    const endedSessions = await ctx.auth.endUserSessions(userId, { exceptId: ctx.session.id });
    const { orgId, role } = ctx.session;
    await openSession(ctx, { userId, orgId, role }, ctx.session);
    return { ok: true as const, endedSessions, revokedApiTokens };
  }),

  organizations: organizationsRouter,
  sessions: sessionsRouter,
  members: membersRouter,
  invites: invitesRouter,
  apiTokens: apiTokensRouter,
  passwordReset: passwordResetRouter,
  audit: auditRouter,
} satisfies TRPCRouterRecord;
