import {
  and,
  asc,
  companies,
  type Db,
  dealContacts,
  deals,
  desc,
  eq,
  gte,
  ilike,
  inArray,
  isNull,
  lt,
  pipelineStages,
  queryRows,
  type SQL,
  sql,
} from "@nexo/db";
import { z } from "zod";
import { countRows } from "./counts";
import { customFieldCondition, customFieldsColumn } from "./customFields.queries";
import type { boardInput, listDealsInput } from "./deals.schemas";
import type { DbOrTx } from "./history";
import { cursorId, decodeCursor, encodeCursor, pageOf, rowAfter } from "./keyset";
import { escapeLike, hasTag } from "./lists";
import { tagsColumn } from "./tags.queries";
import { ownerScope, type Viewer, visibleCompanies, visibleDeals } from "./visibility";

export const dealColumns = {
  id: deals.id,
  title: deals.title,
  amountMinor: deals.amountMinor,
  currency: deals.currency,
  expectedCloseDate: deals.expectedCloseDate,
  pipelineId: deals.pipelineId,
  stageId: deals.stageId,
  position: deals.position,
  status: deals.status,
  closeReason: deals.closeReason,
  closedAt: deals.closedAt,
  ownerId: deals.ownerId,
  companyId: deals.companyId,
  createdAt: deals.createdAt,
  updatedAt: deals.updatedAt,
  deletedAt: deals.deletedAt,
};

/** A board card: the deal and the name of its company (unless that company is in the trash). */
export const boardCardColumns = { ...dealColumns, companyName: companies.name };

/** `boardCardColumns` need this join. */
export const companyOfDeal = and(
  eq(companies.orgId, deals.orgId),
  eq(companies.id, deals.companyId),
  isNull(companies.deletedAt),
);

export const dealTrackedFields = [
  "title",
  "amountMinor",
  "currency",
  "expectedCloseDate",
  "ownerId",
  "companyId",
  "stageId",
  "status",
  "closeReason",
  "contactIds",
] as const;

export async function contactIdsOf(db: DbOrTx, orgId: string, dealId: string): Promise<string[]> {
  const rows = await db
    .select({ contactId: dealContacts.contactId })
    .from(dealContacts)
    .where(and(eq(dealContacts.orgId, orgId), eq(dealContacts.dealId, dealId)))
    .orderBy(dealContacts.contactId);
  return rows.map((r) => r.contactId);
}

type ListInput = z.output<typeof listDealsInput>;

export async function listDeals(db: Db, viewer: Viewer, input: ListInput) {
  const { orgId } = viewer;
  const filters: (SQL | undefined)[] = [visibleDeals(viewer), isNull(deals.deletedAt)];
  if (input.search) filters.push(ilike(deals.searchText, `%${escapeLike(input.search.toLowerCase())}%`));
  if (input.pipelineId) filters.push(eq(deals.pipelineId, input.pipelineId));
  if (input.stageId) filters.push(eq(deals.stageId, input.stageId));
  if (input.ownerId) filters.push(eq(deals.ownerId, input.ownerId));
  if (input.companyId) filters.push(eq(deals.companyId, input.companyId));
  if (input.status) filters.push(eq(deals.status, input.status));
  if (input.tagId) filters.push(hasTag(orgId, "deal", deals.id, input.tagId));
  filters.push(await customFieldCondition(db, orgId, "deal", deals.id, input.customField));
  if (input.contactId) {
    filters.push(
      sql`exists (select 1 from ${dealContacts} where ${and(
        eq(dealContacts.orgId, orgId),
        eq(dealContacts.contactId, input.contactId),
        sql`${dealContacts.dealId} = ${deals.id}`,
      )})`,
    );
  }
  const close = input.expectedCloseDate;
  if (close?.from) filters.push(gte(deals.expectedCloseDate, close.from.toISOString().slice(0, 10)));
  if (close?.to) filters.push(lt(deals.expectedCloseDate, close.to.toISOString().slice(0, 10)));

  const direction = input.sort === "oldest" ? "asc" : "desc";
  const keyset = input.cursor
    ? rowAfter([deals.id], decodeCursor(input.cursor, z.tuple([cursorId])), direction)
    : undefined;
  const [rows, count] = await Promise.all([
    // With the name of its company, when the viewer may see that company.
    db
      // Tags and custom field values come with the page itself: one statement, not three.
      .select({
        ...dealColumns,
        companyName: companies.name,
        tags: tagsColumn("deal", deals),
        customFields: customFieldsColumn("deal", deals),
      })
      .from(deals)
      .leftJoin(
        companies,
        and(eq(companies.id, deals.companyId), visibleCompanies(viewer), isNull(companies.deletedAt)),
      )
      .where(and(...filters, keyset))
      .orderBy(direction === "asc" ? asc(deals.id) : desc(deals.id))
      .limit(input.limit + 1),
    input.cursor
      ? null
      : countRows(
          db,
          db
            .select({ id: deals.id })
            .from(deals)
            .where(and(...filters))
            .getSQL(),
        ),
  ]);
  const page = pageOf(rows, input.limit, (d) => [d.id]);
  return { ...page, count };
}

/**
 * A pipeline's board: its stages in order, each with its first deals by position (one indexed
 * lateral scan per stage, one round trip) and totals per currency — of the deals the viewer may see.
 * Cards carry their company's name, so the board needs no request per company.
 */
export async function dealBoard(db: Db, viewer: Viewer, input: z.output<typeof boardInput>) {
  const { orgId } = viewer;
  const owner = sql`${input.ownerId ? sql`and d.owner_id = ${input.ownerId}` : sql``} and ${ownerScope(viewer, sql.raw("d.owner_id"))}`;
  const [stages, totals, top] = await Promise.all([
    db
      .select({
        id: pipelineStages.id,
        name: pipelineStages.name,
        position: pipelineStages.position,
        probability: pipelineStages.probability,
        isWon: pipelineStages.isWon,
        isLost: pipelineStages.isLost,
      })
      .from(pipelineStages)
      .where(and(eq(pipelineStages.orgId, orgId), eq(pipelineStages.pipelineId, input.pipelineId)))
      .orderBy(asc(pipelineStages.position), asc(pipelineStages.id)),
    queryRows<{ stage_id: string; currency: string; n: number; amount: string }>(
      db,
      sql`select d.stage_id, d.currency, count(*)::int as n, sum(d.amount_minor)::text as amount
          from ${deals} d
          where d.org_id = ${orgId} and d.pipeline_id = ${input.pipelineId} and d.deleted_at is null ${owner}
          group by d.stage_id, d.currency`,
    ),
    queryRows<{ id: string }>(
      db,
      sql`select d.id from ${pipelineStages} s
          cross join lateral (
            select d.id from ${deals} d
            where d.org_id = s.org_id and d.stage_id = s.id and d.deleted_at is null ${owner}
            order by d.position, d.id limit ${input.perStage + 1}
          ) d
          where s.org_id = ${orgId} and s.pipeline_id = ${input.pipelineId}`,
    ),
  ]);
  const cards =
    top.length === 0
      ? []
      : await db
          .select(boardCardColumns)
          .from(deals)
          .leftJoin(companies, companyOfDeal)
          .where(
            and(
              eq(deals.orgId, orgId),
              inArray(
                deals.id,
                top.map((t) => t.id),
              ),
            ),
          )
          .orderBy(asc(deals.position), asc(deals.id));
  return stages.map((stage) => {
    const inStage = cards.filter((d) => d.stageId === stage.id);
    const items = inStage.slice(0, input.perStage);
    const stageTotals = totals.filter((t) => t.stage_id === stage.id);
    const hasMore = inStage.length > input.perStage;
    const last = items.at(-1);
    return {
      ...stage,
      deals: items,
      hasMore,
      /** For `deals.stagePage`: the deals after the ones shown (its own cursor format). */
      nextCursor: hasMore && last ? encodeCursor([last.position, last.id]) : null,
      count: stageTotals.reduce((n, t) => n + t.n, 0),
      totals: stageTotals.map((t) => ({ currency: t.currency, amountMinor: Number(t.amount) })),
    };
  });
}
