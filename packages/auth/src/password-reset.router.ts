import { and, type Db, eq, gt, isNull, memberships, ne, passwordResets, sql, users } from "@nexo/db";
import { permissionProcedure, publicProcedure, roleRank, TRPCError, type TRPCRouterRecord } from "@nexo/trpc";
import { NO_USER, orgIdsOf } from "./accounts.queries";
import { revokeUserApiTokens } from "./api-tokens";
import { type AuditEntryInput, recordAudit, recordAudits } from "./audit";
import { lockedRole, membershipChanged } from "./member-links";
import { hashPassword } from "./passwords";
import { enforceRateLimits } from "./rate-limit";
import { completePasswordResetInput, inviteTokenInput, memberInput, requestPasswordResetInput } from "./schemas";
import { hashSecret, newSecret } from "./secrets";

const RESET_LIFETIME_MS = 30 * 60 * 1000;

const linkUnusable = () =>
  new TRPCError({ code: "NOT_FOUND", message: "This reset link is not valid: it was used or has expired." });

/**
 * Stores a new single-use token for `userId`, made by `createdBy` in `orgId` (so that it is voided
 * when they lose the right to make it), and returns its link, shown once.
 */
async function issueResetLink(
  db: Pick<Db, "insert">,
  appUrl: string,
  link: { userId: string; createdBy: string; orgId: string },
) {
  const token = newSecret();
  const expiresAt = new Date(Date.now() + RESET_LIFETIME_MS);
  await db.insert(passwordResets).values({ ...link, tokenHash: hashSecret(token), expiresAt });
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
    // A known and an unknown email run the very same statements in one transaction (an INSERT …
    // SELECT that finds no user inserts nothing; the audit insert writes one row either way), so the
    // time to answer does not tell which emails have accounts.
    const token = newSecret();
    const expiresAt = new Date(Date.now() + RESET_LIFETIME_MS);
    const userId = await ctx.db.transaction(async (tx) => {
      const [issued] = await tx
        .insert(passwordResets)
        .select(
          tx
            .select({
              // Ids of this table are never ordered by, so the database's random UUID will do.
              id: sql<string>`gen_random_uuid()`.as("id"),
              userId: users.id,
              tokenHash: sql<string>`${hashSecret(token)}`.as("token_hash"),
              expiresAt: sql<Date>`${expiresAt.toISOString()}::timestamptz`.as("expires_at"),
              usedAt: sql<Date | null>`null::timestamptz`.as("used_at"),
              // Asked for by the user themselves, not made by an admin.
              createdBy: sql<string | null>`null::uuid`.as("created_by"),
              orgId: sql<string | null>`null::uuid`.as("org_id"),
              createdAt: sql<Date>`now()`.as("created_at"),
            })
            .from(users)
            .where(eq(users.email, input.email)),
        )
        .returning({ userId: passwordResets.userId });
      const orgIds = await orgIdsOf(tx, issued?.userId ?? NO_USER);
      const entries: AuditEntryInput[] = issued
        ? orgIds.map((orgId) => ({ event: "password.reset_requested", orgId, actorId: issued.userId }))
        : [];
      // An unknown email (or a user in no organization) leaves one entry outside any organization,
      // as a failed sign-in does.
      if (entries.length === 0) {
        entries.push({
          event: "password.reset_requested",
          orgId: null,
          actorId: issued?.userId ?? null,
          details: issued ? undefined : { reason: "unknown email" },
        });
      }
      await recordAudits(tx, ctx, entries);
      return issued?.userId ?? null;
    });
    if (userId === null) return answer;
    const link = { url: `${ctx.auth.appUrl}/reset-password/${token}` };
    mailer
      .send({
        to: input.email,
        subject: "Reset your Nexo password",
        text: `Someone (hopefully you) asked to reset the password of your Nexo account.\n\nOpen this link within 30 minutes to choose a new password:\n${link.url}\n\nIf you did not ask for this, ignore this email: your password stays as it is.\n`,
      })
      .catch((error: unknown) => ctx.log.error({ err: error }, "password reset email failed"));
    return answer;
  }),

  /**
   * For organizations without SMTP: an admin creates a reset link for a member ranked below them,
   * and only for someone who belongs to this organization alone. The new password opens the whole
   * account, so a link from here for someone who is also in another organization (perhaps as its
   * owner) would let this organization's admins take over their place there too.
   */
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
        // Locks the user against a concurrent invite acceptance (which takes the same lock and then
        // voids outstanding links): the check below and the new link cannot interleave with it.
        await tx.select({ id: users.id }).from(users).where(eq(users.id, input.userId)).for("update");
        // Both roles again, locked against a concurrent removal or role change, which voids the
        // links made by or for the member it changes: this link is then either voided or not made.
        if ((await lockedRole(tx, ctx.orgId, ctx.userId)) !== ctx.role) throw membershipChanged();
        if ((await lockedRole(tx, ctx.orgId, input.userId)) !== member.role) {
          throw new TRPCError({ code: "CONFLICT", message: "The member changed meanwhile; reload and retry." });
        }
        const [elsewhere] = await tx
          .select({ orgId: memberships.orgId })
          .from(memberships)
          .where(and(eq(memberships.userId, input.userId), ne(memberships.orgId, ctx.orgId)))
          .limit(1);
        if (elsewhere) {
          throw new TRPCError({
            code: "FORBIDDEN",
            message:
              "This person also belongs to another organization, so only they can reset their password (with “Forgot password” on the sign-in page).",
          });
        }
        const link = await issueResetLink(tx, ctx.auth.appUrl, {
          userId: input.userId,
          createdBy: ctx.userId,
          orgId: ctx.orgId,
        });
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

  /**
   * Sets the new password, uses up every outstanding link of the user, deletes their API tokens (in
   * every organization: whoever knew the old password could have created some) and ends all their
   * sessions.
   */
  complete: publicProcedure.input(completePasswordResetInput).mutation(async ({ ctx, input }) => {
    await enforceRateLimits(ctx.auth.limiter, [
      { bucket: "reset-ip", key: ctx.ip, rule: ctx.auth.rateLimits.resetPerIp },
    ]);
    const passwordHash = await hashPassword(input.password);
    const { userId, revokedApiTokens } = await ctx.db.transaction(async (tx) => {
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
      const revokedApiTokens = await revokeUserApiTokens(tx, ctx, reset.userId, "password reset");
      return { userId: reset.userId, revokedApiTokens };
    });
    const endedSessions = await ctx.auth.endUserSessions(userId);
    return { ok: true as const, endedSessions, revokedApiTokens };
  }),
} satisfies TRPCRouterRecord;
