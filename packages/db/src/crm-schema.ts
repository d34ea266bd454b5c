/**
 * CRM records beyond contacts: companies, pipelines and deals, activities, record history, tags,
 * custom fields, saved views and import jobs. Every table is organization-scoped (`org_id` NOT
 * NULL) and every index starts with `org_id`. Trigram indexes are in a custom migration.
 */
import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  char,
  check,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { createdAt, deletedAt, id, updatedAt } from "./columns";
import { activityKindEnum, customFieldTypeEnum, dealStatusEnum, entityTypeEnum, importStatusEnum } from "./crm-enums";
import { contacts, organizations, users } from "./schema";

const orgId = () =>
  uuid("org_id")
    .notNull()
    .references(() => organizations.id, { onDelete: "cascade" });
const userRef = (name: string) => uuid(name).references(() => users.id, { onDelete: "set null" });

export const companies = pgTable(
  "companies",
  {
    id: id(),
    orgId: orgId(),
    name: text("name").notNull(),
    /** Lower-cased host without scheme, `www.` or path; unique per organization when set. */
    domain: text("domain"),
    industry: text("industry"),
    size: text("size"),
    address: text("address"),
    phone: text("phone"),
    ownerId: userRef("owner_id"),
    createdBy: userRef("created_by"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    deletedAt: deletedAt(),
    searchText: text("search_text").notNull().generatedAlwaysAs(sql`search_fold(name || ' ' || coalesce(domain, ''))`),
  },
  (t) => [
    // Partial on live rows, like the contact list's indexes (see schema.ts).
    index("companies_org_id_idx").on(t.orgId, t.id),
    index("companies_org_live_idx").on(t.orgId, t.id).where(sql`${t.deletedAt} is null`),
    index("companies_org_name_idx").on(t.orgId, t.name, t.id).where(sql`${t.deletedAt} is null`),
    index("companies_org_owner_idx").on(t.orgId, t.ownerId, t.id).where(sql`${t.deletedAt} is null`),
    index("companies_org_deleted_idx").on(t.orgId, t.deletedAt).where(sql`${t.deletedAt} is not null`),
    uniqueIndex("companies_org_domain_key").on(t.orgId, t.domain).where(sql`${t.domain} is not null`),
  ],
);

export const pipelines = pgTable(
  "pipelines",
  {
    id: id(),
    orgId: orgId(),
    name: text("name").notNull(),
    position: integer("position").notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("pipelines_org_position_idx").on(t.orgId, t.position)],
);

export const pipelineStages = pgTable(
  "pipeline_stages",
  {
    id: id(),
    orgId: orgId(),
    pipelineId: uuid("pipeline_id")
      .notNull()
      .references(() => pipelines.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    position: integer("position").notNull(),
    /** Win probability in percent, used for the weighted forecast. */
    probability: smallint("probability").notNull().default(0),
    isWon: boolean("is_won").notNull().default(false),
    isLost: boolean("is_lost").notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("pipeline_stages_org_pipeline_idx").on(t.orgId, t.pipelineId, t.position),
    check("pipeline_stages_probability_check", sql`${t.probability} between 0 and 100`),
    check("pipeline_stages_won_lost_check", sql`not (${t.isWon} and ${t.isLost})`),
  ],
);

export const deals = pgTable(
  "deals",
  {
    id: id(),
    orgId: orgId(),
    pipelineId: uuid("pipeline_id")
      .notNull()
      .references(() => pipelines.id, { onDelete: "cascade" }),
    stageId: uuid("stage_id")
      .notNull()
      .references(() => pipelineStages.id, { onDelete: "restrict" }),
    title: text("title").notNull(),
    /** Integer minor units (cents) of `currency`. */
    amountMinor: bigint("amount_minor", { mode: "number" }).notNull().default(0),
    currency: char("currency", { length: 3 }).notNull(),
    expectedCloseDate: date("expected_close_date"),
    /** Order within the stage column; fractional so a move touches one row. */
    position: doublePrecision("position").notNull(),
    status: dealStatusEnum("status").notNull().default("open"),
    closeReason: text("close_reason"),
    closedAt: timestamp("closed_at", { withTimezone: true }),
    ownerId: userRef("owner_id"),
    companyId: uuid("company_id").references(() => companies.id, { onDelete: "set null" }),
    createdBy: userRef("created_by"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    deletedAt: deletedAt(),
    searchText: text("search_text").notNull().generatedAlwaysAs(sql`search_fold(title)`),
  },
  (t) => [
    index("deals_org_id_idx").on(t.orgId, t.id).where(sql`${t.deletedAt} is null`),
    // A board column's deals in order (position, then id for ties) without a sort.
    index("deals_org_stage_position_idx").on(t.orgId, t.stageId, t.position, t.id),
    index("deals_org_pipeline_idx").on(t.orgId, t.pipelineId, t.stageId),
    index("deals_org_company_idx").on(t.orgId, t.companyId),
    index("deals_org_owner_idx").on(t.orgId, t.ownerId, t.id).where(sql`${t.deletedAt} is null`),
    index("deals_org_closed_idx").on(t.orgId, t.status, t.closedAt),
    index("deals_org_expected_close_idx").on(t.orgId, t.status, t.expectedCloseDate),
    index("deals_org_deleted_idx").on(t.orgId, t.deletedAt).where(sql`${t.deletedAt} is not null`),
    check("deals_currency_check", sql`${t.currency} ~ '^[A-Z]{3}$'`),
  ],
);

/**
 * Count and amount of the live (not trashed) deals per pipeline, stage, owner and currency, kept
 * up to date by statement triggers on `deals` (migration `deal_totals`), so the board's and the
 * dashboard's column totals read a handful of rows instead of every deal. Per owner so the "own
 * records" visibility and the board's owner filter still apply. A group whose deals all left keeps
 * its row with zeros; readers skip those.
 */
export const dealStageTotals = pgTable(
  "deal_stage_totals",
  {
    orgId: orgId(),
    pipelineId: uuid("pipeline_id").notNull(),
    stageId: uuid("stage_id")
      .notNull()
      .references(() => pipelineStages.id, { onDelete: "cascade" }),
    ownerId: uuid("owner_id"),
    currency: char("currency", { length: 3 }).notNull(),
    dealCount: integer("deal_count").notNull(),
    amountMinor: numeric("amount_minor").notNull(),
  },
  (t) => [
    unique("deal_stage_totals_key").on(t.orgId, t.pipelineId, t.stageId, t.ownerId, t.currency).nullsNotDistinct(),
  ],
);

/**
 * The same for the open, live deals with an expected close date, per month of that date: the
 * dashboard's weighted forecast. Maintained by the same triggers.
 */
export const dealForecastTotals = pgTable(
  "deal_forecast_totals",
  {
    orgId: orgId(),
    pipelineId: uuid("pipeline_id").notNull(),
    stageId: uuid("stage_id")
      .notNull()
      .references(() => pipelineStages.id, { onDelete: "cascade" }),
    ownerId: uuid("owner_id"),
    currency: char("currency", { length: 3 }).notNull(),
    /** The first day of the expected close month. */
    month: date("month").notNull(),
    dealCount: integer("deal_count").notNull(),
    amountMinor: numeric("amount_minor").notNull(),
  },
  (t) => [
    unique("deal_forecast_totals_key")
      .on(t.orgId, t.pipelineId, t.month, t.stageId, t.ownerId, t.currency)
      .nullsNotDistinct(),
  ],
);

export const dealContacts = pgTable(
  "deal_contacts",
  {
    orgId: orgId(),
    dealId: uuid("deal_id")
      .notNull()
      .references(() => deals.id, { onDelete: "cascade" }),
    contactId: uuid("contact_id")
      .notNull()
      .references(() => contacts.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.dealId, t.contactId] }),
    index("deal_contacts_org_contact_idx").on(t.orgId, t.contactId),
  ],
);

export const dealStageMoves = pgTable(
  "deal_stage_moves",
  {
    id: id(),
    orgId: orgId(),
    dealId: uuid("deal_id")
      .notNull()
      .references(() => deals.id, { onDelete: "cascade" }),
    fromStageId: uuid("from_stage_id").references(() => pipelineStages.id, { onDelete: "set null" }),
    toStageId: uuid("to_stage_id").references(() => pipelineStages.id, { onDelete: "set null" }),
    movedBy: userRef("moved_by"),
    movedAt: timestamp("moved_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("deal_stage_moves_org_deal_idx").on(t.orgId, t.dealId, t.movedAt)],
);

export const activities = pgTable(
  "activities",
  {
    id: id(),
    orgId: orgId(),
    kind: activityKindEnum("kind").notNull(),
    subject: text("subject").notNull().default(""),
    /** Markdown. */
    body: text("body"),
    dueAt: timestamp("due_at", { withTimezone: true }),
    assigneeId: userRef("assignee_id"),
    doneAt: timestamp("done_at", { withTimezone: true }),
    /** When a call or meeting happened (or a note was taken); drives the timeline order. */
    occurredAt: timestamp("occurred_at", { withTimezone: true }).notNull().defaultNow(),
    durationMinutes: integer("duration_minutes"),
    outcome: text("outcome"),
    contactId: uuid("contact_id").references(() => contacts.id, { onDelete: "cascade" }),
    companyId: uuid("company_id").references(() => companies.id, { onDelete: "cascade" }),
    dealId: uuid("deal_id").references(() => deals.id, { onDelete: "cascade" }),
    createdBy: userRef("created_by"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("activities_org_contact_idx").on(t.orgId, t.contactId, t.occurredAt),
    index("activities_org_company_idx").on(t.orgId, t.companyId, t.occurredAt),
    index("activities_org_deal_idx").on(t.orgId, t.dealId, t.occurredAt),
    index("activities_org_member_idx").on(t.orgId, t.occurredAt, t.createdBy),
    index("activities_org_open_tasks_idx")
      .on(t.orgId, t.dueAt, t.assigneeId)
      .where(sql`${t.kind} = 'task' and ${t.doneAt} is null`),
    // "My tasks": one assignee's open tasks in due order, read page by page on `(due_at, id)`.
    index("activities_org_assignee_open_tasks_idx")
      .on(t.orgId, t.assigneeId, t.dueAt, t.id)
      .where(sql`${t.kind} = 'task' and ${t.doneAt} is null`),
    // Notes, calls and meetings are about a record; a task may also be a personal to-do.
    check(
      "activities_target_check",
      sql`${t.kind} = 'task' or ${t.contactId} is not null or ${t.companyId} is not null or ${t.dealId} is not null`,
    ),
  ],
);

export const recordHistory = pgTable(
  "record_history",
  {
    id: id(),
    orgId: orgId(),
    entityType: entityTypeEnum("entity_type").notNull(),
    entityId: uuid("entity_id").notNull(),
    /** A column name, or `created` / `deleted` / `restored` / `merged` for whole-record events. */
    field: text("field").notNull(),
    oldValue: jsonb("old_value"),
    newValue: jsonb("new_value"),
    changedBy: userRef("changed_by"),
    changedAt: timestamp("changed_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("record_history_org_entity_idx").on(t.orgId, t.entityType, t.entityId, t.changedAt)],
);

export const tags = pgTable(
  "tags",
  {
    id: id(),
    orgId: orgId(),
    name: text("name").notNull(),
    color: text("color"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("tags_org_name_key").on(t.orgId, sql`lower(${t.name})`)],
);

export const taggings = pgTable(
  "taggings",
  {
    orgId: orgId(),
    tagId: uuid("tag_id")
      .notNull()
      .references(() => tags.id, { onDelete: "cascade" }),
    entityType: entityTypeEnum("entity_type").notNull(),
    entityId: uuid("entity_id").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.tagId, t.entityType, t.entityId] }),
    index("taggings_org_entity_idx").on(t.orgId, t.entityType, t.entityId),
  ],
);

export const customFieldDefinitions = pgTable(
  "custom_field_definitions",
  {
    id: id(),
    orgId: orgId(),
    entityType: entityTypeEnum("entity_type").notNull(),
    /** Stable machine name, e.g. `renewal_date`. */
    key: text("key").notNull(),
    label: text("label").notNull(),
    type: customFieldTypeEnum("type").notNull(),
    /** Allowed values for select and multi-select fields. */
    options: jsonb("options").$type<string[]>(),
    position: integer("position").notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("custom_field_definitions_org_key").on(t.orgId, t.entityType, t.key)],
);

/** One typed column per kind of value, so filters compare like with like on an index. */
export const customFieldValues = pgTable(
  "custom_field_values",
  {
    orgId: orgId(),
    fieldId: uuid("field_id")
      .notNull()
      .references(() => customFieldDefinitions.id, { onDelete: "cascade" }),
    entityId: uuid("entity_id").notNull(),
    textValue: text("text_value"),
    numberValue: doublePrecision("number_value"),
    dateValue: date("date_value"),
    boolValue: boolean("bool_value"),
    /** Multi-select values. */
    listValue: jsonb("list_value").$type<string[]>(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.fieldId, t.entityId] }),
    index("custom_field_values_org_entity_idx").on(t.orgId, t.entityId),
    index("custom_field_values_org_text_idx").on(t.orgId, t.fieldId, t.textValue),
    index("custom_field_values_org_number_idx").on(t.orgId, t.fieldId, t.numberValue),
    index("custom_field_values_org_date_idx").on(t.orgId, t.fieldId, t.dateValue),
  ],
);

export const savedViews = pgTable(
  "saved_views",
  {
    id: id(),
    orgId: orgId(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    entityType: entityTypeEnum("entity_type").notNull(),
    name: text("name").notNull(),
    filters: jsonb("filters").$type<Record<string, unknown>>().notNull().default({}),
    /** The list procedure's `sort` value, e.g. `name`. */
    sort: jsonb("sort").$type<string>(),
    columns: jsonb("columns").$type<string[]>(),
    shared: boolean("shared").notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("saved_views_org_user_idx").on(t.orgId, t.userId, t.entityType),
    index("saved_views_org_shared_idx").on(t.orgId, t.entityType).where(sql`${t.shared}`),
  ],
);

export const importJobs = pgTable(
  "import_jobs",
  {
    id: id(),
    orgId: orgId(),
    userId: userRef("user_id"),
    entityType: entityTypeEnum("entity_type").notNull(),
    status: importStatusEnum("status").notNull().default("pending"),
    options: jsonb("options").$type<Record<string, unknown>>().notNull().default({}),
    processedRows: integer("processed_rows").notNull().default(0),
    /** Rows up to this one (1-based, header excluded) are committed; later batches are not. */
    committedThroughRow: integer("committed_through_row").notNull().default(0),
    inserted: integer("inserted").notNull().default(0),
    updated: integer("updated").notNull().default(0),
    skipped: integer("skipped").notNull().default(0),
    failed: integer("failed").notNull().default(0),
    /** Per-row errors, capped; the downloadable error report is built from them. */
    errors: jsonb("errors").$type<{ row: number; message: string; values?: string[] }[]>().notNull().default([]),
    message: text("message"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [index("import_jobs_org_id_idx").on(t.orgId, t.id)],
);

export type Company = typeof companies.$inferSelect;
export type Pipeline = typeof pipelines.$inferSelect;
export type PipelineStage = typeof pipelineStages.$inferSelect;
export type Deal = typeof deals.$inferSelect;
export type Activity = typeof activities.$inferSelect;
export type RecordHistoryEntry = typeof recordHistory.$inferSelect;
export type Tag = typeof tags.$inferSelect;
export type CustomFieldDefinition = typeof customFieldDefinitions.$inferSelect;
export type SavedView = typeof savedViews.$inferSelect;
export type ImportJob = typeof importJobs.$inferSelect;
