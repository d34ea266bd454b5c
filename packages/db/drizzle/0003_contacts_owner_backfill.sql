-- Contacts created before record ownership existed belong to whoever created them.
UPDATE "contacts" SET "owner_id" = "created_by" WHERE "owner_id" IS NULL;
