import { and, contacts, type Db, desc, eq, ilike, lt, organizations, type Role, type SQL, sql } from "@nexo/db";
import { can } from "@nexo/trpc";

/** The columns a contact is returned with (the generated search column stays internal). */
export const contactColumns = {
  id: contacts.id,
  firstName: contacts.firstName,
  lastName: contacts.lastName,
  email: contacts.email,
  phone: contacts.phone,
  jobTitle: contacts.jobTitle,
  notes: contacts.notes,
  ownerId: contacts.ownerId,
  createdAt: contacts.createdAt,
  updatedAt: contacts.updatedAt,
};

/** Who is asking: every contact query is scoped to their organization and what they may see in it. */
export interface Viewer {
  orgId: string;
  userId: string;
  role: Role;
}

/**
 * The contacts `viewer` may see: their organization's, and when it shows members only the records they
 * own, just their own (unless their role sees everything). One condition, so the setting costs no
 * extra round trip.
 */
export function visibleContacts(viewer: Viewer): SQL {
  const inOrg = eq(contacts.orgId, viewer.orgId);
  if (can(viewer.role, "contacts.readAll")) return inOrg;
  const ownOnly = sql`(select ${organizations.recordVisibility} from ${organizations} where ${organizations.id} = ${viewer.orgId}) = 'own'`;
  return and(inOrg, sql`(not ${ownOnly} or ${contacts.ownerId} = ${viewer.userId})`)!;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export interface ListContactsOptions {
  search?: string | undefined;
  cursor?: string | null | undefined;
  limit: number;
}

/**
 * Newest first, keyset-paginated. A search matches substrings of name, email, phone and job title
 * (ILIKE, served by the trigram index). When a first page finds nothing, the closest matches by
 * trigram word similarity are returned instead, best first and marked `fuzzy`, so a typo still
 * finds its contact without close-but-wrong matches crowding out exact ones.
 */
export async function listContacts(db: Db, viewer: Viewer, options: ListContactsOptions) {
  const search = options.search?.toLowerCase();
  const conditions: (SQL | undefined)[] = [visibleContacts(viewer)];
  if (options.cursor) conditions.push(lt(contacts.id, options.cursor));
  if (search) conditions.push(ilike(contacts.searchText, `%${escapeLike(search)}%`));
  const rows = await db
    .select(contactColumns)
    .from(contacts)
    .where(and(...conditions))
    // UUIDv7 ids are time-ordered: id order is creation order, and the keyset is one column.
    .orderBy(desc(contacts.id))
    .limit(options.limit + 1);

  if (rows.length === 0 && search && !options.cursor) {
    const similar = await db
      .select(contactColumns)
      .from(contacts)
      .where(and(visibleContacts(viewer), sql`${search} <% ${contacts.searchText}`))
      .orderBy(sql`word_similarity(${search}, ${contacts.searchText}) desc`, desc(contacts.id))
      .limit(options.limit);
    return { items: similar, nextCursor: null, fuzzy: similar.length > 0 };
  }

  const hasMore = rows.length > options.limit;
  const items = hasMore ? rows.slice(0, options.limit) : rows;
  return { items, nextCursor: hasMore ? (items.at(-1)?.id ?? null) : null, fuzzy: false };
}
