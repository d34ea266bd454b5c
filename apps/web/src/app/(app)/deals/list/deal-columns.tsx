"use client";

import type { ColumnDef } from "@tanstack/react-table";
import type { Route } from "next";
import Link from "next/link";
import { Badge, type BadgeTone } from "~/components/badge";
import { Missing, When } from "~/components/data-table/cells";
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
import { formatDate, formatMoney, minorDigits } from "~/lib/format";
import { type DealRow, type DealStatus, STATUS_LABELS } from "./list-config";

const titleOf = (deal: DealRow) => deal.title;

const STATUS_TONES: Record<DealStatus, BadgeTone> = { open: "indigo", won: "green", lost: "red" };

/** An amount in minor units as a person types it: 1234567 EUR → "12345.67". */
export function majorUnits(minor: number, currency: string): string {
  const digits = minorDigits(currency);
  return digits === 0 ? String(minor) : (minor / 10 ** digits).toFixed(digits);
}

interface DealColumnsOptions extends InlineEdit<DealRow> {
  fields: readonly CustomFieldDef[];
  members: readonly { userId: string; name: string }[];
  /** Stage names, and the pipeline each stage belongs to, by stage id. */
  stages: ReadonlyMap<string, { name: string; pipeline: string }>;
  /** Offers row selection (for bulk actions the role allows). */
  selectable: boolean;
  onDelete: (deal: DealRow) => void;
}

/** Every column of the deals list; which of them show comes from the URL (or the chosen view). */
export function dealColumns({
  fields,
  members,
  stages,
  canEdit,
  selectable,
  save,
  validate,
  onDelete,
}: DealColumnsOptions): ColumnDef<ListFeatures, DealRow, unknown>[] {
  const edit: InlineEdit<DealRow> = { canEdit, save, validate };
  const columns: ColumnDef<ListFeatures, DealRow, unknown>[] = [
    ...(selectable ? [selectColumn<DealRow>(titleOf, "deals")] : []),
    {
      id: "title",
      header: "Deal",
      meta: { label: "Deal", fixed: "primary", className: "min-w-40 max-w-48 sm:min-w-52 sm:max-w-72" },
      cell: ({ row }) => (
        <EditableCell
          {...editProps(edit, row.original)}
          trigger="icon"
          label={`title of ${row.original.title}`}
          fields={[{ name: "title", label: "Title", value: row.original.title, width: "w-48" }]}
        >
          <Link
            href={`/deals/${row.original.id}` as Route}
            prefetch={false}
            className={`block truncate ${recordLinkClass}`}
          >
            {row.original.title}
          </Link>
        </EditableCell>
      ),
    },
    {
      id: "amount",
      header: "Amount",
      meta: { label: "Amount", className: "min-w-36 text-right" },
      cell: ({ row }) => (
        <EditableCell
          {...editProps(edit, row.original)}
          label={`amount of ${row.original.title}`}
          fields={[
            {
              name: "amountMinor",
              label: `Amount in ${row.original.currency}`,
              type: "text",
              value: majorUnits(row.original.amountMinor, row.original.currency),
              width: "w-32",
            },
          ]}
        >
          <span className="block text-right tabular-nums">
            {formatMoney(row.original.amountMinor, row.original.currency)}
          </span>
        </EditableCell>
      ),
    },
    {
      id: "stage",
      header: "Stage",
      meta: { label: "Stage", className: "min-w-40 max-w-60" },
      cell: ({ row }) => {
        const stage = stages.get(row.original.stageId);
        return stage ? (
          <span className="block truncate">
            {stage.name}
            <span className="text-slate-500"> · {stage.pipeline}</span>
          </span>
        ) : (
          <Missing label="Unknown stage" />
        );
      },
    },
    {
      id: "status",
      header: "Status",
      meta: { label: "Status", className: "min-w-24" },
      cell: ({ row }) => <Badge tone={STATUS_TONES[row.original.status]}>{STATUS_LABELS[row.original.status]}</Badge>,
    },
    {
      id: "expectedCloseDate",
      header: "Expected close",
      meta: { label: "Expected close", className: "min-w-36" },
      cell: ({ row }) => (
        <EditableCell
          {...editProps(edit, row.original)}
          label={`expected close date of ${row.original.title}`}
          fields={[
            {
              name: "expectedCloseDate",
              label: "Expected close date",
              type: "date",
              value: row.original.expectedCloseDate ?? "",
              width: "w-40",
            },
          ]}
        >
          {row.original.expectedCloseDate ? (
            formatDate(row.original.expectedCloseDate)
          ) : (
            <Missing label="No close date" />
          )}
        </EditableCell>
      ),
    },
    ownerColumn<DealRow>(members, titleOf, edit),
    {
      id: "companyName",
      header: "Company",
      meta: { label: "Company", className: "min-w-36 max-w-56" },
      cell: ({ row }) =>
        row.original.companyId && row.original.companyName ? (
          <Link
            href={`/companies/${row.original.companyId}` as Route}
            prefetch={false}
            className={`block truncate ${recordLinkClass} font-normal text-slate-700`}
          >
            {row.original.companyName}
          </Link>
        ) : (
          <Missing label="No company" />
        ),
    },
    tagsColumn<DealRow>(),
    createdColumn<DealRow>(),
    {
      id: "closedAt",
      header: "Closed",
      meta: { label: "Closed", className: "min-w-32" },
      cell: ({ row }) => <When value={row.original.closedAt} />,
    },
    ...customFieldColumns<DealRow>(fields),
  ];
  if (canEdit) columns.push(actionsColumn<DealRow>({ nameOf: titleOf, onDelete }));
  return columns;
}
