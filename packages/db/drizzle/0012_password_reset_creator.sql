ALTER TABLE "password_resets" ADD COLUMN "created_by" uuid;--> statement-breakpoint
ALTER TABLE "password_resets" ADD COLUMN "org_id" uuid;--> statement-breakpoint
ALTER TABLE "password_resets" ADD CONSTRAINT "password_resets_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "password_resets" ADD CONSTRAINT "password_resets_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "password_resets_created_by_idx" ON "password_resets" USING btree ("created_by");--> statement-breakpoint
ALTER TABLE "password_resets" ADD CONSTRAINT "password_resets_creator_check" CHECK (("password_resets"."created_by" is null) = ("password_resets"."org_id" is null));--> statement-breakpoint
-- A pending invite is only as good as its creator's right to make it. Invites created by people who
-- have since left, been removed or been demoted were not revoked at the time: they are now. (Roles
-- compare as text: on a new database the migrations share one transaction, and an enum value added
-- in it, as 'viewer' is, cannot be used in it.)
UPDATE "invites" SET "revoked_at" = now()
WHERE "accepted_at" IS NULL AND "revoked_at" IS NULL AND "expires_at" > now()
  AND NOT EXISTS (
    SELECT 1 FROM "memberships" m
    WHERE m."org_id" = "invites"."org_id" AND m."user_id" = "invites"."created_by"
      AND (m."role" = 'owner' OR (m."role" = 'admin' AND "invites"."role"::text IN ('member', 'viewer')))
  );--> statement-breakpoint
-- Pending reset links made before this migration have no recorded creator, so those an admin made
-- cannot be told from those users asked for. They last 30 minutes: all of them are voided, and
-- someone in the middle of a reset asks for a new link.
UPDATE "password_resets" SET "used_at" = now() WHERE "used_at" IS NULL AND "expires_at" > now();
