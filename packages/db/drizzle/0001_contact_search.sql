-- Trigram matching for contact search (typo-tolerant, and serves ILIKE '%…%').
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "contacts_search_trgm_idx" ON "contacts" USING gin ("search_text" gin_trgm_ops);
