/** Every event the audit log records; the filter in the settings UI offers exactly these. */
export const auditEvents = [
  "account.registered",
  "login.succeeded",
  "login.failed",
  "logout",
  "password.changed",
  "password.reset_requested",
  "password.reset_link_created",
  "password.reset",
  "invite.created",
  "invite.revoked",
  "invite.accepted",
  "member.role_changed",
  "member.removed",
  "member.left",
  "ownership.transferred",
  "organization.updated",
  "organization.switched",
  "token.created",
  "token.revoked",
  "session.revoked",
  "sessions.revoked_all",
] as const;

export type AuditEvent = (typeof auditEvents)[number];
