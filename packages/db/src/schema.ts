import { sql } from "drizzle-orm";
import { index, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
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

export const roleEnum = pgEnum("role", ["owner", "admin", "member"]);
export type Role = (typeof roleEnum.enumValues)[number];

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
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    // CRM extension (see crm-schema.ts for the tables these point at).
    companyId: uuid("company_id").references(() => companies.id, { onDelete: "set null" }),
    lifecycleStage: lifecycleStageEnum("lifecycle_stage").notNull().default("lead"),
    /** e.g. `{ linkedin: "https://…", twitter: "…", website: "…" }`. */
    socialLinks: jsonb("social_links").$type<Record<string, string>>().notNull().default({}),
    lastActivityAt: timestamp("last_activity_at", { withTimezone: true }),
    deletedAt: timestamp("deleted_at", { withTimezone: true }),
    /** What contact search matches against; the trigram GIN index on it is in a custom migration. */
    searchText: text("search_text")
      .notNull()
      .generatedAlwaysAs(
        sql`lower(first_name || ' ' || last_name || ' ' || coalesce(email, '') || ' ' || coalesce(phone, '') || ' ' || coalesce(job_title, ''))`,
      ),
  },
  // UUIDv7 ids are time-ordered, so (org_id, id) serves "newest first" keyset pagination.
  (t) => [
    index("contacts_org_id_idx").on(t.orgId, t.id),
    index("contacts_org_email_idx").on(t.orgId, t.email),
    index("contacts_org_company_idx").on(t.orgId, t.companyId, t.id),
    index("contacts_org_lifecycle_idx").on(t.orgId, t.lifecycleStage, t.id),
    index("contacts_org_name_idx").on(t.orgId, t.lastName, t.firstName, t.id),
    index("contacts_org_last_activity_idx").on(t.orgId, t.lastActivityAt.desc().nullsLast(), t.id.desc()),
    index("contacts_org_deleted_idx").on(t.orgId, t.deletedAt).where(sql`${t.deletedAt} is not null`),
  ],
);

export type User = typeof users.$inferSelect;
export type Organization = typeof organizations.$inferSelect;
export type Membership = typeof memberships.$inferSelect;
export type Contact = typeof contacts.$inferSelect;
export type NewContact = typeof contacts.$inferInsert;

export * from "./crm-enums";
export * from "./crm-schema";
