import type { Role } from "~/trpc/types";

/** The server's ranking (packages/trpc permissions): one manages only those ranked below. */
const RANK: Record<Role, number> = { owner: 3, admin: 2, member: 1, viewer: 0 };

const ASSIGNABLE = ["admin", "member", "viewer"] as const;
export type AssignableRole = (typeof ASSIGNABLE)[number];

/** The roles `by` may hand out: below their own, except that the owner may make admins. */
export function assignableRoles(by: Role): AssignableRole[] {
  return ASSIGNABLE.filter((role) => by === "owner" || RANK[role] < RANK[by]);
}

export function outranks(by: Role, target: Role): boolean {
  return RANK[by] > RANK[target];
}
