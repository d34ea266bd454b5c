import { sql } from "drizzle-orm";
import {
  check,
  index,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { uuidv7 } from "uuidv7";
import { lifecycleStageEnum } from "./crm-enums";
import { companies } from "./crm-schema";

const id = () =>
  uuid("id")
    .primaryKey()
    .$defaultFn(() => uuidv7());

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();
const updatedAt = () =>
  timestamp("updated_at", { withTimezone: true })
    .notNull()
    .defaultNow()
    .$onUpdateFn(() => new Date());

export const roleEnum = pgEnum("role", ["owner", "admin", "member", "viewer"]);
export type Role = (typeof roleEnum.enumValues)[number];

/** Who sees an organization's CRM records: everyone, or members only the records they own. */
export const recordVisibilityEnum = pgEnum("record_visibility", ["all", "own"]);
export type RecordVisibility = (typeof recordVisibilityEnum.enumValues)[number];

export const users = pgTable(
  "users",
  {
    id: id(),
    /** Stored lower-cased and trimmed; uniqueness is on this normalized form. */
    email: text("email").notNull(),
    name: text("name").notNull(),
    passwordHash: text("password_hash").notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("users_email_key").on(t.email)],
);

export const organizations = pgTable("organizations", {
  id: id(),
  name: text("name").notNull(),
  recordVisibility: recordVisibilityEnum("record_visibility").notNull().default("all"),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const memberships = pgTable(
  "memberships",
  {
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: roleEnum("role").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.userId] }), index("memberships_user_idx").on(t.userId)],
);

export const contacts = pgTable(
  "contacts",
  {
    id: id(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    firstName: text("first_name").notNull(),
    lastName: text("last_name").notNull().default(""),
    email: text("email"),
    phone: text("phone"),
    jobTitle: text("job_title"),
    notes: text("notes"),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    /** Whose record this is; with record visibility "own", members see only theirs. */
    ownerId: uuid("owner_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    // CRM extension (see crm-schema.ts for the tables these point at).
    companyId: uuid("company_id").references(() => companies.id, { onDelete: "set null" }),
    lifecycleStage: lifecycleStageEnum("lifecycle_stage").notNull().default("lead"),
    /** e.g. `{ linkedin: "https://…", twitter: "…", website: "…" }`. */
    socialLinks: jsonb("social_links").$type<Record<string, string>>().notNull().default({}),
    lastActivityAt: timestamp("last_activity_at", { withTimezone: true }),
    deletedAt: timestamp("deleted_at", { withTimezone: true }),
    /**
     * What contact search matches against, folded by `search_fold` (lowercase, accents removed:
     * "Müller" → "muller"); the function and the trigram GIN index are in custom migrations.
     */
    searchText: text("search_text")
      .notNull()
      .generatedAlwaysAs(
        sql`search_fold(first_name || ' ' || last_name || ' ' || coalesce(email, '') || ' ' || coalesce(phone, '') || ' ' || coalesce(job_title, ''))`,
      ),
  },
  // UUIDv7 ids are time-ordered, so (org_id, id) serves "newest first" keyset pagination.
  (t) => [
    index("contacts_org_id_idx").on(t.orgId, t.id),
    index("contacts_org_email_idx").on(t.orgId, t.email),
    // Lists show live records only: partial indexes on `deleted_at is null` match the list's filter
    // exactly, so the planner walks one in list order and stops after a page (without them it
    // may read every row of the organization and sort, e.g. before statistics exist).
    index("contacts_org_live_idx").on(t.orgId, t.id).where(sql`${t.deletedAt} is null`),
    index("contacts_org_company_idx").on(t.orgId, t.companyId, t.id).where(sql`${t.deletedAt} is null`),
    index("contacts_org_lifecycle_idx").on(t.orgId, t.lifecycleStage, t.id).where(sql`${t.deletedAt} is null`),
    index("contacts_org_name_idx").on(t.orgId, t.lastName, t.firstName, t.id).where(sql`${t.deletedAt} is null`),
    index("contacts_org_last_activity_idx")
      .on(t.orgId, t.lastActivityAt.desc().nullsLast(), t.id.desc())
      .where(sql`${t.deletedAt} is null`),
    index("contacts_org_owner_live_idx").on(t.orgId, t.ownerId, t.id).where(sql`${t.deletedAt} is null`),
    index("contacts_org_deleted_idx").on(t.orgId, t.deletedAt).where(sql`${t.deletedAt} is not null`),
    index("contacts_org_owner_idx").on(t.orgId, t.ownerId, t.id),
  ],
);

/** Invitation links. Only the SHA-256 of the token is kept; the link is shown once. */
export const invites = pgTable(
  "invites",
  {
    id: id(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull(),
    role: roleEnum("role").notNull(),
    /** When set, only this (normalized) email may accept. */
    email: text("email"),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    acceptedAt: timestamp("accepted_at", { withTimezone: true }),
    acceptedBy: uuid("accepted_by").references(() => users.id, { onDelete: "set null" }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("invites_token_hash_key").on(t.tokenHash), index("invites_org_idx").on(t.orgId, t.id)],
);

/** Single-use password reset tokens (SHA-256 only). */
export const passwordResets = pgTable(
  "password_resets",
  {
    id: id(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    /**
     * The admin who created the link, and the organization where they could: a link is only as good
     * as its creator's right to make it, and is voided when they lose it. Both null for a link the
     * user asked for themselves.
     */
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "cascade" }),
    orgId: uuid("org_id").references(() => organizations.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("password_resets_token_hash_key").on(t.tokenHash),
    index("password_resets_user_idx").on(t.userId),
    index("password_resets_created_by_idx").on(t.createdBy),
    check("password_resets_creator_check", sql`(${t.createdBy} is null) = (${t.orgId} is null)`),
  ],
);

/** Personal API tokens: a member's permissions in one organization (SHA-256 of the token only). */
export const apiTokens = pgTable(
  "api_tokens",
  {
    id: id(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    tokenHash: text("token_hash").notNull(),
    /** The first characters of the token, so people can tell their tokens apart. */
    prefix: text("prefix").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("api_tokens_token_hash_key").on(t.tokenHash),
    index("api_tokens_org_user_idx").on(t.orgId, t.userId, t.id),
  ],
);

/** Security events. `details` holds small context, never secrets. */
export const auditLog = pgTable(
  "audit_log",
  {
    id: id(),
    /** Null only for events outside any organization (a sign-in attempt for an unknown email). */
    orgId: uuid("org_id").references(() => organizations.id, { onDelete: "cascade" }),
    actorId: uuid("actor_id").references(() => users.id, { onDelete: "set null" }),
    event: text("event").notNull(),
    targetType: text("target_type"),
    targetId: text("target_id"),
    ip: text("ip"),
    userAgent: text("user_agent"),
    details: jsonb("details").$type<Record<string, string | number | boolean | null>>(),
    createdAt: createdAt(),
  },
  // UUIDv7 ids are time-ordered: (org_id, id) pages newest first; the others serve the filters.
  (t) => [
    index("audit_log_org_idx").on(t.orgId, t.id),
    index("audit_log_org_event_idx").on(t.orgId, t.event, t.id),
    index("audit_log_org_actor_idx").on(t.orgId, t.actorId, t.id),
  ],
);

export type User = typeof users.$inferSelect;
export type Organization = typeof organizations.$inferSelect;
export type Membership = typeof memberships.$inferSelect;
export type Contact = typeof contacts.$inferSelect;
export type NewContact = typeof contacts.$inferInsert;

export * from "./crm-enums";
export * from "./crm-schema";
export type Invite = typeof invites.$inferSelect;
export type ApiToken = typeof apiTokens.$inferSelect;
export type AuditEntry = typeof auditLog.$inferSelect;
