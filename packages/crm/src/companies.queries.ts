import { and, asc, companies, contacts, type Db, deals, desc, eq, ilike, isNull, type SQL } from "@nexo/db";
import { z } from "zod";
import type { listCompaniesInput } from "./companies.schemas";
import { countRows, listCountScope } from "./counts";
import { customFieldCondition, customFieldsColumn } from "./customFields.queries";
import { cursorId, decodeCursor, pageOf, rowAfter } from "./keyset";
import { escapeLike, hasTag, inRange, pageRows } from "./lists";
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

/** The fields whose changes go to the record history. */
export const companyTrackedFields = ["name", "domain", "industry", "size", "address", "phone", "ownerId"] as const;

type ListInput = z.output<typeof listCompaniesInput>;

export async function listCompanies(db: Db, viewer: Viewer, input: ListInput) {
  const { orgId } = viewer;
  const filters: (SQL | undefined)[] = [visibleCompanies(viewer), isNull(companies.deletedAt)];
  if (input.search) filters.push(ilike(companies.searchText, `%${escapeLike(input.search.toLowerCase())}%`));
  if (input.ownerId) filters.push(eq(companies.ownerId, input.ownerId));
  if (input.industry) filters.push(eq(companies.industry, input.industry));
  if (input.tagId) filters.push(hasTag(orgId, "company", companies.id, input.tagId));
  filters.push(...inRange(companies.createdAt, input.createdAt));
  filters.push(await customFieldCondition(db, orgId, "company", companies.id, input.customField));

  const keyset: (SQL | undefined)[] = [];
  if (input.cursor) {
    if (input.sort === "name") {
      const [name, id] = decodeCursor(input.cursor, z.tuple([z.string(), cursorId]));
      keyset.push(rowAfter([companies.name, companies.id], [name, id], "asc"));
    } else {
      const [id] = decodeCursor(input.cursor, z.tuple([cursorId]));
      keyset.push(rowAfter([companies.id], [id], input.sort === "oldest" ? "asc" : "desc"));
    }
  }
  const order =
    input.sort === "name"
      ? [asc(companies.name), asc(companies.id)]
      : [input.sort === "oldest" ? asc(companies.id) : desc(companies.id)];

  const [rows, count] = await Promise.all([
    pageRows(
      db
        // Tags and custom field values come with the page itself: one statement, not three.
        .select({
          ...companyColumns,
          tags: tagsColumn("company", companies),
          customFields: customFieldsColumn("company", companies),
        })
        .from(companies)
        .where(and(...filters, ...keyset))
        .orderBy(...order)
        .limit(input.limit + 1),
      input.search,
    ),
    input.cursor
      ? null
      : countRows(
          db,
          () =>
            db
              .select({ id: companies.id })
              .from(companies)
              .where(and(...filters))
              .getSQL(),
          listCountScope("companies", viewer, input),
        ),
  ]);
  const page = pageOf(rows, input.limit, (c) => (input.sort === "name" ? [c.name, c.id] : [c.id]));
  return { ...page, count };
}

/** A company page: the company, and the first contacts and deals linked to it that the viewer may see. */
export async function companyOverview(db: Db, viewer: Viewer, id: string, limit = 50) {
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
      .limit(limit),
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
      .limit(limit),
    withTags(db, orgId, "company", [company]),
  ]);
  return { company: tagged ?? { ...company, tags: [] }, contacts: linkedContacts, deals: linkedDeals };
}
