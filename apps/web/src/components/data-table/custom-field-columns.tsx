import type { ColumnDef } from "@tanstack/react-table";
import { CustomFieldValue, customFieldColumnId } from "./cells";
import type { CustomFieldDef } from "./list-state";
import type { ListFeatures } from "./table-features";

/** One column per custom field of the kind of record, hidden until chosen. */
export function customFieldColumns<TData extends { id: string; customFields: Record<string, unknown> }>(
  fields: readonly CustomFieldDef[],
): ColumnDef<ListFeatures, TData, unknown>[] {
  return fields.map((field) => ({
    id: customFieldColumnId(field.key),
    accessorFn: (row: TData) => (Object.hasOwn(row.customFields, field.key) ? row.customFields[field.key] : undefined),
    header: field.label,
    meta: { label: field.label },
    cell: ({ getValue }) => <CustomFieldValue field={field} value={getValue()} />,
  }));
}
