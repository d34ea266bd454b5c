import { and, asc, companies, contacts, type Db, deals, desc, eq, isNull, type SQL } from "@nexo/db";
import { z } from "zod";
import type { listCompaniesInput } from "./companies.schemas";
import { countRows, listCountScope } from "./counts";
import { customFieldCondition, customFieldsColumn } from "./customFields.queries";
import { cursorId, decodeCursor, pageOf, rowAfter } from "./keyset";
import { containsTerm, hasTag, inRange, pageRows } from "./lists";
import {
  type BoundValues,
  literalLimit,
  placeholders,
  reusedRows,
  type StatementValues,
  selectionDecoder,
} from "./reuse";
import { tagsColumn, withTags } from "./tags.queries";
import { type Viewer, visibleCompanies, visibleContacts, visibleDeals } from "./visibility";

export const companyColumns = {
  id: companies.id,
  name: companies.name,
  domain: companies.domain,
  industry: companies.industry,
  size: companies.size,
  address: companies.address,
  phone: companies.phone,
  ownerId: companies.ownerId,
  createdAt: companies.createdAt,
  updatedAt: companies.updatedAt,
  deletedAt: companies.deletedAt,
};

/** A page's columns: tags and custom field values come with the page itself, one statement, not three. */
const listColumns = {
  ...companyColumns,
  tags: tagsColumn("company", companies),
  customFields: customFieldsColumn("company", companies),
};
const listRow = selectionDecoder(listColumns);

/** The fields whose changes go to the record history. */
export const companyTrackedFields = ["name", "domain", "industry", "size", "address", "phone", "ownerId"] as const;

type ListInput = z.output<typeof listCompaniesInput>;

/** The values a list of companies is built with; a statement built once takes them as placeholders. */
interface CompanyListValues extends StatementValues {
  orgId: string;
  userId: string;
  /** The search term as typed; folded and matched in SQL (`containsTerm`). */
  search: string | undefined;
  ownerId: string | undefined;
  industry: string | undefined;
  tagId: string | undefined;
  createdFrom: Date | undefined;
  createdTo: Date | undefined;
  /** The cursor: the sort key of the last row of the previous page. */
  afterName: string | undefined;
  afterId: string | undefined;
}

function listValues(viewer: Viewer, input: ListInput): CompanyListValues {
  const values: CompanyListValues = {
    orgId: viewer.orgId,
    userId: viewer.userId,
    search: input.search || undefined,
    ownerId: input.ownerId,
    industry: input.industry || undefined,
    tagId: input.tagId,
    createdFrom: input.createdAt?.from,
    createdTo: input.createdAt?.to,
    afterName: undefined,
    afterId: undefined,
  };
  if (!input.cursor) return values;
  if (input.sort === "name") {
    const [name, id] = decodeCursor(input.cursor, z.tuple([z.string(), cursorId]));
    return { ...values, afterName: name, afterId: id };
  }
  const [id] = decodeCursor(input.cursor, z.tuple([cursorId]));
  return { ...values, afterId: id };
}

/** The companies the list may show: visible, not trashed, matching the search and the filters. */
function companyFilters(role: Viewer["role"], v: BoundValues<CompanyListValues>): (SQL | undefined)[] {
  return [
    visibleCompanies({ orgId: v.orgId, userId: v.userId, role }),
    isNull(companies.deletedAt),
    v.search === undefined ? undefined : containsTerm(companies.searchText, v.search),
    v.ownerId === undefined ? undefined : eq(companies.ownerId, v.ownerId),
    v.industry === undefined ? undefined : eq(companies.industry, v.industry),
    v.tagId === undefined ? undefined : hasTag(v.orgId, "company", companies.id, v.tagId),
    ...inRange(companies.createdAt, { from: v.createdFrom, to: v.createdTo }),
  ];
}

/**
 * Keyset-paginated by newest, oldest or name, with filters and a count on the first page. Without a
 * search or a custom field filter, the page's statement is built once per shape (`reusedStatement`).
 */
export async function listCompanies(db: Db, viewer: Viewer, input: ListInput) {
  const values = listValues(viewer, input);
  const custom = await customFieldCondition(db, viewer.orgId, "company", companies.id, input.customField);
  const order =
    input.sort === "name"
      ? [asc(companies.name), asc(companies.id)]
      : [input.sort === "oldest" ? asc(companies.id) : desc(companies.id)];
  const pageQuery = (v: BoundValues<CompanyListValues>, extra: SQL | undefined) => {
    const keyset =
      v.afterId === undefined
        ? undefined
        : input.sort === "name"
          ? rowAfter([companies.name, companies.id], [v.afterName, v.afterId], "asc")
          : rowAfter([companies.id], [v.afterId], input.sort === "oldest" ? "asc" : "desc");
    return db
      .select(listColumns)
      .from(companies)
      .where(and(...companyFilters(viewer.role, v), extra, keyset))
      .orderBy(...order)
      .limit(literalLimit(input.limit + 1));
  };

  const [rows, count] = await Promise.all([
    input.search || custom
      ? pageRows(pageQuery(values, custom), input.search)
      : reusedRows(
          db,
          `companies|${viewer.role}|${input.sort}|${input.limit}`,
          values,
          () => pageQuery(placeholders(values), undefined),
          listRow,
        ),
    input.cursor
      ? null
      : countRows(
          db,
          () =>
            db
              .select({ id: companies.id })
              .from(companies)
              .where(and(...companyFilters(viewer.role, values), custom))
              .getSQL(),
          listCountScope("companies", viewer, input),
        ),
  ]);
  const page = pageOf(rows, input.limit, (c) => (input.sort === "name" ? [c.name, c.id] : [c.id]));
  return { ...page, count };
}

/** How many of a company's contacts, and of its deals, its page shows. */
const LINKED_ON_PAGE = 50;

/** A company page: the company, and the first contacts and deals linked to it that the viewer may see. */
export async function companyOverview(db: Db, viewer: Viewer, id: string) {
  const { orgId } = viewer;
  const [company] = await db
    .select(companyColumns)
    .from(companies)
    .where(and(visibleCompanies(viewer), eq(companies.id, id), isNull(companies.deletedAt)));
  if (!company) return null;
  const [linkedContacts, linkedDeals, [tagged]] = await Promise.all([
    db
      .select({
        id: contacts.id,
        firstName: contacts.firstName,
        lastName: contacts.lastName,
        email: contacts.email,
        jobTitle: contacts.jobTitle,
        lifecycleStage: contacts.lifecycleStage,
      })
      .from(contacts)
      .where(and(visibleContacts(viewer), eq(contacts.companyId, id), isNull(contacts.deletedAt)))
      .orderBy(desc(contacts.id))
      .limit(LINKED_ON_PAGE),
    db
      .select({
        id: deals.id,
        title: deals.title,
        amountMinor: deals.amountMinor,
        currency: deals.currency,
        status: deals.status,
        stageId: deals.stageId,
        expectedCloseDate: deals.expectedCloseDate,
      })
      .from(deals)
      .where(and(visibleDeals(viewer), eq(deals.companyId, id), isNull(deals.deletedAt)))
      .orderBy(desc(deals.id))
      .limit(LINKED_ON_PAGE),
    withTags(db, orgId, "company", [company]),
  ]);
  return { company: tagged ?? { ...company, tags: [] }, contacts: linkedContacts, deals: linkedDeals };
}
