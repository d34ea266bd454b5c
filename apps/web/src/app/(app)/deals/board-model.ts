import type { RouterOutputs } from "~/trpc/types";

export type Board = RouterOutputs["crm"]["deals"]["board"];
export type BoardStage = Board["stages"][number];
export type BoardDeal = BoardStage["deals"][number];
export type Pipeline = RouterOutputs["crm"]["pipelines"]["list"][number];
export type Money = { currency: string; amountMinor: number };

/** The pipeline the URL asks for when it exists, else the first one; null for an org without pipelines. */
export function pickPipeline<P extends { id: string }>(pipelines: readonly P[], requested: string | null | undefined) {
  return pipelines.find((p) => p.id === requested) ?? pipelines[0] ?? null;
}

export function statusInStage(stage: Pick<BoardStage, "isWon" | "isLost">): BoardDeal["status"] {
  return stage.isWon ? "won" : stage.isLost ? "lost" : "open";
}

/** Sums per currency, largest first; zero sums are dropped. */
export function addMoney(totals: readonly Money[], currency: string, amountMinor: number): Money[] {
  const map = new Map(totals.map((t) => [t.currency, t.amountMinor]));
  map.set(currency, (map.get(currency) ?? 0) + amountMinor);
  return sortMoney([...map].map(([c, a]) => ({ currency: c, amountMinor: a })).filter((t) => t.amountMinor !== 0));
}

export function sortMoney(totals: readonly Money[]): Money[] {
  return [...totals].sort((a, b) => b.amountMinor - a.amountMinor || a.currency.localeCompare(b.currency));
}

/** A stage's totals weighted by its probability (what its open deals are expected to bring). */
export function weighted(totals: readonly Money[], probability: number): Money[] {
  return totals.map((t) => ({ currency: t.currency, amountMinor: Math.round((t.amountMinor * probability) / 100) }));
}

function withoutDeal(stage: BoardStage, deal: BoardDeal): BoardStage {
  return {
    ...stage,
    deals: stage.deals.filter((d) => d.id !== deal.id),
    count: Math.max(0, stage.count - 1),
    totals: addMoney(stage.totals, deal.currency, -deal.amountMinor),
  };
}

export function findDeal(board: Board, dealId: string): { stage: BoardStage; deal: BoardDeal; index: number } | null {
  for (const stage of board.stages) {
    const index = stage.deals.findIndex((d) => d.id === dealId);
    const deal = stage.deals[index];
    if (deal) return { stage, deal, index };
  }
  return null;
}

/**
 * The board with a deal moved to `index` of another (or the same) stage, its counts and totals
 * adjusted: what the board shows at once, before the server has answered.
 */
export function moveInBoard(board: Board, dealId: string, toStageId: string, index: number): Board {
  const found = findDeal(board, dealId);
  const target = board.stages.find((s) => s.id === toStageId);
  if (!found || !target) return board;
  const moved: BoardDeal = { ...found.deal, stageId: toStageId, status: statusInStage(target) };
  return {
    ...board,
    stages: board.stages.map((stage) => {
      const base = stage.id === found.stage.id ? withoutDeal(stage, found.deal) : stage;
      if (stage.id !== toStageId) return base;
      const deals = [...base.deals];
      deals.splice(Math.max(0, Math.min(index, deals.length)), 0, moved);
      return {
        ...base,
        deals,
        count: base.count + 1,
        totals: addMoney(base.totals, moved.currency, moved.amountMinor),
      };
    }),
  };
}

/** The deal the server should place the moved one after: its new upper neighbour, or none (the top). */
export function afterDealIdIn(board: Board, dealId: string): string | null {
  const found = findDeal(board, dealId);
  if (!found || found.index === 0) return null;
  return found.stage.deals[found.index - 1]?.id ?? null;
}

/** Replaces a deal with the server's version (its position, status, close date), where it is. */
export function patchDeal(board: Board, deal: Partial<BoardDeal> & { id: string }): Board {
  return {
    ...board,
    stages: board.stages.map((stage) =>
      stage.deals.some((d) => d.id === deal.id)
        ? { ...stage, deals: stage.deals.map((d) => (d.id === deal.id ? { ...d, ...deal } : d)) }
        : stage,
    ),
  };
}

/** Appends a column's next page (skipping any card already shown, e.g. one just moved there). */
export function appendPage(board: Board, stageId: string, deals: readonly BoardDeal[], nextCursor: string | null) {
  return {
    ...board,
    stages: board.stages.map((stage) => {
      if (stage.id !== stageId) return stage;
      const shown = new Set(stage.deals.map((d) => d.id));
      return {
        ...stage,
        deals: [...stage.deals, ...deals.filter((d) => !shown.has(d.id))],
        hasMore: nextCursor !== null,
        nextCursor,
      };
    }),
  };
}

/** The first won (or lost) stage: where `deals.close` puts a deal. */
export function closingStage(board: Board, outcome: "won" | "lost"): BoardStage | null {
  return board.stages.find((s) => (outcome === "won" ? s.isWon : s.isLost)) ?? null;
}
