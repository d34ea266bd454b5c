import { and, asc, companies, contacts, type Db, desc, eq, ilike, isNull, type SQL, sql } from "@nexo/db";
import { z } from "zod";
import { countRows, listCountScope } from "./counts";
import { customFieldCondition, customFieldsColumn } from "./customFields.queries";
import { cursorId, cursorTime, decodeCursor, pageOf, rowAfter } from "./keyset";
import { escapeLike, hasTag, inRange, pageRows } from "./lists";
import type { listContactsInput } from "./schemas";
import { tagsColumn } from "./tags.queries";
import { type Viewer, visibleContacts } from "./visibility";

/** The columns a contact is returned with (the generated search column stays internal). */
export const contactColumns = {
  id: contacts.id,
  firstName: contacts.firstName,
  lastName: contacts.lastName,
  email: contacts.email,
  phone: contacts.phone,
  jobTitle: contacts.jobTitle,
  notes: contacts.notes,
  companyId: contacts.companyId,
  ownerId: contacts.ownerId,
  lifecycleStage: contacts.lifecycleStage,
  socialLinks: contacts.socialLinks,
  lastActivityAt: contacts.lastActivityAt,
  createdAt: contacts.createdAt,
  updatedAt: contacts.updatedAt,
  deletedAt: contacts.deletedAt,
};

export const contactTrackedFields = [
  "firstName",
  "lastName",
  "email",
  "phone",
  "jobTitle",
  "notes",
  "companyId",
  "ownerId",
  "lifecycleStage",
  "socialLinks",
] as const;

type ListInput = z.output<typeof listContactsInput>;

function keysetFor(input: ListInput): SQL | undefined {
  if (!input.cursor) return undefined;
  switch (input.sort) {
    case "name": {
      const key = decodeCursor(input.cursor, z.tuple([z.string(), z.string(), cursorId]));
      return rowAfter([contacts.lastName, contacts.firstName, contacts.id], key, "asc");
    }
    case "lastActivity": {
      // Newest activity first, never-active contacts last (the index is DESC NULLS LAST).
      const [at, id] = decodeCursor(input.cursor, z.tuple([cursorTime.nullable(), cursorId]));
      if (at === null) return and(isNull(contacts.lastActivityAt), sql`${contacts.id} < ${id}::uuid`);
      return sql`(${contacts.lastActivityAt} is null or (${contacts.lastActivityAt}, ${contacts.id}) < (${at}::timestamptz, ${id}::uuid))`;
    }
    default: {
      // The first sort's cursor is the last id itself, as it always was.
      const id = cursorId.safeParse(input.cursor).success
        ? input.cursor
        : decodeCursor(input.cursor, z.tuple([cursorId]))[0];
      return rowAfter([contacts.id], [id], input.sort === "oldest" ? "asc" : "desc");
    }
  }
}

function orderFor(sort: ListInput["sort"]) {
  switch (sort) {
    case "name":
      return [asc(contacts.lastName), asc(contacts.firstName), asc(contacts.id)];
    case "lastActivity":
      return [sql`${contacts.lastActivityAt} desc nulls last`, desc(contacts.id)];
    case "oldest":
      return [asc(contacts.id)];
    default:
      return [desc(contacts.id)];
  }
}

function cursorKey(
  sort: ListInput["sort"],
  c: { id: string; firstName: string; lastName: string; lastActivityAt: Date | null },
) {
  if (sort === "name") return [c.lastName, c.firstName, c.id];
  if (sort === "lastActivity") return [c.lastActivityAt, c.id];
  return [c.id];
}

/**
 * Keyset-paginated in one of the indexed sorts, with filters. A search matches substrings of name,
 * email, phone and job title (ILIKE, served by the trigram index). When a first page finds
 * nothing, the closest matches by trigram word similarity are returned instead, best first and
 * marked `fuzzy`, so a typo still finds its contact without close-but-wrong matches crowding out
 * exact ones. The first page also carries a count (exact up to a limit, else estimated). Each
 * contact comes with its tags and custom field values.
 */
export async function listContacts(db: Db, viewer: Viewer, input: ListInput) {
  const { orgId } = viewer;
  const search = input.search?.toLowerCase();
  const filters: (SQL | undefined)[] = [visibleContacts(viewer), isNull(contacts.deletedAt)];
  if (input.ownerId) filters.push(eq(contacts.ownerId, input.ownerId));
  if (input.companyId) filters.push(eq(contacts.companyId, input.companyId));
  if (input.lifecycleStage) filters.push(eq(contacts.lifecycleStage, input.lifecycleStage));
  if (input.tagId) filters.push(hasTag(orgId, "contact", contacts.id, input.tagId));
  filters.push(
    ...inRange(contacts.createdAt, input.createdAt),
    ...inRange(contacts.lastActivityAt, input.lastActivityAt),
    await customFieldCondition(db, orgId, "contact", contacts.id, input.customField),
  );
  const matching = search ? [...filters, ilike(contacts.searchText, `%${escapeLike(search)}%`)] : filters;

  // Tags and custom field values come with the page itself: one statement, not three.
  const columns = {
    ...contactColumns,
    companyName: companies.name,
    tags: tagsColumn("contact", contacts),
    customFields: customFieldsColumn("contact", contacts),
  };
  // The count runs beside the page on another pooled connection: on the first page it costs no
  // extra wait.
  const countQuery = () =>
    db
      .select({ id: contacts.id })
      .from(contacts)
      .where(and(...matching))
      .getSQL();
  const [rows, count] = await Promise.all([
    pageRows(
      db
        .select(columns)
        .from(contacts)
        .leftJoin(companies, eq(companies.id, contacts.companyId))
        .where(and(...matching, keysetFor(input)))
        .orderBy(...orderFor(input.sort))
        .limit(input.limit + 1),
      search,
    ),
    input.cursor ? null : countRows(db, countQuery, listCountScope("contacts", viewer, input)),
  ]);

  if (rows.length === 0 && search && !input.cursor) {
    const similar = await db
      .select(columns)
      .from(contacts)
      .leftJoin(companies, eq(companies.id, contacts.companyId))
      .where(and(...filters, sql`${search} <% ${contacts.searchText}`))
      .orderBy(sql`word_similarity(${search}, ${contacts.searchText}) desc`, desc(contacts.id))
      .limit(input.limit);
    return {
      items: similar,
      nextCursor: null,
      fuzzy: similar.length > 0,
      count: { value: similar.length, exact: true },
    };
  }

  const page = pageOf(rows, input.limit, (c) => cursorKey(input.sort, c));
  return { ...page, fuzzy: false, count };
}
