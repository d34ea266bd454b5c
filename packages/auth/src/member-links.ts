/**
 * Invite links and admin-made password reset links outlive the request that made them, so each is
 * only as good as its creator's right to make it: they are created while that right is confirmed
 * under a lock, and voided in the same transaction as the membership change that ends it.
 */
import {
  and,
  type Db,
  eq,
  gt,
  inArray,
  invites,
  isNull,
  memberships,
  notInArray,
  or,
  passwordResets,
  type Role,
} from "@nexo/db";
import { allRoles, can, roleRank, TRPCError } from "@nexo/trpc";
import { type AuditSource, recordAudits } from "./audit";

/** The roles `role` may invite, or make reset links for: those below it, if it manages members. */
function rolesManagedBy(role: Role | undefined): Role[] {
  if (!role || !can(role, "members.manage")) return [];
  return allRoles.filter((r) => roleRank[r] < roleRank[role]);
}

/** An invite that can be accepted right now: neither accepted nor revoked nor expired. */
export const usableInvite = () =>
  and(isNull(invites.acceptedAt), isNull(invites.revokedAt), gt(invites.expiresAt, new Date()));

/**
 * The user's role in the organization, read in the transaction that creates a link, with their
 * membership row share-locked. A removal or role change (which deletes or updates that row and then
 * voids the member's links) either waits for that transaction and voids what it created, or commits
 * first and its outcome is read here; the session's role may be older than both.
 */
export async function lockedRole(tx: Pick<Db, "select">, orgId: string, userId: string): Promise<Role | undefined> {
  const [row] = await tx
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)))
    .for("share");
  return row?.role;
}

/** For a link-making procedure whose session role is no longer the caller's role (see `lockedRole`). */
export const membershipChanged = () =>
  new TRPCError({
    code: "CONFLICT",
    message: "Your membership in this organization changed meanwhile. Please sign in again.",
  });

export type LinksVoidedBecause = "creator removed" | "creator left" | "creator's role changed";

/**
 * Call in the transaction that removes a member or changes their role, after the change, with their
 * new role (null once they are no longer a member). Voids the pending links that the change makes
 * stale in that organization: the invites and reset links the member made there that the new role
 * could not make, and the reset links made there for them, against a role they no longer have.
 * Each invite is audited as revoked (the invite list shows it so); a reset link, voided as one
 * voided by use, is not.
 */
export async function voidStaleLinks(
  tx: Pick<Db, "select" | "update" | "insert">,
  source: AuditSource,
  change: { orgId: string; userId: string; role: Role | null; actorId: string; reason: LinksVoidedBecause },
): Promise<void> {
  const managed = rolesManagedBy(change.role ?? undefined);
  const revoked = await tx
    .update(invites)
    .set({ revokedAt: new Date() })
    .where(
      and(
        eq(invites.orgId, change.orgId),
        eq(invites.createdBy, change.userId),
        usableInvite(),
        managed.length > 0 ? notInArray(invites.role, managed) : undefined,
      ),
    )
    .returning({ id: invites.id, role: invites.role });
  await recordAudits(
    tx,
    source,
    revoked.map((invite) => ({
      event: "invite.revoked" as const,
      orgId: change.orgId,
      actorId: change.actorId,
      target: { type: "invite" as const, id: invite.id },
      details: { role: invite.role, reason: change.reason },
    })),
  );

  const stillManaged = tx
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.orgId, change.orgId), inArray(memberships.role, managed)));
  await tx
    .update(passwordResets)
    .set({ usedAt: new Date() })
    .where(
      and(
        eq(passwordResets.orgId, change.orgId),
        isNull(passwordResets.usedAt),
        gt(passwordResets.expiresAt, new Date()),
        or(
          and(
            eq(passwordResets.createdBy, change.userId),
            managed.length > 0 ? notInArray(passwordResets.userId, stillManaged) : undefined,
          ),
          eq(passwordResets.userId, change.userId),
        ),
      ),
    );
}
