"use client";

import type { Header, ReactTable, Row } from "@tanstack/react-table";
import { useEffect, useRef, useState } from "react";
import { Button } from "~/components/button";
import type { ListFeatures } from "./table-features";

/** Every row has this height, so the rows in view can be computed from the scroll position alone. */
export const ROW_HEIGHT = 48;
/**
 * Up to this many loaded rows (the first page, which the server renders) every row is rendered;
 * beyond it, only those near the viewport. So a page loaded on scrolling draws the few rows that come
 * into view, not fifty: on a 4x-throttled CPU the longest task of loading the second page fell from
 * 0.6-0.8 s to 0.2-0.3 s.
 */
const VIRTUALIZE_FROM = 60;
const OVERSCAN = 12;

interface DataTableProps<TData extends { id: string }> {
  // biome-ignore lint/suspicious/noExplicitAny: the selected state shape does not matter here
  table: ReactTable<ListFeatures, TData, any>;
  /** The table's accessible name ("Contacts"). */
  label: string;
  /** All matching rows, loaded or not, when known (for `aria-rowcount`). */
  total: number | null;
  onSort: (header: Header<ListFeatures, TData, unknown>) => void;
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => void;
  /** A new query is loading while the previous rows stay on screen. */
  stale?: boolean;
  /** What the "load more" button says, e.g. "Load more contacts". */
  loadMoreLabel: string;
}

function cellClass(fixed: string | undefined, extra = "") {
  const pinned =
    fixed === "select"
      ? "sticky left-0 z-[1] w-11 min-w-11 pl-3"
      : fixed === "primary"
        ? "sticky left-11 z-[1] border-r border-slate-100 sm:border-r-0"
        : fixed === "actions"
          ? // Pinned on wider screens only: on a phone the other columns need the room.
            "sm:sticky sm:right-0 sm:z-[1] sm:border-l sm:border-slate-100"
          : "";
  return `${pinned} ${extra}`;
}

/**
 * A list of records as a table: sortable headers (the server sorts), a sticky header row and
 * sticky first columns when scrolling sideways on a phone, rows rendered only near the viewport
 * once many are loaded, and the next page loaded when the end comes into view (or by button).
 */
export function DataTable<TData extends { id: string }>({
  table,
  label,
  total,
  onSort,
  hasNextPage,
  isFetchingNextPage,
  fetchNextPage,
  stale = false,
  loadMoreLabel,
}: DataTableProps<TData>) {
  const scroller = useRef<HTMLDivElement>(null);
  const sentinel = useRef<HTMLDivElement>(null);
  const rows = table.getRowModel().rows;
  const range = useVisibleRange(scroller, rows.length);

  // The end of the list in view loads the next page, as long as there is one and none is loading.
  const canLoad = hasNextPage && !isFetchingNextPage;
  const load = useRef(fetchNextPage);
  load.current = fetchNextPage;
  useEffect(() => {
    const root = scroller.current;
    const target = sentinel.current;
    if (!root || !target || !canLoad) return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) load.current();
      },
      { root, rootMargin: `0px 0px ${ROW_HEIGHT * 8}px 0px` },
    );
    observer.observe(target);
    return () => observer.disconnect();
  }, [canLoad]);

  const headerGroups = table.getHeaderGroups();
  const visibleColumnCount = table.getVisibleLeafColumns().length;
  const shown = rows.slice(range.start, range.end);

  return (
    <div className="overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm">
      <div ref={scroller} className="relative max-h-[max(22rem,calc(100dvh-17rem))] overflow-auto overscroll-contain">
        <table
          aria-label={label}
          aria-rowcount={total === null ? -1 : total + 1}
          aria-busy={stale || undefined}
          className={`w-full min-w-max border-separate border-spacing-0 text-left text-sm transition-opacity ${stale ? "opacity-60" : ""}`}
        >
          <thead className="sticky top-0 z-10">
            {headerGroups.map((group) => (
              <tr key={group.id} aria-rowindex={1}>
                {group.headers.map((header) => {
                  const meta = header.column.columnDef.meta;
                  const sorted = header.column.getIsSorted();
                  return (
                    <th
                      key={header.id}
                      scope="col"
                      aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : undefined}
                      className={`h-10 border-b border-slate-200 bg-slate-50 px-3 text-xs font-medium tracking-wide whitespace-nowrap text-slate-500 uppercase ${cellClass(meta?.fixed, meta?.className)}`}
                    >
                      {header.isPlaceholder ? null : meta?.sort ? (
                        <button
                          type="button"
                          onClick={() => onSort(header)}
                          className="-mx-1.5 inline-flex items-center gap-1 rounded-md px-1.5 py-1 uppercase hover:bg-slate-200/60 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-indigo-600"
                        >
                          <table.FlexRender header={header} />
                          <SortIcon direction={sorted} />
                          <span className="sr-only">
                            {sorted ? `, sorted ${sorted === "asc" ? "ascending" : "descending"}` : ", sort"}
                          </span>
                        </button>
                      ) : (
                        <table.FlexRender header={header} />
                      )}
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody>
            {range.start > 0 ? (
              // biome-ignore lint/a11y/noAriaHiddenOnFocusable: a spacer row for the rows scrolled past holds nothing focusable
              <tr aria-hidden="true" style={{ height: range.start * ROW_HEIGHT }}>
                <td colSpan={visibleColumnCount} />
              </tr>
            ) : null}
            {shown.map((row, offset) => (
              <DataRow key={row.id} table={table} row={row} index={range.start + offset} />
            ))}
            {range.end < rows.length ? (
              // biome-ignore lint/a11y/noAriaHiddenOnFocusable: a spacer row for the rows not rendered yet holds nothing focusable
              <tr aria-hidden="true" style={{ height: (rows.length - range.end) * ROW_HEIGHT }}>
                <td colSpan={visibleColumnCount} />
              </tr>
            ) : null}
          </tbody>
        </table>
        <div ref={sentinel} aria-hidden="true" className="h-px" />
      </div>
      {hasNextPage ? (
        <div className="flex justify-center border-t border-slate-200 bg-slate-50/60 px-4 py-2.5">
          <Button variant="secondary" size="sm" pending={isFetchingNextPage} onClick={() => fetchNextPage()}>
            {isFetchingNextPage ? "Loading…" : loadMoreLabel}
          </Button>
        </div>
      ) : null}
    </div>
  );
}

function DataRow<TData extends { id: string }>({
  table,
  row,
  index,
}: {
  // biome-ignore lint/suspicious/noExplicitAny: see DataTable
  table: ReactTable<ListFeatures, TData, any>;
  row: Row<ListFeatures, TData>;
  index: number;
}) {
  const selected = row.getIsSelected();
  const surface = selected ? "bg-indigo-50" : "bg-white group-hover:bg-slate-50";
  return (
    <tr aria-rowindex={index + 2} className="group" style={{ height: ROW_HEIGHT }}>
      {row.getVisibleCells().map((cell) => {
        const meta = cell.column.columnDef.meta;
        return (
          <td key={cell.id} className={`data-cell ${surface} ${cellClass(meta?.fixed, meta?.className)}`}>
            <table.FlexRender cell={cell} />
          </td>
        );
      })}
    </tr>
  );
}

/** The rows to render: all of them for short lists, else those in and near the scroll area's view. */
function useVisibleRange(scroller: React.RefObject<HTMLDivElement | null>, count: number) {
  const virtual = count > VIRTUALIZE_FROM;
  const [view, setView] = useState({ top: 0, height: 900 });
  // Where the list is scrolled, kept without re-rendering while every row is drawn: the render that
  // starts leaving rows out (a page loaded at the end of the first) must keep those in view, or the
  // rows under the reader, with their focus or an open editor, would be dropped for a frame.
  const position = useRef(view);
  const [wasVirtual, setWasVirtual] = useState(virtual);
  if (virtual !== wasVirtual) {
    setWasVirtual(virtual);
    if (virtual) setView(position.current);
  }
  useEffect(() => {
    const element = scroller.current;
    if (!element) return;
    let frame = 0;
    const measure = () => {
      position.current = { top: element.scrollTop, height: element.clientHeight };
      if (!virtual) return;
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => setView({ top: element.scrollTop, height: element.clientHeight }));
    };
    measure();
    element.addEventListener("scroll", measure, { passive: true });
    const resize = new ResizeObserver(measure);
    resize.observe(element);
    return () => {
      cancelAnimationFrame(frame);
      element.removeEventListener("scroll", measure);
      resize.disconnect();
    };
  }, [scroller, virtual]);
  if (!virtual) return { start: 0, end: count };
  const start = Math.max(0, Math.floor(view.top / ROW_HEIGHT) - OVERSCAN);
  const end = Math.min(count, Math.ceil((view.top + view.height) / ROW_HEIGHT) + OVERSCAN);
  return { start, end };
}

function SortIcon({ direction }: { direction: false | "asc" | "desc" }) {
  return (
    <svg
      className={`size-3.5 ${direction ? "text-indigo-600" : "text-slate-300"}`}
      viewBox="0 0 16 16"
      fill="currentColor"
      aria-hidden="true"
    >
      {direction === "asc" ? (
        <path d="M8 3.5 12 8.5H4L8 3.5Z" />
      ) : direction === "desc" ? (
        <path d="M8 12.5 4 7.5h8L8 12.5Z" />
      ) : (
        <path d="M8 2.5 11 6H5l3-3.5Zm0 11L5 10h6l-3 3.5Z" />
      )}
    </svg>
  );
}
