"use client";

import type { ColumnDef } from "@tanstack/react-table";
import type { Route } from "next";
import Link from "next/link";
import { Missing } from "~/components/data-table/cells";
import {
  actionsColumn,
  createdColumn,
  editProps,
  type InlineEdit,
  ownerColumn,
  recordLinkClass,
  tagsColumn,
} from "~/components/data-table/common-columns";
import { customFieldColumns } from "~/components/data-table/custom-field-columns";
import { EditableCell } from "~/components/data-table/editable-cell";
import type { CustomFieldDef } from "~/components/data-table/list-state";
import { selectColumn } from "~/components/data-table/select-column";
import type { ListFeatures } from "~/components/data-table/table-features";
import { type CompanyRow, companySizes } from "./list-config";

const nameOf = (company: CompanyRow) => company.name;

interface CompanyColumnsOptions extends InlineEdit<CompanyRow> {
  fields: readonly CustomFieldDef[];
  members: readonly { userId: string; name: string }[];
  /** Offers row selection (for bulk actions the role allows). */
  selectable: boolean;
  onDelete: (company: CompanyRow) => void;
}

/** A text column of a company, edited in place. */
function textColumn(
  id: "domain" | "industry" | "phone" | "address",
  label: string,
  edit: InlineEdit<CompanyRow>,
  className: string,
  type: "text" | "tel" = "text",
): ColumnDef<ListFeatures, CompanyRow, unknown> {
  return {
    id,
    header: label,
    meta: { label, className },
    cell: ({ row }) => (
      <EditableCell
        {...editProps(edit, row.original)}
        label={`${label.toLowerCase()} of ${row.original.name}`}
        fields={[{ name: id, label, type, value: row.original[id] ?? "" }]}
      >
        {row.original[id] ?? <Missing label={`No ${label.toLowerCase()}`} />}
      </EditableCell>
    ),
  };
}

/** Every column of the companies list; which of them show comes from the URL (or the chosen view). */
export function companyColumns({
  fields,
  members,
  canEdit,
  selectable,
  save,
  validate,
  onDelete,
}: CompanyColumnsOptions): ColumnDef<ListFeatures, CompanyRow, unknown>[] {
  const edit: InlineEdit<CompanyRow> = { canEdit, save, validate };
  const columns: ColumnDef<ListFeatures, CompanyRow, unknown>[] = [
    ...(selectable ? [selectColumn<CompanyRow>(nameOf, "companies")] : []),
    {
      id: "name",
      header: "Name",
      meta: {
        label: "Name",
        fixed: "primary",
        sort: { asc: "name" },
        className: "min-w-40 max-w-48 sm:min-w-52 sm:max-w-72",
      },
      cell: ({ row }) => (
        <EditableCell
          {...editProps(edit, row.original)}
          trigger="icon"
          label={`name of ${row.original.name}`}
          fields={[{ name: "name", label: "Name", value: row.original.name, width: "w-48" }]}
        >
          <Link
            href={`/companies/${row.original.id}` as Route}
            prefetch={false}
            className={`block truncate ${recordLinkClass}`}
          >
            {row.original.name}
          </Link>
        </EditableCell>
      ),
    },
    textColumn("domain", "Domain", edit, "min-w-40 max-w-56"),
    textColumn("industry", "Industry", edit, "min-w-36 max-w-48"),
    {
      id: "size",
      header: "Size",
      meta: { label: "Size", className: "min-w-28" },
      cell: ({ row }) => (
        <EditableCell
          {...editProps(edit, row.original)}
          label={`size of ${row.original.name}`}
          fields={[
            {
              name: "size",
              label: "Size",
              type: "select",
              value: row.original.size ?? "",
              width: "w-32",
              options: [
                { value: "", label: "Unknown" },
                ...companySizes.map((size) => ({ value: size, label: `${size} people` })),
              ],
            },
          ]}
        >
          {row.original.size ? `${row.original.size} people` : <Missing label="Size unknown" />}
        </EditableCell>
      ),
    },
    textColumn("phone", "Phone", edit, "min-w-36", "tel"),
    textColumn("address", "Address", edit, "min-w-48 max-w-72"),
    ownerColumn<CompanyRow>(members, nameOf, edit),
    tagsColumn<CompanyRow>(),
    createdColumn<CompanyRow>(),
    ...customFieldColumns<CompanyRow>(fields),
  ];
  if (canEdit) columns.push(actionsColumn<CompanyRow>({ nameOf, onDelete }));
  return columns;
}
