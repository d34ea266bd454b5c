import { timestamp, uuid } from "drizzle-orm/pg-core";
import { uuidv7 } from "uuidv7";

/** A UUIDv7 primary key: time-ordered, so `(org_id, id)` also serves "newest first". */
export const id = () =>
  uuid("id")
    .primaryKey()
    .$defaultFn(() => uuidv7());

export const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();
export const updatedAt = () =>
  timestamp("updated_at", { withTimezone: true })
    .notNull()
    .defaultNow()
    .$onUpdateFn(() => new Date());
/** Set when a record is moved to the trash; null while it is live. */
export const deletedAt = () => timestamp("deleted_at", { withTimezone: true });
