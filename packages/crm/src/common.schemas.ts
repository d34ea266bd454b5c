import { z } from "zod";

export const optionalText = (max: number, label: string) =>
  z
    .string()
    .trim()
    .max(max, `${label} must be at most ${max} characters.`)
    .transform((v) => (v === "" ? null : v))
    .nullish();

export const idOf = (what: string) => z.uuid(`Not a valid ${what} id.`);

export const phone = z
  .string()
  .trim()
  .max(40, "Phone must be at most 40 characters.")
  .regex(/^[+()\d\s./-]*$/, "Phone may contain digits, spaces and + ( ) - . / only.")
  .transform((v) => (v === "" ? null : v))
  .nullish();

export const entityType = z.enum(["contact", "company", "deal"], "Choose contact, company or deal.");
export type EntityTypeInput = z.infer<typeof entityType>;

export const listPaging = {
  /** Opaque: the `nextCursor` of the previous page. */
  cursor: z.string().max(500, "Not a valid cursor.").nullish(),
  limit: z.number().int().min(1).max(100).default(25),
};

export const search = z.string().trim().max(200, "Search must be at most 200 characters.").optional();

/**
 * Dates stay within the years 1000–9999, as custom date fields do. Outside them a date either fails
 * in Postgres as a server error (it has no year 0 and cannot read how JS writes years before 1 or
 * after 9999: `-001000-…`, `+010000-…`) or comes back as another date (JS reads the timestamp
 * `0001-01-01 00:00:00+00` as 2001).
 */
const storableYear = (date: Date) => date.getUTCFullYear() >= 1000 && date.getUTCFullYear() <= 9999;
const outOfRange = "Use a date between the years 1000 and 9999.";

/** A point in time, as a Date or ISO text. A date out of range gets that one message, whatever else is checked after. */
export const dateTime = z.coerce.date("Not a valid date.").refine(storableYear, { error: outOfRange, abort: true });
/** A calendar day such as 2025-12-31. */
export const isoDay = z.iso
  .date({ error: "Use a date like 2025-12-31.", abort: true })
  .refine((day) => storableYear(new Date(day)), outOfRange);
/**
 * A timestamp kept as ISO text with its offset, as list cursors carry them: any Postgres can read.
 * Wider than the inputs' years, since a cursor carries a stored value, which may predate that bound.
 */
export const isoDateTime = z.iso.datetime({ offset: true, abort: true }).refine((text) => {
  const year = new Date(text).getUTCFullYear();
  return year >= 1 && year <= 9999;
}, outOfRange);

export const dateRange = z
  .object({ from: dateTime.optional(), to: dateTime.optional() })
  .refine((r) => !r.from || !r.to || r.from <= r.to, { message: "The start must not be after the end.", path: ["to"] })
  .optional();

/** A calendar day as `2025-12-31` text (kept as such), or a point in time. */
const dayOrTime = z.union([isoDay, dateTime], { error: "Use a date like 2025-12-31, or a date and time." });
const instantOf = (end: string | Date) => (typeof end === "string" ? new Date(end) : end);

/**
 * A range over a calendar-day column: each end a day (`2025-12-31`, that very day) or a point in
 * time (read in the caller's time zone where the list takes one).
 */
export const dayRange = z
  .object({ from: dayOrTime.optional(), to: dayOrTime.optional() })
  .refine((r) => !r.from || !r.to || instantOf(r.from) <= instantOf(r.to), {
    message: "The start must not be after the end.",
    path: ["to"],
  })
  .optional();

export const byId = (what: string) => z.object({ id: idOf(what) });

export const trashInput = z.object({ ...listPaging });

export const purgeTrashInput = z.object({
  /** Purge what has been in the trash at least this long; 0 empties the trash. */
  olderThanDays: z.number().int("Whole days only.").min(0, "At least 0 days.").max(3650).default(0),
});
