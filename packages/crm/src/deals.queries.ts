import {
  and,
  asc,
  companies,
  type Db,
  dealContacts,
  dealStageTotals,
  deals,
  desc,
  eq,
  gte,
  isNull,
  lt,
  pipelineStages,
  pipelines,
  type SQL,
  sql,
} from "@nexo/db";
import { z } from "zod";
import { countRows, listCountScope } from "./counts";
import { customFieldCondition, customFieldsColumn } from "./customFields.queries";
import type { boardInput, listDealsInput } from "./deals.schemas";
import type { DbOrTx } from "./history";
import { cursorId, decodeCursor, encodeCursor, pageOf, rowAfter } from "./keyset";
import { containsTerm, hasTag, pageRows } from "./lists";
import {
  type Bound,
  type BoundValues,
  literalLimit,
  placeholders,
  reusedRows,
  type StatementValues,
  selectionDecoder,
} from "./reuse";
import { tagsColumn } from "./tags.queries";
import { DAY_MS, isoDayText, localDate, startOfLocalDay } from "./time-zones";
import { linkedCompany, ownerScope, type Viewer, type ViewerScope, visibleDeals } from "./visibility";

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

/** A page's columns: tags and custom field values come with the page itself, one statement, not three. */
const listColumns = {
  ...dealColumns,
  companyName: companies.name,
  tags: tagsColumn("deal", deals),
  customFields: customFieldsColumn("deal", deals),
};
const listRow = selectionDecoder(listColumns);

/**
 * A board card: what a card shows and what moving it needs, and the name of the deal's company
 * (unless that company is in the trash). Not the deal's timestamps or close reason (`deals.get` has
 * them): a board sends hundreds of cards, and with those fields a board call cost the gateway 60–80 %
 * more CPU on the 100k-contact seed.
 */
export const boardCardColumns = {
  id: deals.id,
  title: deals.title,
  amountMinor: deals.amountMinor,
  currency: deals.currency,
  expectedCloseDate: deals.expectedCloseDate,
  stageId: deals.stageId,
  position: deals.position,
  status: deals.status,
  ownerId: deals.ownerId,
  companyId: deals.companyId,
  companyName: companies.name,
};

/** The join `boardCardColumns` need: a deal's company, for its name, only when the viewer may see it and it is not in the trash. */
export const companyOfDeal = (viewer: ViewerScope) => linkedCompany(viewer, deals.companyId);

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

/** The values a list of deals is built with; a statement built once takes them as placeholders. */
interface DealListValues extends StatementValues {
  orgId: string;
  userId: string;
  /** The search term as typed; folded and matched in SQL (`containsTerm`). */
  search: string | undefined;
  pipelineId: string | undefined;
  stageId: string | undefined;
  ownerId: string | undefined;
  companyId: string | undefined;
  status: ListInput["status"];
  tagId: string | undefined;
  contactId: string | undefined;
  /** Expected close dates, as `YYYY-MM-DD`. */
  closeFrom: string | undefined;
  closeTo: string | undefined;
  /** The cursor: the id of the last row of the previous page. */
  afterId: string | undefined;
}

/**
 * The calendar day (`YYYY-MM-DD`) at which a range end falls, for a date column. With the caller's
 * time zone: the first local day beginning at or after the instant, so a local midnight names its
 * own day and a range of instants keeps the days it covers whole. Without one: the day whose start in
 * UTC is nearest, so a local midnight from UTC−12 to UTC+12 still names its own day (Berlin's 1 April
 * begins at 22:00 UTC on 31 March); a `YYYY-MM-DD` text is that day in any case.
 */
function dayOf(at: string | Date, timeZone: string | undefined): string {
  if (typeof at === "string") return at;
  if (!timeZone) return isoDayText(Math.floor((at.getTime() + DAY_MS / 2) / DAY_MS) * DAY_MS);
  const { year, month, day } = localDate(at, timeZone);
  const begins = startOfLocalDay(year, month, day, timeZone).getTime();
  return isoDayText(Date.UTC(year, month, begins < at.getTime() ? day + 1 : day));
}

function listValues(viewer: Viewer, input: ListInput): DealListValues {
  const close = input.expectedCloseDate;
  return {
    orgId: viewer.orgId,
    userId: viewer.userId,
    search: input.search || undefined,
    pipelineId: input.pipelineId,
    stageId: input.stageId,
    ownerId: input.ownerId,
    companyId: input.companyId,
    status: input.status,
    tagId: input.tagId,
    contactId: input.contactId,
    closeFrom: close?.from ? dayOf(close.from, input.timeZone) : undefined,
    closeTo: close?.to ? dayOf(close.to, input.timeZone) : undefined,
    afterId: input.cursor ? decodeCursor(input.cursor, z.tuple([cursorId]))[0] : undefined,
  };
}

/** The deals the list may show: visible, not trashed, matching the search and the filters. */
function dealFilters(role: Viewer["role"], v: BoundValues<DealListValues>): (SQL | undefined)[] {
  const is = <T>(column: Parameters<typeof eq>[0], value: Bound<T> | undefined) =>
    value === undefined ? undefined : eq(column, value);
  return [
    visibleDeals({ orgId: v.orgId, userId: v.userId, role }),
    isNull(deals.deletedAt),
    v.search === undefined ? undefined : containsTerm(deals.searchText, v.search),
    is(deals.pipelineId, v.pipelineId),
    is(deals.stageId, v.stageId),
    is(deals.ownerId, v.ownerId),
    is(deals.companyId, v.companyId),
    is(deals.status, v.status),
    v.tagId === undefined ? undefined : hasTag(v.orgId, "deal", deals.id, v.tagId),
    v.contactId === undefined
      ? undefined
      : sql`exists (select 1 from ${dealContacts} where ${and(
          eq(dealContacts.orgId, v.orgId),
          eq(dealContacts.contactId, v.contactId),
          sql`${dealContacts.dealId} = ${deals.id}`,
        )})`,
    v.closeFrom === undefined ? undefined : gte(deals.expectedCloseDate, v.closeFrom),
    v.closeTo === undefined ? undefined : lt(deals.expectedCloseDate, v.closeTo),
  ];
}

/**
 * Keyset-paginated by newest or oldest, with filters and a count on the first page. Without a
 * search or a custom field filter, the page's statement is built once per shape (`reusedStatement`).
 */
export async function listDeals(db: Db, viewer: Viewer, input: ListInput) {
  const values = listValues(viewer, input);
  const custom = await customFieldCondition(db, viewer.orgId, "deal", deals.id, input.customField);
  const direction = input.sort === "oldest" ? "asc" : "desc";
  const pageQuery = (v: BoundValues<DealListValues>, extra: SQL | undefined) =>
    db
      .select(listColumns)
      .from(deals)
      // With the name of its company, when the viewer may see that company.
      .leftJoin(companies, companyOfDeal({ orgId: v.orgId, userId: v.userId, role: viewer.role }))
      .where(
        and(
          ...dealFilters(viewer.role, v),
          extra,
          v.afterId === undefined ? undefined : rowAfter([deals.id], [v.afterId], direction),
        ),
      )
      .orderBy(direction === "asc" ? asc(deals.id) : desc(deals.id))
      .limit(literalLimit(input.limit + 1));
  const [rows, count] = await Promise.all([
    input.search || custom
      ? pageRows(pageQuery(values, custom), input.search)
      : reusedRows(
          db,
          `deals|${viewer.role}|${direction}|${input.limit}`,
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
              .select({ id: deals.id })
              .from(deals)
              .where(and(...dealFilters(viewer.role, values), custom))
              .getSQL(),
          listCountScope("deals", viewer, input),
        ),
  ]);
  const page = pageOf(rows, input.limit, (d) => [d.id]);
  return { ...page, count };
}

type CardKey = keyof typeof boardCardColumns;

/** What a board row carries, as JSON, on the first row of each stage (and of the pipeline). */
interface BoardHead {
  pipeline: { id: string; name: string };
  stage: {
    id: string;
    name: string;
    position: number;
    probability: number;
    isWon: boolean;
    isLost: boolean;
    totals: { currency: string; count: number; amountMinor: string }[] | null;
  } | null;
}

/** The board's one statement: a row per card, with the pipeline and stage as JSON on each stage's first. */
function boardQuery(
  db: Db,
  role: Viewer["role"],
  v: BoundValues<{ orgId: string; userId: string; pipelineId: string; ownerId: string | undefined }>,
  limit: number,
) {
  const viewer = { orgId: v.orgId, userId: v.userId, role };
  const visible = (ownerId: SQL) =>
    sql`${v.ownerId === undefined ? sql`` : sql`${ownerId} = ${v.ownerId} and `}${ownerScope(viewer, ownerId)}`;
  const cards = db
    .select({
      ...boardCardColumns,
      rank: sql<number>`row_number() over (order by ${deals.position}, ${deals.id})`.as("rank"),
    })
    .from(deals)
    .leftJoin(companies, companyOfDeal(viewer))
    .where(
      and(
        sql`${deals.orgId} = ${pipelineStages.orgId}`,
        sql`${deals.stageId} = ${pipelineStages.id}`,
        isNull(deals.deletedAt),
        visible(sql`${deals.ownerId}`),
      ),
    )
    .orderBy(asc(deals.position), asc(deals.id))
    .limit(literalLimit(limit))
    .as("card");
  const totals = sql`(
    select json_agg(json_build_object('currency', x.currency, 'count', x.n, 'amountMinor', x.amount) order by x.currency) as totals
    from (
      select t.currency, sum(t.deal_count)::int as n, sum(t.amount_minor)::text as amount
      from ${dealStageTotals} t
      where t.org_id = ${pipelineStages.orgId} and t.pipeline_id = ${pipelineStages.pipelineId}
        and t.stage_id = ${pipelineStages.id} and ${visible(sql.raw("t.owner_id"))}
      group by t.currency
      having sum(t.deal_count) <> 0
    ) x
  ) stage_totals`;
  const head = sql<string | null>`case when ${cards.rank} is null or ${cards.rank} = 1 then json_build_object(
    'pipeline', json_build_object('id', ${pipelines.id}, 'name', ${pipelines.name}),
    'stage', case when ${pipelineStages.id} is not null then json_build_object(
      'id', ${pipelineStages.id}, 'name', ${pipelineStages.name}, 'position', ${pipelineStages.position},
      'probability', ${pipelineStages.probability}, 'isWon', ${pipelineStages.isWon}, 'isLost', ${pipelineStages.isLost},
      'totals', stage_totals.totals) end)::text end`;
  const cardFields = Object.fromEntries(
    Object.keys(boardCardColumns).map((key) => [key, cards[key as CardKey]]),
  ) as Pick<typeof cards, CardKey>;
  return db
    .select({ head, card: cardFields })
    .from(pipelines)
    .leftJoin(
      pipelineStages,
      and(eq(pipelineStages.orgId, pipelines.orgId), eq(pipelineStages.pipelineId, pipelines.id)),
    )
    .leftJoinLateral(totals, sql`true`)
    .leftJoinLateral(cards, sql`true`)
    .where(and(eq(pipelines.orgId, v.orgId), eq(pipelines.id, v.pipelineId)))
    .orderBy(asc(pipelineStages.position), asc(pipelineStages.id), asc(cards.position), asc(cards.id));
}

type BoardRow = Awaited<ReturnType<typeof boardQuery>>[number];
/** A board row's card: its columns follow the head's, in the order of `boardCardColumns`. */
const boardCard = selectionDecoder(boardCardColumns, 1);

/** A row of `boardQuery` as the driver reads it (the head, then the card) decoded as Drizzle would. */
function boardRow(row: unknown[]): BoardRow {
  return { head: row[0] as string | null, card: boardCard<BoardRow["card"]>(row) };
}

/**
 * A pipeline's board in one statement: the pipeline, its stages in order, each with its first deals
 * by position (one indexed lateral scan per stage, company names joined per card) and its totals
 * per currency — of the deals the viewer may see. The totals come from `deal_stage_totals` (a few
 * rows per stage, one per owner and currency) rather than from the deals themselves. A row is a card;
 * the pipeline, stage and totals come as one JSON value on the first row of each stage only. Null
 * when the pipeline is not one of the viewer's organization.
 */
export async function dealBoard(db: Db, viewer: Viewer, input: z.output<typeof boardInput>) {
  const values = {
    orgId: viewer.orgId,
    userId: viewer.userId,
    pipelineId: input.pipelineId,
    ownerId: input.ownerId,
  };
  // Built once per role, owner filter and cards per stage, and run with each call's values; on Postgres its rows are
  // decoded by `boardRow`.
  const rows = await reusedRows(
    db,
    `deals.board|${viewer.role}|${input.perStage}`,
    values,
    () => boardQuery(db, viewer.role, placeholders(values), input.perStage + 1),
    boardRow,
  );
  type Card = NonNullable<(typeof rows)[number]["card"]>;
  let pipeline: BoardHead["pipeline"] | undefined;
  const stages: { stage: NonNullable<BoardHead["stage"]>; cards: Card[] }[] = [];
  for (const row of rows) {
    if (row.head) {
      const parsed = JSON.parse(row.head) as BoardHead;
      pipeline = parsed.pipeline;
      if (parsed.stage) stages.push({ stage: parsed.stage, cards: [] });
    }
    if (row.card?.id) stages.at(-1)?.cards.push(row.card);
  }
  if (!pipeline) return null;
  return {
    ...pipeline,
    stages: stages.map(({ stage: { totals: stageTotals, ...stage }, cards: inStage }) => {
      const items = inStage.slice(0, input.perStage);
      const hasMore = inStage.length > input.perStage;
      const last = items.at(-1);
      return {
        ...stage,
        deals: items,
        hasMore,
        /** For `deals.stagePage`: the deals after the ones shown (its own cursor format). */
        nextCursor: hasMore && last ? encodeCursor([last.position, last.id]) : null,
        count: (stageTotals ?? []).reduce((n, t) => n + t.count, 0),
        totals: (stageTotals ?? []).map((t) => ({ currency: t.currency, amountMinor: Number(t.amountMinor) })),
      };
    }),
  };
}
