-- Trigram indexes for global search over companies and deals (contacts have theirs since 0001).
-- Idempotent, so the file can be re-applied safely if migrations are regenerated at merge time.
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "companies_search_trgm_idx" ON "companies" USING gin ("search_text" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "deals_search_trgm_idx" ON "deals" USING gin ("search_text" gin_trgm_ops);
