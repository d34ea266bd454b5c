"use client";

import { useSortable } from "@dnd-kit/sortable";
import { CSS } from "@dnd-kit/utilities";
import type { Route } from "next";
import Link from "next/link";
import { type HTMLAttributes, type ReactNode, useEffect, useRef } from "react";
import { Avatar } from "~/components/avatar";
import { Badge } from "~/components/badge";
import { focusRing } from "~/components/button";
import { Icon } from "~/components/icon";
import { Menu, MenuContent, MenuItem, MenuLabel, MenuSeparator, MenuTrigger } from "~/components/menu";
import { formatDate, formatMoney } from "~/lib/format";
import type { BoardDeal, BoardStage } from "./board-model";

export interface CardActions {
  stages: readonly BoardStage[];
  onClose: (deal: BoardDeal, outcome: "won" | "lost") => void;
  onMoveTo: (deal: BoardDeal, stageId: string) => void;
}

interface DealCardProps {
  deal: BoardDeal;
  ownerName: string | null;
  /** Null for people who may only look. */
  actions: CardActions | null;
}

interface SortableDealCardProps extends DealCardProps {
  /** Set once the card sits where a keyboard move put it: its handle takes the focus. */
  focusHandle: boolean;
  onHandleFocused: () => void;
}

/** A card that can be dragged (anywhere with a pointer; with the keyboard from its handle). */
export function SortableDealCard({ deal, ownerName, actions, focusHandle, onHandleFocused }: SortableDealCardProps) {
  const sortable = useSortable({ id: deal.id, data: { type: "deal" }, disabled: actions === null });
  const handleRef = useRef<HTMLButtonElement | null>(null);
  const focused = useRef(onHandleFocused);
  focused.current = onHandleFocused;
  useEffect(() => {
    if (!focusHandle) return;
    handleRef.current?.focus();
    focused.current();
  }, [focusHandle]);
  const style = { transform: CSS.Translate.toString(sortable.transform), transition: sortable.transition };
  return (
    <li ref={sortable.setNodeRef} style={style} className="list-none" data-deal-id={deal.id}>
      <CardBody
        deal={deal}
        ownerName={ownerName}
        dragging={sortable.isDragging}
        {...(actions ? sortable.listeners : {})}
        handle={
          actions ? (
            <button
              type="button"
              ref={(node) => {
                sortable.setActivatorNodeRef(node);
                handleRef.current = node;
              }}
              {...sortable.attributes}
              data-drag-handle
              aria-label={`Move ${deal.title}`}
              className={`-my-1 flex size-7 shrink-0 cursor-grab touch-none items-center justify-center rounded-md text-slate-400 hover:bg-slate-100 hover:text-slate-700 active:cursor-grabbing ${focusRing}`}
            >
              <Icon name="grip" />
            </button>
          ) : null
        }
        menu={actions ? <CardMenu deal={deal} actions={actions} /> : null}
      />
    </li>
  );
}

/** What follows the pointer while a card is dragged. */
export function DealCardPreview({ deal, ownerName }: { deal: BoardDeal; ownerName: string | null }) {
  return (
    <CardBody
      deal={deal}
      ownerName={ownerName}
      dragging={false}
      className="rotate-1 cursor-grabbing shadow-xl ring-2 ring-indigo-500/40"
      handle={
        <span className="-my-1 flex size-7 shrink-0 items-center justify-center text-slate-400">
          <Icon name="grip" />
        </span>
      }
      menu={null}
    />
  );
}

interface CardBodyProps extends HTMLAttributes<HTMLElement> {
  deal: BoardDeal;
  ownerName: string | null;
  dragging: boolean;
  handle: ReactNode;
  menu: ReactNode;
}

function CardBody({ deal, ownerName, dragging, handle, menu, className = "", ...listeners }: CardBodyProps) {
  const overdue = deal.status === "open" && deal.expectedCloseDate !== null && deal.expectedCloseDate < todayIso();
  return (
    <article
      {...listeners}
      aria-label={deal.title}
      className={`rounded-lg border bg-white p-3 shadow-sm transition-shadow ${
        dragging
          ? "border-dashed border-indigo-300 bg-indigo-50/60 opacity-50 shadow-none"
          : "border-slate-200 hover:shadow-md"
      } ${className}`}
    >
      <div className="flex items-start gap-1">
        <Link
          href={`/deals/${deal.id}` as Route}
          className={`min-w-0 flex-1 rounded-sm text-sm font-medium text-slate-900 hover:text-indigo-600 ${focusRing}`}
          draggable={false}
        >
          <span className="line-clamp-2 break-words">{deal.title}</span>
        </Link>
        {handle}
        {menu}
      </div>
      <div className="mt-0.5 flex h-5 items-center justify-between gap-2">
        <p className="truncate text-xs leading-5 text-slate-500">
          {deal.companyName ?? <span className="italic">No company</span>}
        </p>
        {deal.status !== "open" ? (
          <Badge tone={deal.status === "won" ? "green" : "red"}>{deal.status === "won" ? "Won" : "Lost"}</Badge>
        ) : null}
      </div>
      <div className="mt-2 flex items-center justify-between gap-2">
        <span className="truncate text-sm font-semibold text-slate-900 tabular-nums">
          {formatMoney(deal.amountMinor, deal.currency)}
        </span>
        <span className="flex shrink-0 items-center gap-2">
          {deal.expectedCloseDate ? (
            <span className={`text-xs tabular-nums ${overdue ? "font-medium text-red-600" : "text-slate-500"}`}>
              <span className="sr-only">{overdue ? "Expected to close (overdue) " : "Expected to close "}</span>
              <time dateTime={deal.expectedCloseDate}>{formatDate(deal.expectedCloseDate)}</time>
            </span>
          ) : null}
          {ownerName ? (
            <span title={`Owner: ${ownerName}`} className="flex">
              <Avatar name={ownerName} className="size-6 text-[0.625rem]" />
              <span className="sr-only">Owner: {ownerName}</span>
            </span>
          ) : null}
        </span>
      </div>
    </article>
  );
}

function CardMenu({ deal, actions }: { deal: BoardDeal; actions: CardActions }) {
  const others = actions.stages.filter((stage) => stage.id !== deal.stageId);
  return (
    <Menu modal={false}>
      <MenuTrigger
        aria-label={`Actions for ${deal.title}`}
        className={`-my-1 flex size-7 shrink-0 items-center justify-center rounded-md text-slate-400 hover:bg-slate-100 hover:text-slate-700 data-[state=open]:bg-slate-100 ${focusRing}`}
      >
        <Icon name="dots" />
      </MenuTrigger>
      <MenuContent>
        {deal.status !== "won" ? <MenuItem onSelect={() => actions.onClose(deal, "won")}>Mark won</MenuItem> : null}
        {deal.status !== "lost" ? <MenuItem onSelect={() => actions.onClose(deal, "lost")}>Mark lost</MenuItem> : null}
        {others.length > 0 ? (
          <>
            <MenuSeparator />
            <MenuLabel>Move to stage</MenuLabel>
            {others.map((stage) => (
              <MenuItem key={stage.id} onSelect={() => actions.onMoveTo(deal, stage.id)}>
                {stage.name}
              </MenuItem>
            ))}
          </>
        ) : null}
      </MenuContent>
    </Menu>
  );
}

/**
 * Today (UTC) as YYYY-MM-DD, comparable with a deal's expected close date; UTC so the server's
 * render and the browser's agree.
 */
function todayIso(): string {
  return new Date().toISOString().slice(0, 10);
}
