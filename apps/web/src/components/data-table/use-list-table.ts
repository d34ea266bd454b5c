"use client";

import { type ColumnDef, type RowSelectionState, type SortingState, useTable } from "@tanstack/react-table";
import { useEffect, useMemo, useState } from "react";
import { type ListConfig, type ListState, visibleColumns } from "./list-state";
import { type ListFeatures, listFeatures } from "./table-features";

interface UseListTableOptions<TData extends { id: string }> {
  data: TData[];
  columns: ColumnDef<ListFeatures, TData, unknown>[];
  config: ListConfig;
  state: ListState;
  /** Changes whenever the rows shown change (search, filters, sort): the selection is cleared then. */
  queryKey: string;
}

const NO_ROWS: never[] = [];

/**
 * The TanStack table of a list page. Which columns show, their order and the sort all come from the
 * URL state; the rows are already filtered and sorted by the server (`manualSorting`). Only the row
 * selection is local.
 */
export function useListTable<TData extends { id: string }>({
  data,
  columns,
  config,
  state,
  queryKey,
}: UseListTableOptions<TData>) {
  const [rowSelection, setRowSelection] = useState<RowSelectionState>({});
  // The key stands for the query the rows come from: another query, another selection.
  useEffect(() => setRowSelection({}), [queryKey]);

  const shown = visibleColumns(state, config);
  const { columnVisibility, columnOrder } = useMemo(() => {
    const fixed = (id: string) => columns.find((c) => c.id === id)?.meta?.fixed;
    const ids = columns.map((c) => c.id ?? "");
    const visibility: Record<string, boolean> = {};
    for (const id of ids) visibility[id] = Boolean(fixed(id)) || shown.includes(id);
    const order = [
      ...ids.filter((id) => fixed(id) === "select" || fixed(id) === "primary"),
      ...shown.filter((id) => ids.includes(id) && !fixed(id)),
      ...ids.filter((id) => !fixed(id) && !shown.includes(id)),
      ...ids.filter((id) => fixed(id) === "actions"),
    ];
    return { columnVisibility: visibility, columnOrder: order };
  }, [columns, shown]);

  const sorting = useMemo<SortingState>(() => {
    for (const column of columns) {
      const sort = column.meta?.sort;
      if (!sort || !column.id) continue;
      if (sort.asc === state.sort) return [{ id: column.id, desc: false }];
      if (sort.desc === state.sort) return [{ id: column.id, desc: true }];
    }
    return [];
  }, [columns, state.sort]);

  const table = useTable({
    features: listFeatures,
    columns,
    data: data.length > 0 ? data : NO_ROWS,
    getRowId: (row) => row.id,
    manualSorting: true,
    enableMultiSort: false,
    enableSubRowSelection: false,
    // Shift-click on a row's checkbox selects the range from the previous click.
    isRowRangeSelectionEvent: (event) => Boolean((event as { shiftKey?: boolean }).shiftKey),
    state: { rowSelection, columnVisibility, columnOrder, sorting },
    onRowSelectionChange: setRowSelection,
  });

  const selectedIds = useMemo(() => Object.keys(rowSelection).filter((id) => rowSelection[id]), [rowSelection]);
  return { table, selectedIds, clearSelection: () => setRowSelection({}) };
}

/** The sort a click on a sortable header asks for: the next direction the column offers, else the default. */
export function nextSort(
  meta: { sort?: { asc?: string; desc?: string } } | undefined,
  current: string,
  config: ListConfig,
) {
  const sort = meta?.sort;
  const fallback = config.sorts[0] ?? current;
  if (!sort) return current;
  if (current === sort.desc) return sort.asc ?? fallback;
  if (current === sort.asc) return sort.desc && sort.desc !== current ? sort.desc : fallback;
  return sort.desc ?? sort.asc ?? fallback;
}
