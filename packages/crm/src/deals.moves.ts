import {
  and,
  asc,
  type DealStatus,
  dealStageMoves,
  deals,
  eq,
  gt,
  isNull,
  type PipelineStage,
  recordHistory,
  sql,
} from "@nexo/db";
import { insertMany } from "./bulk-insert";
import { dealColumns, dealTrackedFields } from "./deals.queries";
import { notFound } from "./errors";
import { changeRows, type DbOrTx, type HistoryActor } from "./history";

export async function recordStageMoves(
  db: DbOrTx,
  actor: HistoryActor,
  moves: { dealId: string; fromStageId: string | null; toStageId: string }[],
): Promise<void> {
  if (moves.length === 0) return;
  await db.insert(dealStageMoves).values(moves.map((m) => ({ ...m, orgId: actor.orgId, movedBy: actor.userId })));
}

const GAP = 1024;

/**
 * The position for a deal placed right after `afterDealId` in `stageId` (or at the top). Positions
 * are fractional so a move rewrites one row; when two neighbours get too close the stage is
 * renumbered first.
 */
export async function positionInStage(
  db: DbOrTx,
  orgId: string,
  stageId: string,
  afterDealId: string | null | undefined,
  movingDealId?: string,
): Promise<number> {
  const inStage = and(eq(deals.orgId, orgId), eq(deals.stageId, stageId), isNull(deals.deletedAt));
  const others = movingDealId ? and(inStage, sql`${deals.id} <> ${movingDealId}`) : inStage;
  if (!afterDealId) {
    const [top] = await db
      .select({ position: deals.position })
      .from(deals)
      .where(others)
      .orderBy(asc(deals.position))
      .limit(1);
    return top ? top.position - GAP : 0;
  }
  const [after] = await db
    .select({ position: deals.position })
    .from(deals)
    .where(and(others, eq(deals.id, afterDealId)));
  if (!after) throw notFound("Deal to place after");
  const [next] = await db
    .select({ position: deals.position })
    .from(deals)
    .where(and(others, gt(deals.position, after.position)))
    .orderBy(asc(deals.position))
    .limit(1);
  if (!next) return after.position + GAP;
  if (next.position - after.position > 1e-6) return (after.position + next.position) / 2;
  await renumberStage(db, orgId, stageId);
  return positionInStage(db, orgId, stageId, afterDealId, movingDealId);
}

async function renumberStage(db: DbOrTx, orgId: string, stageId: string): Promise<void> {
  await db.execute(sql`
    update ${deals} set position = ranked.n * ${GAP}
    from (
      select id, row_number() over (order by position, id) as n
      from ${deals} where org_id = ${orgId} and stage_id = ${stageId}
    ) as ranked
    where ${deals.id} = ranked.id`);
}

/** What a deal's status becomes in a stage: won and lost stages close it, others open it. */
export function statusIn(stage: Pick<PipelineStage, "isWon" | "isLost">) {
  return stage.isWon ? ("won" as const) : stage.isLost ? ("lost" as const) : ("open" as const);
}

/** Why and when a deal was closed, as someone closing it by hand says. */
export interface CloseDetails {
  reason: string | null;
  closedAt: Date;
}

/**
 * The status columns of a deal with status `current` entering `stage`: a won or lost stage closes it
 * (now, unless `close` says when), any other stage reopens it. A deal that already has the stage's
 * status keeps its close date, and a closed deal keeps its reason unless `close` gives one; a column
 * left undefined is not written.
 */
export function statusOnEntering(
  stage: Pick<PipelineStage, "isWon" | "isLost">,
  current: DealStatus,
  close?: CloseDetails,
) {
  const status = statusIn(stage);
  if (status === "open") return { status, closeReason: null, closedAt: null };
  return {
    status,
    closeReason: close?.reason ?? undefined,
    closedAt: close?.closedAt ?? (current === status ? undefined : new Date()),
  };
}

/**
 * Puts every deal of stage `fromStageId` into `stage` with the status that stage gives, as
 * `deals.move` does for one deal: `stage` is another one when `fromStageId` is deleted, the same
 * one when its kind changed. Trashed deals too, so that a deal restored later agrees with its stage.
 * Each move and changed field is recorded. Returns how many deals the stage held.
 */
export async function settleStageDeals(
  db: DbOrTx,
  actor: HistoryActor,
  fromStageId: string,
  stage: Pick<PipelineStage, "id" | "isWon" | "isLost">,
): Promise<number> {
  const inStage = and(eq(deals.orgId, actor.orgId), eq(deals.stageId, fromStageId));
  const before = await db.select(dealColumns).from(deals).where(inStage).for("update");
  const target = statusIn(stage);
  // One statement per status the deals have now. Those that already have the stage's status go
  // first: once updated, the others have it too, and would be matched again.
  const statuses = [...new Set(before.map((deal) => deal.status))].sort(
    (a, b) => Number(b === target) - Number(a === target),
  );
  const after = new Map<string, (typeof before)[number]>();
  for (const status of statuses) {
    const rows = await db
      .update(deals)
      .set({ stageId: stage.id, ...statusOnEntering(stage, status) })
      .where(and(inStage, eq(deals.status, status)))
      .returning(dealColumns);
    for (const row of rows) after.set(row.id, row);
  }
  if (fromStageId !== stage.id) {
    await recordStageMoves(
      db,
      actor,
      before.map((deal) => ({ dealId: deal.id, fromStageId, toStageId: stage.id })),
    );
  }
  // One statement for all their history, however many deals the stage held.
  await insertMany(
    db,
    recordHistory,
    before.flatMap((deal) => changeRows(actor, "deal", deal.id, deal, after.get(deal.id) ?? deal, dealTrackedFields)),
  );
  return before.length;
}
