-- Search ignores case and accents: "muller" finds "Müller", "jose" finds "José", "strasse" finds
-- "Straße". `search_fold` is what every search_text column is built with and what search terms go
-- through. It names its schema and dictionary, so it is declared immutable and a generated column
-- may use it; a change to unaccent's rules (a Postgres upgrade) would need the columns rebuilt.
CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public;--> statement-breakpoint
CREATE OR REPLACE FUNCTION search_fold(text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT pg_catalog.lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$;--> statement-breakpoint
ALTER TABLE "contacts" DROP COLUMN "search_text";--> statement-breakpoint
ALTER TABLE "contacts" ADD COLUMN "search_text" text GENERATED ALWAYS AS (search_fold(first_name || ' ' || last_name || ' ' || coalesce(email, '') || ' ' || coalesce(phone, '') || ' ' || coalesce(job_title, ''))) STORED NOT NULL;--> statement-breakpoint
ALTER TABLE "companies" DROP COLUMN "search_text";--> statement-breakpoint
ALTER TABLE "companies" ADD COLUMN "search_text" text GENERATED ALWAYS AS (search_fold(name || ' ' || coalesce(domain, ''))) STORED NOT NULL;--> statement-breakpoint
ALTER TABLE "deals" DROP COLUMN "search_text";--> statement-breakpoint
ALTER TABLE "deals" ADD COLUMN "search_text" text GENERATED ALWAYS AS (search_fold(title)) STORED NOT NULL;--> statement-breakpoint
-- Dropping the columns dropped their trigram indexes (0001, 0005).
CREATE INDEX IF NOT EXISTS "contacts_search_trgm_idx" ON "contacts" USING gin ("search_text" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "companies_search_trgm_idx" ON "companies" USING gin ("search_text" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "deals_search_trgm_idx" ON "deals" USING gin ("search_text" gin_trgm_ops);--> statement-breakpoint
-- The new columns have no statistics yet, and a rewrite does not start an automatic analyze.
ANALYZE "contacts", "companies", "deals";
