import { pgEnum } from "drizzle-orm/pg-core";

// Enums live apart from the tables so schema.ts and crm-schema.ts can both use them without an
// import cycle being evaluated eagerly.
export const lifecycleStageEnum = pgEnum("lifecycle_stage", ["lead", "prospect", "customer", "churned"]);
export type LifecycleStage = (typeof lifecycleStageEnum.enumValues)[number];

export const entityTypeEnum = pgEnum("entity_type", ["contact", "company", "deal"]);
export type EntityType = (typeof entityTypeEnum.enumValues)[number];

export const dealStatusEnum = pgEnum("deal_status", ["open", "won", "lost"]);
export type DealStatus = (typeof dealStatusEnum.enumValues)[number];

export const activityKindEnum = pgEnum("activity_kind", ["note", "task", "call", "meeting"]);
export type ActivityKind = (typeof activityKindEnum.enumValues)[number];

export const customFieldTypeEnum = pgEnum("custom_field_type", [
  "text",
  "number",
  "date",
  "select",
  "multi_select",
  "checkbox",
  "url",
]);
export type CustomFieldType = (typeof customFieldTypeEnum.enumValues)[number];

export const importStatusEnum = pgEnum("import_status", ["pending", "running", "completed", "failed"]);
export type ImportStatus = (typeof importStatusEnum.enumValues)[number];
