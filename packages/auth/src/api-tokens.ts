import { and, apiTokens, type Db, eq, memberships } from "@nexo/db";
import type { Session } from "@nexo/trpc";
import { type AuditSource, recordAudit } from "./audit";
import { hashSecret, newSecret } from "./secrets";

export const API_TOKEN_PREFIX = "nexo_pat_";
const TOKEN_SHAPE = /^nexo_pat_[A-Za-z0-9_-]{43}$/;
// Last-used is a hint for people, not an access log: one write a minute per token is plenty.
const LAST_USED_GRANULARITY_MS = 60_000;

/** A new token: the secret shown once, and what the database keeps. */
export function generateApiToken() {
  const token = `${API_TOKEN_PREFIX}${newSecret()}`;
  return { token, tokenHash: hashSecret(token), prefix: token.slice(0, API_TOKEN_PREFIX.length + 6) };
}

/** The `Authorization: Bearer` credential of a request, if it carries one. */
export function bearerToken(headers: Headers): string | null {
  const value = headers.get("authorization");
  const match = value?.match(/^Bearer\s+(\S+)$/i);
  return match?.[1] ?? null;
}

/**
 * The session an API token stands for: its member's current role in its organization, so a role
 * change applies at once and a removed member's token (deleted with the membership) stops working.
 */
export async function resolveApiToken(db: Db, token: string): Promise<(Session & { tokenId: string }) | null> {
  // Malformed values never reach the database.
  if (!TOKEN_SHAPE.test(token)) return null;
  const [row] = await db
    .select({
      id: apiTokens.id,
      userId: apiTokens.userId,
      orgId: apiTokens.orgId,
      role: memberships.role,
      expiresAt: apiTokens.expiresAt,
      lastUsedAt: apiTokens.lastUsedAt,
    })
    .from(apiTokens)
    .innerJoin(memberships, and(eq(memberships.orgId, apiTokens.orgId), eq(memberships.userId, apiTokens.userId)))
    .where(eq(apiTokens.tokenHash, hashSecret(token)));
  const now = Date.now();
  if (!row || (row.expiresAt && row.expiresAt.getTime() <= now)) return null;
  if (!row.lastUsedAt || now - row.lastUsedAt.getTime() >= LAST_USED_GRANULARITY_MS) {
    await db
      .update(apiTokens)
      .set({ lastUsedAt: new Date(now) })
      .where(eq(apiTokens.id, row.id));
  }
  return { id: `token:${row.id}`, tokenId: row.id, userId: row.userId, orgId: row.orgId, role: row.role, via: "token" };
}

/**
 * Deletes every API token of the user, in all organizations, auditing each as revoked. A password
 * reset or change means the password may have been known to someone else, who could have minted
 * tokens with it; tokens outlive sessions, so ending sessions alone would leave them in.
 * Pass the transaction of the password update so both happen or neither.
 */
export async function revokeUserApiTokens(
  tx: Pick<Db, "delete" | "insert">,
  source: AuditSource,
  userId: string,
  reason: "password reset" | "password changed",
): Promise<number> {
  const revoked = await tx
    .delete(apiTokens)
    .where(eq(apiTokens.userId, userId))
    .returning({ id: apiTokens.id, orgId: apiTokens.orgId, name: apiTokens.name });
  for (const token of revoked) {
    await recordAudit(tx, source, {
      event: "token.revoked",
      orgId: token.orgId,
      actorId: userId,
      target: { type: "token", id: token.id },
      details: { name: token.name, reason },
    });
  }
  return revoked.length;
}
