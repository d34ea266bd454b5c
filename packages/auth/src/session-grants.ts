import { and, eq, memberships } from "@nexo/db";
import { type Context, type Session, TRPCError } from "@nexo/trpc";
import type { SessionGrant } from "./sessions";

type GrantContext = Pick<Context, "db" | "auth" | "headers" | "resHeaders" | "ip">;

/**
 * Opens a session for `grant` (a new one, or `from` moved to a new id) and then confirms the grant
 * against the database once more.
 *
 * The role in `grant` was read before the session existed. A role change or removal that commits in
 * between ends the user's sessions in that organization, but it may list them before this session
 * is stored, and would then leave it alive with the old role. Reading the membership again after the
 * session is stored closes that gap: a change that committed before this read is seen here, and one
 * that commits after it lists (and ends) this session, since those procedures end sessions only
 * after committing.
 */
export async function openSession(ctx: GrantContext, grant: SessionGrant, from?: Session): Promise<Session> {
  const session = from ? await ctx.auth.rotateSession(from, grant, ctx) : await ctx.auth.startSession(grant, ctx);
  const [membership] = await ctx.db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.orgId, grant.orgId), eq(memberships.userId, grant.userId)));
  if (membership?.role !== grant.role) {
    await ctx.auth.endSession(session.id, ctx.resHeaders);
    throw new TRPCError({
      code: "CONFLICT",
      message: "Your membership in this organization changed meanwhile. Please sign in again.",
    });
  }
  return session;
}
