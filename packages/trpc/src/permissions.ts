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
    description: "Create, edit, delete and restore contacts; reassign their owner",
  },
  "companies.read": {
    roles: ["owner", "admin", "member", "viewer"],
    description: "List, search and open companies and a company's page",
  },
  "companies.write": {
    roles: ["owner", "admin", "member"],
    description: "Create, edit, delete and restore companies",
  },
  "deals.read": {
    roles: ["owner", "admin", "member", "viewer"],
    description: "List and open deals, see pipeline boards",
  },
  "deals.write": {
    roles: ["owner", "admin", "member"],
    description: "Create, edit, move, close, delete and restore deals",
  },
  "pipelines.read": {
    roles: ["owner", "admin", "member", "viewer"],
    description: "See pipelines and their stages",
  },
  "pipelines.manage": {
    roles: ["owner", "admin"],
    description: "Create, rename, delete pipelines; add, edit, reorder and delete stages",
  },
  "activities.read": {
    roles: ["owner", "admin", "member", "viewer"],
    description: "See notes, tasks, calls, meetings and record timelines",
  },
  "activities.write": {
    roles: ["owner", "admin", "member"],
    description: "Log, edit, complete and delete activities",
  },
  "tags.read": {
    roles: ["owner", "admin", "member", "viewer"],
    description: "See the organization's tags",
  },
  "tags.apply": {
    roles: ["owner", "admin", "member"],
    description: "Set the tags of a contact, company or deal",
  },
  "tags.manage": {
    roles: ["owner", "admin"],
    description: "Create, rename, recolour and delete the organization's tags",
  },
  "customFields.read": {
    roles: ["owner", "admin", "member", "viewer"],
    description: "See the custom fields defined for contacts, companies and deals",
  },
  "customFields.manage": {
    roles: ["owner", "admin"],
    description: "Define, edit, reorder and delete custom fields (values are set with the record)",
  },
  "views.save": {
    roles: ["owner", "admin", "member", "viewer"],
    description: "Save list views (filters, sort, columns), change or delete one's own, share them",
  },
  "views.manageShared": {
    roles: ["owner", "admin"],
    description: "Change or delete views that others shared in the organization",
  },
  "search.read": {
    roles: ["owner", "admin", "member", "viewer"],
    description: "Search contacts, companies and deals at once",
  },
  "dashboard.read": {
    roles: ["owner", "admin", "member", "viewer"],
    description: "See dashboards (figures cover only the records the viewer may see)",
  },
  "records.readAll": {
    roles: ["owner", "admin"],
    description: 'See every record when the organization shows members "only the records they own"',
  },
  "trash.purge": {
    roles: ["owner", "admin"],
    description: "Empty the trash for good (it is also purged after `TRASH_RETENTION_DAYS`)",
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
