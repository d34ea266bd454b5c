DROP INDEX "contacts_org_company_idx";--> statement-breakpoint
DROP INDEX "contacts_org_lifecycle_idx";--> statement-breakpoint
DROP INDEX "contacts_org_name_idx";--> statement-breakpoint
DROP INDEX "contacts_org_last_activity_idx";--> statement-breakpoint
DROP INDEX "companies_org_name_idx";--> statement-breakpoint
DROP INDEX "companies_org_owner_idx";--> statement-breakpoint
DROP INDEX "deals_org_id_idx";--> statement-breakpoint
DROP INDEX "deals_org_owner_idx";--> statement-breakpoint
CREATE INDEX "contacts_org_live_idx" ON "contacts" USING btree ("org_id","id") WHERE "contacts"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "contacts_org_owner_live_idx" ON "contacts" USING btree ("org_id","owner_id","id") WHERE "contacts"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "companies_org_live_idx" ON "companies" USING btree ("org_id","id") WHERE "companies"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "contacts_org_company_idx" ON "contacts" USING btree ("org_id","company_id","id") WHERE "contacts"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "contacts_org_lifecycle_idx" ON "contacts" USING btree ("org_id","lifecycle_stage","id") WHERE "contacts"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "contacts_org_name_idx" ON "contacts" USING btree ("org_id","last_name","first_name","id") WHERE "contacts"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "contacts_org_last_activity_idx" ON "contacts" USING btree ("org_id","last_activity_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE "contacts"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "companies_org_name_idx" ON "companies" USING btree ("org_id","name","id") WHERE "companies"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "companies_org_owner_idx" ON "companies" USING btree ("org_id","owner_id","id") WHERE "companies"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "deals_org_id_idx" ON "deals" USING btree ("org_id","id") WHERE "deals"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "deals_org_owner_idx" ON "deals" USING btree ("org_id","owner_id","id") WHERE "deals"."deleted_at" is null;