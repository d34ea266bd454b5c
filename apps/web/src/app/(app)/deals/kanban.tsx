"use client";

import {
  type Announcements,
  type CollisionDetection,
  closestCorners,
  DndContext,
  type DragCancelEvent,
  type DragEndEvent,
  type DragOverEvent,
  DragOverlay,
  type DragStartEvent,
  KeyboardSensor,
  PointerSensor,
  type PointerSensorOptions,
  pointerWithin,
  TouchSensor,
  useDroppable,
  useSensor,
  useSensors,
} from "@dnd-kit/core";
import {
  arrayMove,
  SortableContext,
  sortableKeyboardCoordinates,
  verticalListSortingStrategy,
} from "@dnd-kit/sortable";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { type PointerEvent as ReactPointerEvent, useEffect, useMemo, useRef, useState } from "react";
import { Button } from "~/components/button";
import { useToast } from "~/components/toast";
import { formatMoney, formatNumber } from "~/lib/format";
import { useTRPC } from "~/trpc/react";
import { COLUMN_WIDTH } from "./board-layout";
import {
  appendPage,
  type Board,
  type BoardDeal,
  type BoardStage,
  type Money,
  sortMoney,
  weighted,
} from "./board-model";
import { boardQuery, CARDS_PER_STAGE } from "./board-query";
import { CloseDealDialog } from "./close-deal-dialog";
import { type CardActions, DealCardPreview, SortableDealCard } from "./deal-card";
import { type CloseRequest, useBoardMoves } from "./use-board-moves";

/** Mouse and pen drag from anywhere on a card; touch is left to the touch sensor (press and hold). */
class MouseAndPenSensor extends PointerSensor {
  static override activators = [
    {
      eventName: "onPointerDown" as const,
      handler: ({ nativeEvent: event }: ReactPointerEvent, { onActivation }: PointerSensorOptions) => {
        if (event.pointerType === "touch" || !event.isPrimary || event.button !== 0) return false;
        onActivation?.({ event });
        return true;
      },
    },
  ];
}

const STAGE_PREFIX = "stage:";
const stageDropId = (stageId: string) => `${STAGE_PREFIX}${stageId}`;

type Columns = Record<string, string[]>;

function columnsOf(board: Board): Columns {
  return Object.fromEntries(board.stages.map((stage) => [stage.id, stage.deals.map((deal) => deal.id)]));
}

function containerOf(columns: Columns, id: string): string | null {
  if (id.startsWith(STAGE_PREFIX)) return id.slice(STAGE_PREFIX.length);
  for (const [stageId, ids] of Object.entries(columns)) if (ids.includes(id)) return stageId;
  return null;
}

/** With a pointer, the column under it wins; with the keyboard (no pointer), the nearest card or column. */
const collisionDetection: CollisionDetection = (args) => {
  if (args.pointerCoordinates) {
    const within = pointerWithin(args);
    if (within.length > 0) {
      const cards = within.filter((c) => !String(c.id).startsWith(STAGE_PREFIX));
      return cards.length > 0
        ? closestCorners({
            ...args,
            droppableContainers: args.droppableContainers.filter((d) => cards.some((c) => c.id === d.id)),
          })
        : within;
    }
  }
  return closestCorners(args);
};

interface KanbanProps {
  board: Board;
  canWrite: boolean;
  onNewDeal: (stageId: string) => void;
}

export function Kanban({ board, canWrite, onNewDeal }: KanbanProps) {
  const trpc = useTRPC();
  const members = useQuery(trpc.auth.members.list.queryOptions(undefined, { staleTime: 60_000 }));
  const ownerNames = useMemo(() => new Map((members.data ?? []).map((m) => [m.userId, m.name])), [members.data]);
  const { moveDeal, closeDeal, cancelClose } = useBoardMoves(board.id);
  const [closing, setClosing] = useState<CloseRequest | null>(null);
  // While a card is dragged, the columns as they look under the pointer; null otherwise.
  const [dragColumns, setDragColumns] = useState<Columns | null>(null);
  const [activeId, setActiveId] = useState<string | null>(null);
  const columns = dragColumns ?? columnsOf(board);
  // A card moved from the keyboard (or its menu) lands in another column as a new element: its
  // handle gets the focus back once it is there, so the next move can follow.
  const [refocus, setRefocus] = useState<{ dealId: string; stageId: string } | null>(null);
  const keyboardDrag = useRef(false);

  const dealsById = useMemo(() => {
    const map = new Map<string, BoardDeal>();
    for (const stage of board.stages) for (const deal of stage.deals) map.set(deal.id, deal);
    return map;
  }, [board]);
  const stagesById = useMemo(() => new Map(board.stages.map((s) => [s.id, s])), [board]);
  const currency = useMemo(() => mainCurrency(board), [board]);

  const sensors = useSensors(
    useSensor(MouseAndPenSensor, { activationConstraint: { distance: 6 } }),
    useSensor(TouchSensor, { activationConstraint: { delay: 220, tolerance: 6 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );

  // Announcements read the latest columns, which change during a drag.
  const latest = useRef({ columns, dealsById, stagesById, start: null as { stageId: string } | null });
  latest.current = { ...latest.current, columns, dealsById, stagesById };

  const announcements = useMemo<Announcements>(() => {
    const title = (id: string | number) => latest.current.dealsById.get(String(id))?.title ?? "The deal";
    const where = (activeId: string | number, overId: string | number | undefined) => {
      const { columns, stagesById } = latest.current;
      if (overId === undefined) return null;
      const stageId = containerOf(columns, String(overId));
      const stage = stageId ? stagesById.get(stageId) : null;
      if (!stageId || !stage) return null;
      const ids = (columns[stageId] ?? []).filter((id) => id !== String(activeId));
      const overIndex = ids.indexOf(String(overId));
      const position = overIndex === -1 ? ids.length + 1 : overIndex + 1;
      return `${stage.name}, position ${position} of ${ids.length + 1}`;
    };
    return {
      onDragStart: ({ active }) => {
        const place = where(active.id, active.id);
        return `Picked up ${title(active.id)}${place ? `, in ${place}` : ""}. Use the arrow keys to move it, space or enter to drop it, escape to cancel.`;
      },
      onDragOver: ({ active, over }) => {
        const place = where(active.id, over?.id);
        return place ? `${title(active.id)} is over ${place}.` : `${title(active.id)} is not over a stage.`;
      },
      onDragEnd: ({ active, over }) => {
        const place = where(active.id, over?.id);
        return place ? `${title(active.id)} was dropped in ${place}.` : `${title(active.id)} was put back.`;
      },
      onDragCancel: ({ active }) => {
        const stage = latest.current.start ? latest.current.stagesById.get(latest.current.start.stageId) : null;
        return `Moving ${title(active.id)} was cancelled.${stage ? ` It is back in ${stage.name}.` : ""}`;
      },
    };
  }, []);

  function onDragStart({ active, activatorEvent }: DragStartEvent) {
    keyboardDrag.current = activatorEvent instanceof KeyboardEvent;
    const start = columnsOf(board);
    const stageId = containerOf(start, String(active.id));
    latest.current.start = stageId ? { stageId } : null;
    setDragColumns(start);
    setActiveId(String(active.id));
  }

  function onDragOver({ active, over }: DragOverEvent) {
    if (!over) return;
    const activeKey = String(active.id);
    const overKey = String(over.id);
    setDragColumns((current) => {
      if (!current) return current;
      const from = containerOf(current, activeKey);
      const to = containerOf(current, overKey);
      if (!from || !to || from === to) return current;
      const target = (current[to] ?? []).filter((id) => id !== activeKey);
      let index = target.indexOf(overKey);
      if (index === -1) index = target.length;
      else {
        const dragged = active.rect.current.translated;
        if (dragged && dragged.top > over.rect.top + over.rect.height / 2) index += 1;
      }
      target.splice(index, 0, activeKey);
      return { ...current, [from]: (current[from] ?? []).filter((id) => id !== activeKey), [to]: target };
    });
  }

  function onDragEnd({ active, over }: DragEndEvent) {
    const current = dragColumns;
    setDragColumns(null);
    setActiveId(null);
    const activeKey = String(active.id);
    const start = latest.current.start;
    if (keyboardDrag.current && start) setRefocus({ dealId: activeKey, stageId: start.stageId });
    if (!over || !current) return;
    const stageId = containerOf(current, activeKey);
    if (!stageId) return;
    if (keyboardDrag.current) setRefocus({ dealId: activeKey, stageId });
    let ids = current[stageId] ?? [];
    const overKey = String(over.id);
    if (overKey !== activeKey && ids.includes(overKey)) {
      ids = arrayMove(ids, ids.indexOf(activeKey), ids.indexOf(overKey));
    }
    moveDeal(activeKey, stageId, ids.indexOf(activeKey), setClosing);
  }

  function onDragCancel({ active }: DragCancelEvent) {
    setDragColumns(null);
    setActiveId(null);
    const start = latest.current.start;
    if (keyboardDrag.current && start) setRefocus({ dealId: String(active.id), stageId: start.stageId });
  }

  const actions: CardActions | null = canWrite
    ? {
        stages: board.stages,
        onClose: (deal, outcome) => setClosing({ deal, outcome, dropped: null }),
        onMoveTo: (deal, stageId) => {
          moveDeal(deal.id, stageId, 0, setClosing);
          setRefocus({ dealId: deal.id, stageId });
        },
      }
    : null;
  const activeDeal = activeId ? dealsById.get(activeId) : undefined;

  return (
    <>
      <DndContext
        // A stable id keeps the ids dnd-kit writes into the page the same on the server and in the browser.
        id={`board-${board.id}`}
        sensors={sensors}
        collisionDetection={collisionDetection}
        onDragStart={onDragStart}
        onDragOver={onDragOver}
        onDragEnd={onDragEnd}
        onDragCancel={onDragCancel}
        accessibility={{
          announcements,
          screenReaderInstructions: {
            draggable:
              "To move a deal, press space or enter on its move handle. Use the up and down arrow keys to change its place in a stage, left and right to move it to another stage. Press space or enter again to drop it, or escape to cancel.",
          },
        }}
      >
        {/* Relative: the visually hidden texts inside (absolutely placed) scroll with it instead of widening the page. */}
        <div
          className="relative -mx-4 mt-4 flex items-start gap-3 overflow-x-auto px-4 pb-4 sm:-mx-6 sm:px-6"
          data-board
        >
          {board.stages.map((stage) => (
            <StageColumn
              key={stage.id}
              pipelineId={board.id}
              stage={stage}
              currency={currency}
              dealIds={columns[stage.id] ?? []}
              dealsById={dealsById}
              ownerNames={ownerNames}
              actions={actions}
              refocus={refocus}
              onRefocused={() => setRefocus(null)}
              onNewDeal={canWrite ? () => onNewDeal(stage.id) : null}
            />
          ))}
        </div>
        <DragOverlay dropAnimation={null}>
          {activeDeal ? (
            <div className={COLUMN_WIDTH}>
              <DealCardPreview deal={activeDeal} ownerName={ownerNames.get(activeDeal.ownerId ?? "") ?? null} />
            </div>
          ) : null}
        </DragOverlay>
      </DndContext>
      <CloseDealDialog
        request={closing}
        onSubmit={(request, reason, closedAt) => closeDeal(request, reason, closedAt)}
        onCancel={(request) => {
          cancelClose(request);
          setClosing(null);
        }}
        onDone={() => setClosing(null)}
      />
    </>
  );
}

interface StageColumnProps {
  pipelineId: string;
  stage: BoardStage;
  currency: string;
  dealIds: string[];
  dealsById: Map<string, BoardDeal>;
  ownerNames: Map<string, string>;
  actions: CardActions | null;
  refocus: { dealId: string; stageId: string } | null;
  onRefocused: () => void;
  onNewDeal: (() => void) | null;
}

function StageColumn({
  pipelineId,
  stage,
  currency,
  dealIds,
  dealsById,
  ownerNames,
  actions,
  refocus,
  onRefocused,
  onNewDeal,
}: StageColumnProps) {
  const { setNodeRef, isOver } = useDroppable({ id: stageDropId(stage.id), data: { type: "stage" } });
  const headingId = `stage-${stage.id}`;
  const deals = dealIds.flatMap((id) => dealsById.get(id) ?? []);
  const loadMore = useLoadMore(pipelineId, stage);

  return (
    <section
      aria-labelledby={headingId}
      data-stage={stage.name}
      className={`${COLUMN_WIDTH} flex max-h-[calc(100dvh-13rem)] min-h-64 shrink-0 flex-col rounded-xl border bg-slate-50 ${
        isOver ? "border-indigo-300 bg-indigo-50/50" : "border-slate-200"
      }`}
    >
      <StageHeader stage={stage} currency={currency} headingId={headingId} onNewDeal={onNewDeal} />
      <div ref={loadMore.scrollRef} className="min-h-0 flex-1 overflow-y-auto px-2 pb-2">
        <SortableContext id={stage.id} items={dealIds} strategy={verticalListSortingStrategy}>
          <ul ref={setNodeRef} aria-labelledby={headingId} className="flex min-h-24 flex-col gap-2">
            {deals.map((deal) => (
              <SortableDealCard
                key={deal.id}
                deal={deal}
                ownerName={deal.ownerId ? (ownerNames.get(deal.ownerId) ?? null) : null}
                actions={actions}
                focusHandle={refocus?.dealId === deal.id && refocus.stageId === stage.id}
                onHandleFocused={onRefocused}
              />
            ))}
            {deals.length === 0 ? (
              <li className="flex h-24 items-center justify-center rounded-lg border border-dashed border-slate-300 px-3 text-center text-xs text-slate-500">
                {actions ? "Drop a deal here" : "No deals"}
              </li>
            ) : null}
          </ul>
        </SortableContext>
        {stage.hasMore ? (
          <div ref={loadMore.sentinelRef} className="mt-2 flex justify-center">
            <Button variant="ghost" size="sm" pending={loadMore.pending} onClick={loadMore.load}>
              {loadMore.pending ? "Loading…" : `Load more in ${stage.name}`}
            </Button>
          </div>
        ) : null}
      </div>
    </section>
  );
}

function StageHeader({
  stage,
  currency,
  headingId,
  onNewDeal,
}: {
  stage: BoardStage;
  currency: string;
  headingId: string;
  onNewDeal: (() => void) | null;
}) {
  const totals = sortMoney(stage.totals);
  const closed = stage.isWon || stage.isLost;
  return (
    <header className="px-3 pt-3 pb-2">
      <div className="flex items-center gap-2">
        <h3 id={headingId} className="min-w-0 truncate text-sm font-semibold text-slate-900">
          {stage.name}
        </h3>
        <span
          className="rounded-full bg-slate-200/70 px-2 py-0.5 text-xs font-medium text-slate-700 tabular-nums"
          data-testid="stage-count"
        >
          <span className="sr-only">Deals: </span>
          {formatNumber(stage.count)}
        </span>
        {stage.isWon ? <span className="text-xs font-medium text-emerald-700">Won</span> : null}
        {stage.isLost ? <span className="text-xs font-medium text-red-700">Lost</span> : null}
        {onNewDeal ? (
          <button
            type="button"
            onClick={onNewDeal}
            aria-label={`New deal in ${stage.name}`}
            className="ml-auto flex size-7 items-center justify-center rounded-md text-slate-400 hover:bg-slate-200/70 hover:text-slate-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
          >
            <svg className="size-4" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true">
              <path d="M10.75 4.75a.75.75 0 0 0-1.5 0v4.5h-4.5a.75.75 0 0 0 0 1.5h4.5v4.5a.75.75 0 0 0 1.5 0v-4.5h4.5a.75.75 0 0 0 0-1.5h-4.5v-4.5Z" />
            </svg>
          </button>
        ) : null}
      </div>
      <dl className="mt-1 flex h-4 items-baseline gap-x-3 overflow-hidden text-xs text-slate-500">
        <div className="flex min-w-0 gap-1" data-testid="stage-total">
          <dt className="sr-only">Total</dt>
          <dd className="truncate font-medium text-slate-700 tabular-nums">{moneyList(totals, currency)}</dd>
        </div>
        {closed ? null : (
          <div className="flex min-w-0 gap-1" data-testid="stage-weighted">
            <dt>Weighted</dt>
            <dd className="truncate tabular-nums">
              {moneyList(weighted(totals, stage.probability), currency)} <span>({stage.probability}%)</span>
            </dd>
          </div>
        )}
      </dl>
    </header>
  );
}

/** Sums per currency ("€1,200.00 · $300.00"); an empty stage shows zero in the board's main currency. */
function moneyList(totals: readonly Money[], currency: string): string {
  if (totals.length === 0) return formatMoney(0, currency);
  return totals.map((t) => formatMoney(t.amountMinor, t.currency)).join(" · ");
}

/** The currency most of the board's value is in. */
function mainCurrency(board: Board): string {
  const sums = new Map<string, number>();
  for (const stage of board.stages) {
    for (const t of stage.totals) sums.set(t.currency, (sums.get(t.currency) ?? 0) + t.amountMinor);
  }
  return [...sums].sort((a, b) => b[1] - a[1])[0]?.[0] ?? board.stages[0]?.deals[0]?.currency ?? "USD";
}

/** Fetches a column's next cards, by button or when its end scrolls into view. */
function useLoadMore(pipelineId: string, stage: BoardStage) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const [pending, setPending] = useState(false);
  const scrollRef = useRef<HTMLDivElement>(null);
  const sentinelRef = useRef<HTMLDivElement>(null);
  const busy = useRef(false);

  const load = async () => {
    if (busy.current || !stage.nextCursor) return;
    busy.current = true;
    setPending(true);
    try {
      const page = await queryClient.fetchQuery({
        ...trpc.crm.deals.stagePage.queryOptions({
          stageId: stage.id,
          cursor: stage.nextCursor,
          limit: CARDS_PER_STAGE,
        }),
        staleTime: 0,
      });
      queryClient.setQueryData<Board>(boardQuery(trpc, pipelineId).queryKey, (board) =>
        board ? appendPage(board, stage.id, page.items, page.nextCursor) : board,
      );
    } catch (error) {
      toast(`More deals in ${stage.name} couldn’t be loaded: ${(error as Error).message}`, { tone: "error" });
    } finally {
      busy.current = false;
      setPending(false);
    }
  };
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    const root = scrollRef.current;
    const sentinel = sentinelRef.current;
    if (!root || !sentinel || !stage.hasMore) return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) void loadRef.current();
      },
      { root, rootMargin: "0px 0px 200px 0px" },
    );
    observer.observe(sentinel);
    return () => observer.disconnect();
  }, [stage.hasMore, stage.nextCursor]);

  return { pending, load: () => void load(), scrollRef, sentinelRef };
}
