CREATE TABLE "deal_forecast_totals" (
	"org_id" uuid NOT NULL,
	"pipeline_id" uuid NOT NULL,
	"stage_id" uuid NOT NULL,
	"owner_id" uuid,
	"currency" char(3) NOT NULL,
	"month" date NOT NULL,
	"deal_count" integer NOT NULL,
	"amount_minor" numeric NOT NULL,
	CONSTRAINT "deal_forecast_totals_key" UNIQUE NULLS NOT DISTINCT("org_id","pipeline_id","month","stage_id","owner_id","currency")
);
--> statement-breakpoint
CREATE TABLE "deal_stage_totals" (
	"org_id" uuid NOT NULL,
	"pipeline_id" uuid NOT NULL,
	"stage_id" uuid NOT NULL,
	"owner_id" uuid,
	"currency" char(3) NOT NULL,
	"deal_count" integer NOT NULL,
	"amount_minor" numeric NOT NULL,
	CONSTRAINT "deal_stage_totals_key" UNIQUE NULLS NOT DISTINCT("org_id","pipeline_id","stage_id","owner_id","currency")
);
--> statement-breakpoint
DROP INDEX "deals_org_pipeline_totals_idx";--> statement-breakpoint
DROP INDEX "deals_org_stage_totals_idx";--> statement-breakpoint
DROP INDEX "deals_org_open_forecast_idx";--> statement-breakpoint
DROP INDEX "deals_org_stage_position_idx";--> statement-breakpoint
ALTER TABLE "deal_forecast_totals" ADD CONSTRAINT "deal_forecast_totals_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deal_forecast_totals" ADD CONSTRAINT "deal_forecast_totals_stage_id_pipeline_stages_id_fk" FOREIGN KEY ("stage_id") REFERENCES "public"."pipeline_stages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deal_stage_totals" ADD CONSTRAINT "deal_stage_totals_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deal_stage_totals" ADD CONSTRAINT "deal_stage_totals_stage_id_pipeline_stages_id_fk" FOREIGN KEY ("stage_id") REFERENCES "public"."pipeline_stages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "deals_org_stage_position_idx" ON "deals" USING btree ("org_id","stage_id","position","id");--> statement-breakpoint
-- One change of the totals: +1 / +amount for a deal that enters a group, -1 / -amount for one that leaves it.
CREATE TYPE "deal_totals_delta" AS (
	"org_id" uuid,
	"pipeline_id" uuid,
	"stage_id" uuid,
	"owner_id" uuid,
	"currency" char(3),
	"month" date,
	"deal_count" integer,
	"amount_minor" numeric
);
--> statement-breakpoint
-- Adds the deltas to both totals tables, netted per group. Rows are upserted in key order, so two
-- transactions touching the same groups lock them in the same order, and increments never get lost.
-- Groups of a stage or organization deleted earlier in the transaction (cascades) are skipped: their
-- rows go with them.
CREATE FUNCTION "deal_totals_add"(deltas "deal_totals_delta"[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	WITH netted AS (
		SELECT "org_id", "pipeline_id", "stage_id", "owner_id", "currency", "month",
			sum("deal_count") AS "deal_count", sum("amount_minor") AS "amount_minor"
		FROM unnest(deltas)
		GROUP BY 1, 2, 3, 4, 5, 6
	), delta AS (
		SELECT d.* FROM netted d
		WHERE (d."deal_count" <> 0 OR d."amount_minor" <> 0)
			AND EXISTS (SELECT FROM "pipeline_stages" s WHERE s."id" = d."stage_id")
			AND EXISTS (SELECT FROM "organizations" o WHERE o."id" = d."org_id")
	), stage AS (
		INSERT INTO "deal_stage_totals" AS t ("org_id", "pipeline_id", "stage_id", "owner_id", "currency", "deal_count", "amount_minor")
		SELECT "org_id", "pipeline_id", "stage_id", "owner_id", "currency", sum("deal_count"), sum("amount_minor")
		FROM delta
		GROUP BY 1, 2, 3, 4, 5
		HAVING sum("deal_count") <> 0 OR sum("amount_minor") <> 0
		ORDER BY 1, 2, 3, 4, 5
		ON CONFLICT ("org_id", "pipeline_id", "stage_id", "owner_id", "currency") DO UPDATE
		SET "deal_count" = t."deal_count" + excluded."deal_count", "amount_minor" = t."amount_minor" + excluded."amount_minor"
	)
	INSERT INTO "deal_forecast_totals" AS t ("org_id", "pipeline_id", "month", "stage_id", "owner_id", "currency", "deal_count", "amount_minor")
	SELECT "org_id", "pipeline_id", "month", "stage_id", "owner_id", "currency", sum("deal_count"), sum("amount_minor")
	FROM delta
	WHERE "month" IS NOT NULL
	GROUP BY 1, 2, 3, 4, 5, 6
	HAVING sum("deal_count") <> 0 OR sum("amount_minor") <> 0
	ORDER BY 1, 2, 3, 4, 5, 6
	ON CONFLICT ("org_id", "pipeline_id", "month", "stage_id", "owner_id", "currency") DO UPDATE
	SET "deal_count" = t."deal_count" + excluded."deal_count", "amount_minor" = t."amount_minor" + excluded."amount_minor";
END
$$;
--> statement-breakpoint
-- A deal counts while it is not in the trash; in the forecast while it is also open and has an
-- expected close date. Statement triggers with transition tables: a bulk insert, update or delete
-- (import, bulk actions, purge, cascades) applies its changes in one upsert per table.
CREATE FUNCTION "deal_totals_maintain"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		PERFORM "deal_totals_add"(ARRAY(
			SELECT ROW(n."org_id", n."pipeline_id", n."stage_id", n."owner_id", n."currency",
				CASE WHEN n."status" = 'open' THEN date_trunc('month', n."expected_close_date"::timestamp)::date END,
				1, n."amount_minor")::"deal_totals_delta"
			FROM "deal_totals_new" n WHERE n."deleted_at" IS NULL));
	ELSIF TG_OP = 'DELETE' THEN
		PERFORM "deal_totals_add"(ARRAY(
			SELECT ROW(o."org_id", o."pipeline_id", o."stage_id", o."owner_id", o."currency",
				CASE WHEN o."status" = 'open' THEN date_trunc('month', o."expected_close_date"::timestamp)::date END,
				-1, -o."amount_minor")::"deal_totals_delta"
			FROM "deal_totals_old" o WHERE o."deleted_at" IS NULL));
	ELSE
		PERFORM "deal_totals_add"(ARRAY(
			SELECT ROW(n."org_id", n."pipeline_id", n."stage_id", n."owner_id", n."currency",
				CASE WHEN n."status" = 'open' THEN date_trunc('month', n."expected_close_date"::timestamp)::date END,
				1, n."amount_minor")::"deal_totals_delta"
			FROM "deal_totals_new" n WHERE n."deleted_at" IS NULL
			UNION ALL
			SELECT ROW(o."org_id", o."pipeline_id", o."stage_id", o."owner_id", o."currency",
				CASE WHEN o."status" = 'open' THEN date_trunc('month', o."expected_close_date"::timestamp)::date END,
				-1, -o."amount_minor")::"deal_totals_delta"
			FROM "deal_totals_old" o WHERE o."deleted_at" IS NULL));
	END IF;
	RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "deals_totals_insert" AFTER INSERT ON "deals"
	REFERENCING NEW TABLE AS "deal_totals_new"
	FOR EACH STATEMENT EXECUTE FUNCTION "deal_totals_maintain"();
--> statement-breakpoint
CREATE TRIGGER "deals_totals_update" AFTER UPDATE ON "deals"
	REFERENCING OLD TABLE AS "deal_totals_old" NEW TABLE AS "deal_totals_new"
	FOR EACH STATEMENT EXECUTE FUNCTION "deal_totals_maintain"();
--> statement-breakpoint
CREATE TRIGGER "deals_totals_delete" AFTER DELETE ON "deals"
	REFERENCING OLD TABLE AS "deal_totals_old"
	FOR EACH STATEMENT EXECUTE FUNCTION "deal_totals_maintain"();
--> statement-breakpoint
-- The existing deals. Creating the triggers above locked "deals" against writes until this
-- migration commits, so no change falls between this snapshot and the triggers.
INSERT INTO "deal_stage_totals" ("org_id", "pipeline_id", "stage_id", "owner_id", "currency", "deal_count", "amount_minor")
SELECT "org_id", "pipeline_id", "stage_id", "owner_id", "currency", count(*), sum("amount_minor")
FROM "deals" WHERE "deleted_at" IS NULL
GROUP BY 1, 2, 3, 4, 5;
--> statement-breakpoint
INSERT INTO "deal_forecast_totals" ("org_id", "pipeline_id", "month", "stage_id", "owner_id", "currency", "deal_count", "amount_minor")
SELECT "org_id", "pipeline_id", date_trunc('month', "expected_close_date"::timestamp)::date, "stage_id", "owner_id", "currency", count(*), sum("amount_minor")
FROM "deals" WHERE "deleted_at" IS NULL AND "status" = 'open' AND "expected_close_date" IS NOT NULL
GROUP BY 1, 2, 3, 4, 5, 6;
