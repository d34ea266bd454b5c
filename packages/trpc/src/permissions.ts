import type { Role } from "@nexo/db";

/**
 * The permission matrix: which roles may perform each action. Procedures declare the action they
 * need (`permissionProcedure("contacts.write")`) and the middleware checks it against this table,
 * so this module is the one place that decides, and the README's table is checked against it.
 */
export const permissions = {
  "contacts.read": {
    roles: ["owner", "admin", "member", "viewer"],
    description: "List, search and open contacts",
  },
  "contacts.write": {
    roles: ["owner", "admin", "member"],
    description: "Create, edit and delete contacts",
  },
  "contacts.readAll": {
    roles: ["owner", "admin"],
    description: 'See every record when the organization shows members "only the records they own"',
  },
  "members.read": {
    roles: ["owner", "admin", "member", "viewer"],
    description: "See the organization's members",
  },
  "members.manage": {
    roles: ["owner", "admin"],
    description: "Invite people, change roles (below owner), remove members, issue password reset links",
  },
  "organization.update": {
    roles: ["owner", "admin"],
    description: "Rename the organization, set record visibility",
  },
  "organization.transfer": {
    roles: ["owner"],
    description: "Transfer ownership to another member",
  },
  "audit.read": {
    roles: ["owner", "admin"],
    description: "Read the audit log",
  },
  "import.run": {
    roles: ["owner", "admin", "member"],
    description: "Import contacts, companies and deals from CSV and follow their imports",
  },
  "export.run": {
    roles: ["owner", "admin", "member"],
    description: "Export filtered lists of contacts, companies and deals as CSV",
  },
  "apiTokens.manage": {
    roles: ["owner", "admin", "member", "viewer"],
    description: "Create and revoke one's own API tokens (they carry one's own permissions)",
  },
} as const satisfies Record<string, { roles: readonly Role[]; description: string }>;

export type Permission = keyof typeof permissions;

export const allRoles = ["owner", "admin", "member", "viewer"] as const satisfies readonly Role[];

/** Higher outranks lower: an admin manages members and viewers, never the owner. */
export const roleRank: Record<Role, number> = { owner: 3, admin: 2, member: 1, viewer: 0 };

export function can(role: Role, permission: Permission): boolean {
  return (permissions[permission].roles as readonly Role[]).includes(role);
}

/** The matrix as the Markdown table the README carries. */
export function permissionTable(): string {
  const header = `| action | ${allRoles.join(" | ")} | what it allows |`;
  const rule = `| --- | ${allRoles.map(() => ":-:").join(" | ")} | --- |`;
  const rows = Object.entries(permissions).map(
    ([action, { roles, description }]) =>
      `| \`${action}\` | ${allRoles.map((r) => ((roles as readonly Role[]).includes(r) ? "✓" : "")).join(" | ")} | ${description} |`,
  );
  return [header, rule, ...rows].join("\n");
}
