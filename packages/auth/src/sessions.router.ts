import { browserProcedure, TRPCError, type TRPCRouterRecord } from "@nexo/trpc";
import { listAccounts } from "./accounts.queries";
import { recordAudit } from "./audit";
import { revokeAllSessionsInput, sessionIdInput } from "./schemas";
import { hashSecret } from "./secrets";
import { describeUserAgent } from "./user-agent";

/** What the UI names a session by: a digest, since the session id itself is a bearer secret. */
const publicId = (sessionId: string) => hashSecret(sessionId).slice(0, 32);

export const sessionsRouter = {
  /** The signed-in user's live sessions, newest activity first. */
  list: browserProcedure.query(async ({ ctx }) => {
    const [stored, accounts] = await Promise.all([
      ctx.auth.listUserSessions(ctx.session.userId),
      listAccounts(ctx.db, ctx.session.userId),
    ]);
    const orgNames = new Map(accounts.map((a) => [a.organization.id, a.organization.name]));
    return stored
      .map(({ id, data }) => ({
        id: publicId(id),
        current: id === ctx.session.id,
        browser: describeUserAgent(data.userAgent),
        userAgent: data.userAgent,
        ip: data.ip,
        organization: { id: data.orgId, name: orgNames.get(data.orgId) ?? null },
        createdAt: new Date(data.createdAt),
        lastSeenAt: new Date(data.lastSeenAt),
        expiresAt: new Date(data.expiresAt),
      }))
      .sort((a, b) => b.lastSeenAt.getTime() - a.lastSeenAt.getTime());
  }),

  /** Ends one of the user's sessions at once (its next request is signed out). */
  revoke: browserProcedure.input(sessionIdInput).mutation(async ({ ctx, input }) => {
    const stored = await ctx.auth.listUserSessions(ctx.session.userId);
    const target = stored.find((s) => publicId(s.id) === input.id);
    if (!target) throw new TRPCError({ code: "NOT_FOUND", message: "Session not found (already ended?)." });
    await ctx.auth.endSession(target.id, target.id === ctx.session.id ? ctx.resHeaders : new Headers());
    await recordAudit(ctx.db, ctx, {
      event: "session.revoked",
      orgId: ctx.session.orgId,
      actorId: ctx.session.userId,
      target: { type: "session", id: input.id },
    });
    return { ok: true as const, current: target.id === ctx.session.id };
  }),

  /** "Log out everywhere", or with `exceptCurrent` every other device. */
  revokeAll: browserProcedure.input(revokeAllSessionsInput).mutation(async ({ ctx, input }) => {
    const { userId } = ctx.session;
    const ended = await ctx.auth.endUserSessions(userId, input.exceptCurrent ? { exceptId: ctx.session.id } : {});
    if (!input.exceptCurrent) await ctx.auth.endSession(ctx.session.id, ctx.resHeaders);
    for (const { organization } of await listAccounts(ctx.db, userId)) {
      await recordAudit(ctx.db, ctx, {
        event: "sessions.revoked_all",
        orgId: organization.id,
        actorId: userId,
        details: { ended, exceptCurrent: input.exceptCurrent },
      });
    }
    return { ok: true as const, ended };
  }),
} satisfies TRPCRouterRecord;
