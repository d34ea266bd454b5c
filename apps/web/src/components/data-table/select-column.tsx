"use client";

import type { ColumnDef, Row, Table } from "@tanstack/react-table";
import type { ListFeatures } from "./table-features";

const checkboxClass =
  "size-4 cursor-pointer rounded border-slate-300 accent-indigo-600 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600";

/** The checkbox column: one per row, and "select all loaded" in the header. */
export function selectColumn<TData extends { id: string }>(
  nameOf: (row: TData) => string,
  plural: string,
): ColumnDef<ListFeatures, TData, unknown> {
  return {
    id: "select",
    enableHiding: false,
    meta: { label: "Select", fixed: "select" },
    header: ({ table }) => <SelectAll table={table} plural={plural} />,
    cell: ({ row }) => <SelectRow row={row} name={nameOf(row.original)} />,
  };
}

function SelectAll<TData extends { id: string }>({
  table,
  plural,
}: {
  table: Table<ListFeatures, TData>;
  plural: string;
}) {
  const all = table.getIsAllRowsSelected();
  const some = table.getIsSomeRowsSelected();
  return (
    <input
      type="checkbox"
      aria-label={`Select all loaded ${plural}`}
      className={checkboxClass}
      checked={all}
      ref={(element) => {
        if (element) element.indeterminate = some && !all;
      }}
      onChange={(event) => table.toggleAllRowsSelected(event.target.checked)}
    />
  );
}

function SelectRow<TData extends { id: string }>({ row, name }: { row: Row<ListFeatures, TData>; name: string }) {
  return (
    <input
      type="checkbox"
      aria-label={`Select ${name}`}
      className={checkboxClass}
      checked={row.getIsSelected()}
      // The click (not change) handler carries Shift, which selects the range from the last click.
      onClick={row.getToggleSelectedHandler()}
      onChange={() => {}}
    />
  );
}
