import { and, asc, companies, contacts, type Db, desc, eq, isNull, type SQL, sql } from "@nexo/db";
import { z } from "zod";
import { countRows, listCountScope } from "./counts";
import { customFieldCondition, customFieldsColumn } from "./customFields.queries";
import { cursorId, cursorTime, decodeCursor, pageOf, rowAfter } from "./keyset";
import { containsTerm, foldedTerm, hasTag, inRange, pageRows } from "./lists";
import {
  type BoundValues,
  literalLimit,
  placeholders,
  reusedRows,
  type StatementValues,
  selectionDecoder,
} from "./reuse";
import type { listContactsInput } from "./schemas";
import { tagsColumn } from "./tags.queries";
import { linkedCompany, type Viewer, visibleContacts } from "./visibility";

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

/** The values a list of contacts is built with; a statement built once takes them as placeholders. */
interface ContactListValues extends StatementValues {
  orgId: string;
  userId: string;
  /** The search term as typed; folded and matched in SQL (`containsTerm`). */
  search: string | undefined;
  ownerId: string | undefined;
  companyId: string | undefined;
  lifecycleStage: ListInput["lifecycleStage"];
  tagId: string | undefined;
  createdFrom: Date | undefined;
  createdTo: Date | undefined;
  activityFrom: Date | undefined;
  activityTo: Date | undefined;
  /** The cursor: the sort key of the last row of the previous page (`afterAt` missing when null). */
  afterLast: string | undefined;
  afterFirst: string | undefined;
  afterAt: string | undefined;
  afterId: string | undefined;
}

function listValues(viewer: Viewer, input: ListInput, search: string | undefined): ContactListValues {
  const values: ContactListValues = {
    orgId: viewer.orgId,
    userId: viewer.userId,
    search,
    ownerId: input.ownerId,
    companyId: input.companyId,
    lifecycleStage: input.lifecycleStage,
    tagId: input.tagId,
    createdFrom: input.createdAt?.from,
    createdTo: input.createdAt?.to,
    activityFrom: input.lastActivityAt?.from,
    activityTo: input.lastActivityAt?.to,
    afterLast: undefined,
    afterFirst: undefined,
    afterAt: undefined,
    afterId: undefined,
  };
  if (!input.cursor) return values;
  switch (input.sort) {
    case "name": {
      const [last, first, id] = decodeCursor(input.cursor, z.tuple([z.string(), z.string(), cursorId]));
      return { ...values, afterLast: last, afterFirst: first, afterId: id };
    }
    case "lastActivity": {
      const [at, id] = decodeCursor(input.cursor, z.tuple([cursorTime.nullable(), cursorId]));
      return { ...values, afterAt: at ?? undefined, afterId: id };
    }
    default: {
      // The first sort's cursor is the last id itself, as it always was.
      const id = cursorId.safeParse(input.cursor).success
        ? input.cursor
        : decodeCursor(input.cursor, z.tuple([cursorId]))[0];
      return { ...values, afterId: id };
    }
  }
}

/** The contacts the list may show: visible, not trashed, matching the filters (not the search). */
function contactFilters(role: Viewer["role"], v: BoundValues<ContactListValues>): (SQL | undefined)[] {
  return [
    visibleContacts({ orgId: v.orgId, userId: v.userId, role }),
    isNull(contacts.deletedAt),
    v.ownerId === undefined ? undefined : eq(contacts.ownerId, v.ownerId),
    v.companyId === undefined ? undefined : eq(contacts.companyId, v.companyId),
    v.lifecycleStage === undefined ? undefined : eq(contacts.lifecycleStage, v.lifecycleStage),
    v.tagId === undefined ? undefined : hasTag(v.orgId, "contact", contacts.id, v.tagId),
    ...inRange(contacts.createdAt, { from: v.createdFrom, to: v.createdTo }),
    ...inRange(contacts.lastActivityAt, { from: v.activityFrom, to: v.activityTo }),
  ];
}

/** Rows after the cursor, in the list's sort. */
function keysetFor(sort: ListInput["sort"], v: BoundValues<ContactListValues>): SQL | undefined {
  if (v.afterId === undefined) return undefined;
  switch (sort) {
    case "name":
      return rowAfter(
        [contacts.lastName, contacts.firstName, contacts.id],
        [v.afterLast, v.afterFirst, v.afterId],
        "asc",
      );
    case "lastActivity":
      // Newest activity first, never-active contacts last (the index is DESC NULLS LAST).
      if (v.afterAt === undefined)
        return and(isNull(contacts.lastActivityAt), sql`${contacts.id} < ${v.afterId}::uuid`);
      return sql`(${contacts.lastActivityAt} is null or (${contacts.lastActivityAt}, ${contacts.id}) < (${v.afterAt}::timestamptz, ${v.afterId}::uuid))`;
    default:
      return rowAfter([contacts.id], [v.afterId], sort === "oldest" ? "asc" : "desc");
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

/** A page's columns: tags and custom field values come with the page itself, one statement, not three. */
const listColumns = {
  ...contactColumns,
  companyName: companies.name,
  tags: tagsColumn("contact", contacts),
  customFields: customFieldsColumn("contact", contacts),
};
const listRow = selectionDecoder(listColumns);

/**
 * Keyset-paginated in one of the indexed sorts, with filters. A search matches substrings of name,
 * email, phone and job title, ignoring case and accents (served by the trigram index). When a first page finds
 * nothing, the closest matches by trigram word similarity are returned instead, best first and
 * marked `fuzzy`, so a typo still finds its contact without close-but-wrong matches crowding out
 * exact ones. The first page also carries a count (exact up to a limit, else estimated). Each
 * contact comes with its tags and custom field values.
 *
 * Without a search or a custom field filter, the page's statement is built once per shape and run
 * with each call's values, its rows decoded without Drizzle's row mapping (`reusedRows`).
 */
export async function listContacts(db: Db, viewer: Viewer, input: ListInput) {
  const search = input.search || undefined;
  const values = listValues(viewer, input, search);
  const custom = await customFieldCondition(db, viewer.orgId, "contact", contacts.id, input.customField);
  const pageQuery = (v: BoundValues<ContactListValues>, extra: SQL | undefined) =>
    db
      .select(listColumns)
      .from(contacts)
      .leftJoin(companies, linkedCompany({ orgId: v.orgId, userId: v.userId, role: viewer.role }, contacts.companyId))
      .where(
        and(
          ...contactFilters(viewer.role, v),
          extra,
          v.search === undefined ? undefined : containsTerm(contacts.searchText, v.search),
          keysetFor(input.sort, v),
        ),
      )
      .orderBy(...orderFor(input.sort))
      .limit(literalLimit(input.limit + 1));
  const matching = [
    ...contactFilters(viewer.role, values),
    custom,
    values.search === undefined ? undefined : containsTerm(contacts.searchText, values.search),
  ];
  // The count runs beside the page on another pooled connection: on the first page it costs no
  // extra wait.
  const countQuery = () =>
    db
      .select({ id: contacts.id })
      .from(contacts)
      .where(and(...matching))
      .getSQL();
  const [rows, count] = await Promise.all([
    search || custom
      ? pageRows(pageQuery(values, custom), search)
      : reusedRows(
          db,
          `contacts|${viewer.role}|${input.sort}|${input.limit}`,
          values,
          () => pageQuery(placeholders(values), undefined),
          listRow,
        ),
    input.cursor ? null : countRows(db, countQuery, listCountScope("contacts", viewer, input)),
  ]);

  if (rows.length === 0 && search && !input.cursor) {
    const similar = await db
      .select(listColumns)
      .from(contacts)
      .leftJoin(companies, linkedCompany(viewer, contacts.companyId))
      .where(and(...contactFilters(viewer.role, values), custom, sql`${foldedTerm(search)} <% ${contacts.searchText}`))
      .orderBy(sql`word_similarity(${foldedTerm(search)}, ${contacts.searchText}) desc`, desc(contacts.id))
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
