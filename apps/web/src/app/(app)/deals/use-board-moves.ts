"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useToast } from "~/components/toast";
import { useTRPC } from "~/trpc/react";
import {
  afterDealIdIn,
  type Board,
  type BoardDeal,
  findDeal,
  moveInBoard,
  patchDeal,
  statusInStage,
} from "./board-model";
import { boardQuery } from "./board-query";

/** Where a deal was before a move, to put it back if the server refuses. */
export interface Origin {
  deal: BoardDeal;
  stageId: string;
  index: number;
}

export interface CloseRequest {
  deal: BoardDeal;
  outcome: "won" | "lost";
  /** Set when the deal was dropped on a won/lost stage: it already sits there and goes back on cancel. */
  dropped: { stageId: string; origin: Origin } | null;
}

/**
 * Moves on the board: each shows at once (the card and both columns' totals) and is undone, with a
 * message, when the server refuses it (the deal was deleted or changed meanwhile, a permission).
 */
export function useBoardMoves(pipelineId: string) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const key = boardQuery(trpc, pipelineId).queryKey;
  const move = useMutation(trpc.crm.deals.move.mutationOptions());
  const close = useMutation(trpc.crm.deals.close.mutationOptions());

  const current = () => queryClient.getQueryData<Board>(key);
  const update = (change: (board: Board) => Board) => {
    // A refetch already under way would bring back the board as it was before this change.
    void queryClient.cancelQueries({ queryKey: key });
    queryClient.setQueryData<Board>(key, (board) => (board ? change(board) : board));
  };
  /** Other screens (list, record page, dashboard) read these deals too: refetched when next shown. */
  const markOthersStale = () => {
    void queryClient.invalidateQueries({ ...trpc.crm.deals.list.pathFilter(), refetchType: "none" });
    void queryClient.invalidateQueries({ ...trpc.crm.deals.get.pathFilter(), refetchType: "none" });
    void queryClient.invalidateQueries({ ...trpc.crm.dashboard.pathFilter(), refetchType: "none" });
  };

  /** Puts a deal back where it was, then fetches the board to show what the server has now. */
  function putBack(origin: Origin) {
    update((board) =>
      patchDeal(moveInBoard(board, origin.deal.id, origin.stageId, origin.index), {
        id: origin.deal.id,
        status: origin.deal.status,
      }),
    );
    void queryClient.invalidateQueries({ queryKey: key });
  }

  /** Where the deal is now (stage and index), before it moves. */
  function originOf(dealId: string): Origin | null {
    const board = current();
    const found = board ? findDeal(board, dealId) : null;
    return found ? { deal: found.deal, stageId: found.stage.id, index: found.index } : null;
  }

  /**
   * Moves a deal to `index` of a stage. Onto a won or lost stage that would close it, so the move is
   * shown and `onClosing` asks for the reason; the deal goes back if that is cancelled.
   */
  function moveDeal(dealId: string, stageId: string, index: number, onClosing: (request: CloseRequest) => void) {
    const board = current();
    const origin = originOf(dealId);
    const target = board?.stages.find((s) => s.id === stageId);
    if (!board || !origin || !target) return;
    if (origin.stageId === stageId && origin.index === index) return;
    update((b) => moveInBoard(b, dealId, stageId, index));
    const outcome = statusInStage(target);
    if (outcome !== "open" && outcome !== origin.deal.status) {
      onClosing({ deal: origin.deal, outcome, dropped: { stageId, origin } });
      return;
    }
    const afterDealId = afterDealIdIn(current() ?? board, dealId);
    move.mutateAsync({ id: dealId, stageId, afterDealId }).then(
      (saved) => {
        update((b) => patchDeal(b, saved));
        markOthersStale();
      },
      (error: Error) => {
        putBack(origin);
        toast(`“${origin.deal.title}” wasn’t moved: ${error.message}`, { tone: "error" });
      },
    );
  }

  /** Closes a deal as won or lost; resolves once the board shows it, rejects with the server's refusal. */
  async function closeDeal(request: CloseRequest, reason: string | null, closedAt: Date) {
    const { deal, outcome, dropped } = request;
    let saved = await close.mutateAsync({ id: deal.id, outcome, reason, closedAt });
    if (dropped) {
      // Closing puts the deal on top of the first won (lost) stage; it was dropped somewhere exact.
      const board = current();
      const afterDealId = board ? afterDealIdIn(board, deal.id) : null;
      if (saved.stageId !== dropped.stageId || afterDealId !== null) {
        saved = await move.mutateAsync({ id: deal.id, stageId: dropped.stageId, afterDealId });
      }
    }
    // Where the server put it (the first won or lost stage when closed from the menu), with its new status.
    update((b) => {
      const found = findDeal(b, deal.id);
      const placed = found && found.stage.id !== saved.stageId ? moveInBoard(b, deal.id, saved.stageId, 0) : b;
      return patchDeal(placed, saved);
    });
    markOthersStale();
    return saved;
  }

  /** The reason dialog was cancelled: a dropped deal goes back. */
  function cancelClose(request: CloseRequest) {
    if (request.dropped) {
      const { origin } = request.dropped;
      update((board) =>
        patchDeal(moveInBoard(board, origin.deal.id, origin.stageId, origin.index), {
          id: origin.deal.id,
          status: origin.deal.status,
        }),
      );
    }
  }

  return { moveDeal, closeDeal, cancelClose };
}
