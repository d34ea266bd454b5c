import { and, type Db, eq, gt, isNull, memberships, passwordResets, users } from "@nexo/db";
import { permissionProcedure, publicProcedure, roleRank, TRPCError, type TRPCRouterRecord } from "@nexo/trpc";
import { orgIdsOf } from "./accounts.queries";
import { recordAudit } from "./audit";
import { hashPassword } from "./passwords";
import { enforceRateLimits } from "./rate-limit";
import { completePasswordResetInput, inviteTokenInput, memberInput, requestPasswordResetInput } from "./schemas";
import { hashSecret, newSecret } from "./secrets";

const RESET_LIFETIME_MS = 30 * 60 * 1000;

const linkUnusable = () =>
  new TRPCError({ code: "NOT_FOUND", message: "This reset link is not valid: it was used or has expired." });

/** Stores a new single-use token for `userId` and returns its link, shown or mailed once. */
async function issueResetLink(db: Pick<Db, "insert">, appUrl: string, userId: string) {
  const token = newSecret();
  const expiresAt = new Date(Date.now() + RESET_LIFETIME_MS);
  await db.insert(passwordResets).values({ userId, tokenHash: hashSecret(token), expiresAt });
  return { url: `${appUrl}/reset-password/${token}`, expiresAt };
}

const usableToken = (token: string) =>
  and(
    eq(passwordResets.tokenHash, hashSecret(token)),
    isNull(passwordResets.usedAt),
    gt(passwordResets.expiresAt, new Date()),
  );

export const passwordResetRouter = {
  /**
   * Mails a reset link when the email has an account and SMTP is configured. The answer is the same
   * either way, and the mail is sent after answering, so neither tells which emails have accounts.
   */
  request: publicProcedure.input(requestPasswordResetInput).mutation(async ({ ctx, input }) => {
    const { limiter, rateLimits, mailer } = ctx.auth;
    await enforceRateLimits(limiter, [
      { bucket: "reset-ip", key: ctx.ip, rule: rateLimits.resetPerIp },
      { bucket: "reset-account", key: input.email, rule: rateLimits.resetPerAccount },
    ]);
    const answer = {
      ok: true as const,
      message: "If an account exists for this email, we have sent it a link to reset the password.",
    };
    if (!mailer) {
      ctx.log.warn({}, "password reset requested, but SMTP is not configured: an admin can issue a reset link");
      return answer;
    }
    const [user] = await ctx.db.select({ id: users.id }).from(users).where(eq(users.email, input.email));
    if (!user) return answer;
    const link = await ctx.db.transaction(async (tx) => {
      const issued = await issueResetLink(tx, ctx.auth.appUrl, user.id);
      for (const orgId of await orgIdsOf(tx, user.id)) {
        await recordAudit(tx, ctx, { event: "password.reset_requested", orgId, actorId: user.id });
      }
      return issued;
    });
    mailer
      .send({
        to: input.email,
        subject: "Reset your Nexo password",
        text: `Someone (hopefully you) asked to reset the password of your Nexo account.\n\nOpen this link within 30 minutes to choose a new password:\n${link.url}\n\nIf you did not ask for this, ignore this email: your password stays as it is.\n`,
      })
      .catch((error: unknown) => ctx.log.error({ err: error }, "password reset email failed"));
    return answer;
  }),

  /** For organizations without SMTP: an admin creates a reset link for a member ranked below them. */
  createLink: permissionProcedure("members.manage")
    // Browser sessions only: a leaked API token must not be able to take over members' accounts.
    .meta({ browserOnly: true })
    .input(memberInput)
    .mutation(async ({ ctx, input }) => {
      const [member] = await ctx.db
        .select({ role: memberships.role })
        .from(memberships)
        .where(and(eq(memberships.orgId, ctx.orgId), eq(memberships.userId, input.userId)));
      if (!member) throw new TRPCError({ code: "NOT_FOUND", message: "Member not found." });
      if (input.userId === ctx.userId) {
        throw new TRPCError({ code: "BAD_REQUEST", message: "Change your own password in your profile instead." });
      }
      if (roleRank[member.role] >= roleRank[ctx.role]) {
        throw new TRPCError({ code: "FORBIDDEN", message: `You cannot reset the password of an ${member.role}.` });
      }
      return ctx.db.transaction(async (tx) => {
        const link = await issueResetLink(tx, ctx.auth.appUrl, input.userId);
        await recordAudit(tx, ctx, {
          event: "password.reset_link_created",
          orgId: ctx.orgId,
          actorId: ctx.userId,
          target: { type: "user", id: input.userId },
        });
        return link;
      });
    }),

  /** Whether a reset link can still be used, and for which account. */
  check: publicProcedure.input(inviteTokenInput).query(async ({ ctx, input }) => {
    const [row] = await ctx.db
      .select({ email: users.email, expiresAt: passwordResets.expiresAt })
      .from(passwordResets)
      .innerJoin(users, eq(users.id, passwordResets.userId))
      .where(usableToken(input.token));
    if (!row) throw linkUnusable();
    return row;
  }),

  /** Sets the new password, uses up every outstanding link of the user and ends all their sessions. */
  complete: publicProcedure.input(completePasswordResetInput).mutation(async ({ ctx, input }) => {
    await enforceRateLimits(ctx.auth.limiter, [
      { bucket: "reset-ip", key: ctx.ip, rule: ctx.auth.rateLimits.resetPerIp },
    ]);
    const passwordHash = await hashPassword(input.password);
    const userId = await ctx.db.transaction(async (tx) => {
      const [reset] = await tx
        .update(passwordResets)
        .set({ usedAt: new Date() })
        .where(usableToken(input.token))
        .returning({ userId: passwordResets.userId });
      if (!reset) throw linkUnusable();
      await tx
        .update(passwordResets)
        .set({ usedAt: new Date() })
        .where(and(eq(passwordResets.userId, reset.userId), isNull(passwordResets.usedAt)));
      await tx.update(users).set({ passwordHash }).where(eq(users.id, reset.userId));
      for (const orgId of await orgIdsOf(tx, reset.userId)) {
        await recordAudit(tx, ctx, { event: "password.reset", orgId, actorId: reset.userId });
      }
      return reset.userId;
    });
    const endedSessions = await ctx.auth.endUserSessions(userId);
    return { ok: true as const, endedSessions };
  }),
} satisfies TRPCRouterRecord;
