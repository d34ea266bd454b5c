import { and, contacts, type Db, desc, eq, ilike, lt, or, type SQL, sql } from "@nexo/db";

/** The columns a contact is returned with (the generated search column stays internal). */
export const contactColumns = {
  id: contacts.id,
  firstName: contacts.firstName,
  lastName: contacts.lastName,
  email: contacts.email,
  phone: contacts.phone,
  jobTitle: contacts.jobTitle,
  notes: contacts.notes,
  createdAt: contacts.createdAt,
  updatedAt: contacts.updatedAt,
};

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * Matches a substring (served by the trigram index through ILIKE) or, for typos, a trigram word
 * similarity above pg_trgm's threshold (`<%`, also index-backed).
 */
export function contactSearchCondition(search: string): SQL | undefined {
  const text = search.toLowerCase();
  return or(ilike(contacts.searchText, `%${escapeLike(text)}%`), sql`${text} <% ${contacts.searchText}`);
}

export async function listContacts(
  db: Db,
  orgId: string,
  options: { search?: string | undefined; cursor?: string | null | undefined; limit: number },
) {
  const conditions: (SQL | undefined)[] = [eq(contacts.orgId, orgId)];
  if (options.cursor) conditions.push(lt(contacts.id, options.cursor));
  if (options.search) conditions.push(contactSearchCondition(options.search));
  const rows = await db
    .select(contactColumns)
    .from(contacts)
    .where(and(...conditions))
    // UUIDv7 ids are time-ordered: id order is creation order, and the keyset is one column.
    .orderBy(desc(contacts.id))
    .limit(options.limit + 1);
  const hasMore = rows.length > options.limit;
  const items = hasMore ? rows.slice(0, options.limit) : rows;
  return { items, nextCursor: hasMore ? (items.at(-1)?.id ?? null) : null };
}
