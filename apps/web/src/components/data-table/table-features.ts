import {
  columnOrderingFeature,
  columnVisibilityFeature,
  createColumnHelper,
  metaHelper,
  rowSelectionFeature,
  rowSortingFeature,
  tableFeatures,
} from "@tanstack/react-table";

export interface ListColumnMeta {
  /** The column's name in the header, the column chooser and saved views' screen-reader text. */
  label: string;
  /**
   * The list procedure's sort each direction of this column maps to. Only columns the API can
   * order by get one; clicking their header cycles through the directions given.
   */
  sort?: { asc?: string; desc?: string };
  /** Width and alignment classes for the header and the cells. */
  className?: string;
  /** Selection, the record's name and row actions: always shown, kept in place when scrolling sideways. */
  fixed?: "select" | "primary" | "actions";
}

/**
 * Only what the lists use, so the bundle carries only these features: visibility and order (column
 * chooser, saved views), row selection (bulk actions) and sorting state (done by the server:
 * `manualSorting`, no sorted row model).
 */
export const listFeatures = tableFeatures({
  columnOrderingFeature,
  columnVisibilityFeature,
  rowSelectionFeature,
  rowSortingFeature,
  columnMeta: metaHelper<ListColumnMeta>(),
});
export type ListFeatures = typeof listFeatures;

export function listColumnHelper<TData extends { id: string }>() {
  return createColumnHelper<ListFeatures, TData>();
}
