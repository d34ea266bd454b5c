import { and, asc, dealStageMoves, deals, eq, gt, isNull, type PipelineStage, sql } from "@nexo/db";
import { notFound } from "./errors";
import type { DbOrTx, HistoryActor } from "./history";

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
