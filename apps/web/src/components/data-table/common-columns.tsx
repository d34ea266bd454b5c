"use client";

import type { ColumnDef } from "@tanstack/react-table";
import { Avatar } from "~/components/avatar";
import { Button } from "~/components/button";
import { Icon } from "~/components/icon";
import { Missing, TagList, When } from "./cells";
import { EditableCell } from "./editable-cell";
import type { ListFeatures } from "./table-features";

export const recordLinkClass =
  "rounded-sm font-medium text-slate-900 hover:text-indigo-600 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-600";

/** How a list's cells save an inline edit (see EditableCell). */
export interface InlineEdit<TRow> {
  canEdit: boolean;
  save: (row: TRow, values: Record<string, string>) => Promise<void>;
  validate: (row: TRow, values: Record<string, string>) => Promise<Partial<Record<string, string>> | null>;
}

export function editProps<TRow>(edit: InlineEdit<TRow>, row: TRow) {
  return {
    canEdit: edit.canEdit,
    onSave: (values: Record<string, string>) => edit.save(row, values),
    validate: (values: Record<string, string>) => edit.validate(row, values),
  };
}

/** The owner, shown with an avatar and chosen among the organization's members when edited. */
export function ownerColumn<TRow extends { id: string; ownerId: string | null }>(
  members: readonly { userId: string; name: string }[],
  nameOf: (row: TRow) => string,
  edit: InlineEdit<TRow>,
): ColumnDef<ListFeatures, TRow, unknown> {
  const names = new Map(members.map((m) => [m.userId, m.name]));
  return {
    id: "ownerId",
    header: "Owner",
    meta: { label: "Owner", className: "min-w-40" },
    cell: ({ row }) => {
      const record = row.original;
      const owner = record.ownerId ? (names.get(record.ownerId) ?? "Former member") : null;
      return (
        <EditableCell
          {...editProps(edit, record)}
          label={`owner of ${nameOf(record)}`}
          fields={[
            {
              name: "ownerId",
              label: "Owner",
              type: "select",
              value: record.ownerId ?? "",
              width: "w-40",
              options: [
                ...(record.ownerId ? [] : [{ value: "", label: "Nobody" }]),
                ...members.map((m) => ({ value: m.userId, label: m.name })),
              ],
            },
          ]}
        >
          {owner ? (
            <span className="flex items-center gap-2">
              <Avatar name={owner} className="size-5 text-[10px]" />
              <span className="truncate">{owner}</span>
            </span>
          ) : (
            <Missing label="No owner" />
          )}
        </EditableCell>
      );
    },
  };
}

export function tagsColumn<TRow extends { tags: { id: string; name: string; color: string | null }[] }>(): ColumnDef<
  ListFeatures,
  TRow,
  unknown
> {
  return {
    id: "tags",
    header: "Tags",
    meta: { label: "Tags", className: "min-w-32" },
    cell: ({ row }) => <TagList tags={row.original.tags} />,
  };
}

/** When the record was created; sorts newest or oldest first (the lists' keyset on the id). */
export function createdColumn<TRow extends { createdAt: Date }>(): ColumnDef<ListFeatures, TRow, unknown> {
  return {
    id: "createdAt",
    header: "Created",
    meta: { label: "Created", sort: { desc: "newest", asc: "oldest" }, className: "min-w-32" },
    cell: ({ row }) => <When value={row.original.createdAt} />,
  };
}

/** Edit (when offered) and Delete buttons at the end of a row, named for the record. */
export function actionsColumn<TRow extends { id: string }>({
  nameOf,
  onEdit,
  onDelete,
}: {
  nameOf: (row: TRow) => string;
  onEdit?: (row: TRow) => void;
  onDelete: (row: TRow) => void;
}): ColumnDef<ListFeatures, TRow, unknown> {
  return {
    id: "actions",
    header: () => <span className="sr-only">Actions</span>,
    meta: { label: "Actions", fixed: "actions", className: onEdit ? "w-24 text-right" : "w-14 text-right" },
    cell: ({ row }) => {
      const name = nameOf(row.original);
      return (
        <span className="flex justify-end gap-0.5">
          {onEdit ? (
            <Button variant="ghost" size="sm" className="px-2" onClick={() => onEdit(row.original)}>
              <Icon name="pencil" />
              <span className="sr-only">Edit {name}</span>
            </Button>
          ) : null}
          <Button
            variant="ghost"
            size="sm"
            className="px-2 hover:bg-red-50 hover:text-red-600"
            onClick={() => onDelete(row.original)}
          >
            <Icon name="trash" />
            <span className="sr-only">Delete {name}</span>
          </Button>
        </span>
      );
    },
  };
}

/** The columns the column chooser offers: all but selection, the name and the row actions. */
export function hideableColumns<TRow extends { id: string }>(
  columns: readonly ColumnDef<ListFeatures, TRow, unknown>[],
) {
  return columns
    .filter((column) => column.id && !column.meta?.fixed)
    .map((column) => ({
      id: column.id as string,
      label: column.meta?.label ?? (column.id as string),
      custom: column.id?.startsWith("customFields.") ?? false,
    }));
}
