"use client";

import type { ColumnDef } from "@tanstack/react-table";
import type { Route } from "next";
import Link from "next/link";
import { Avatar } from "~/components/avatar";
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
import type { Contact } from "~/trpc/types";
import { fullName } from "./contact-name";
import { LIFECYCLE_LABELS, lifecycleStages } from "./list-config";

const LIFECYCLE_TONES: Record<Contact["lifecycleStage"], BadgeTone> = {
  lead: "neutral",
  prospect: "indigo",
  customer: "green",
  churned: "red",
};

export interface ContactColumnsOptions {
  fields: readonly CustomFieldDef[];
  members: readonly { userId: string; name: string }[];
  canWrite: boolean;
  /** Offers row selection (for bulk actions the role allows). */
  selectable: boolean;
  /** Saves an inline edit; rejects with the field errors to show. */
  save: (contact: Contact, values: Record<string, string>) => Promise<void>;
  validate: (contact: Contact, values: Record<string, string>) => Promise<Partial<Record<string, string>> | null>;
  onEdit: (contact: Contact) => void;
  onDelete: (contact: Contact) => void;
}

/** Every column of the contacts list; which of them show comes from the URL (or the chosen view). */
export function contactColumns({
  fields,
  members,
  canWrite,
  selectable,
  save,
  validate,
  onEdit,
  onDelete,
}: ContactColumnsOptions): ColumnDef<ListFeatures, Contact, unknown>[] {
  const edit: InlineEdit<Contact> = { canEdit: canWrite, save, validate };

  const columns: ColumnDef<ListFeatures, Contact, unknown>[] = [
    ...(selectable ? [selectColumn<Contact>(fullName, "contacts")] : []),
    {
      id: "name",
      header: "Name",
      meta: {
        label: "Name",
        fixed: "primary",
        sort: { asc: "name" },
        className: "min-w-40 max-w-48 sm:min-w-52 sm:max-w-72",
      },
      cell: ({ row }) => {
        const contact = row.original;
        const name = fullName(contact);
        return (
          <EditableCell
            {...editProps(edit, contact)}
            trigger="icon"
            label={`name of ${name}`}
            fields={[
              { name: "firstName", label: "First name", value: contact.firstName, width: "w-28" },
              { name: "lastName", label: "Last name", value: contact.lastName, width: "w-32" },
            ]}
          >
            <span className="flex min-w-0 items-center gap-2.5">
              <Avatar name={name} className="size-7 text-xs" />
              <Link
                href={`/contacts/${contact.id}` as Route}
                prefetch={false}
                className={`truncate ${recordLinkClass}`}
              >
                {name}
              </Link>
            </span>
          </EditableCell>
        );
      },
    },
    {
      id: "jobTitle",
      accessorKey: "jobTitle",
      header: "Title",
      meta: { label: "Title", className: "min-w-36 max-w-56" },
      cell: ({ row }) => (
        <EditableCell
          {...editProps(edit, row.original)}
          label={`title of ${fullName(row.original)}`}
          fields={[{ name: "jobTitle", label: "Job title", value: row.original.jobTitle ?? "" }]}
        >
          {row.original.jobTitle ?? <Missing label="No title" />}
        </EditableCell>
      ),
    },
    {
      id: "email",
      accessorKey: "email",
      header: "Email",
      meta: { label: "Email", className: "min-w-48 max-w-72" },
      cell: ({ row }) => (
        <EditableCell
          {...editProps(edit, row.original)}
          label={`email of ${fullName(row.original)}`}
          fields={[{ name: "email", label: "Email", type: "email", value: row.original.email ?? "", width: "w-56" }]}
        >
          {row.original.email ?? <Missing label="No email" />}
        </EditableCell>
      ),
    },
    {
      id: "phone",
      accessorKey: "phone",
      header: "Phone",
      meta: { label: "Phone", className: "min-w-36" },
      cell: ({ row }) => (
        <EditableCell
          {...editProps(edit, row.original)}
          label={`phone of ${fullName(row.original)}`}
          fields={[{ name: "phone", label: "Phone", type: "tel", value: row.original.phone ?? "", width: "w-40" }]}
        >
          {row.original.phone ?? <Missing label="No phone" />}
        </EditableCell>
      ),
    },
    {
      id: "companyName",
      accessorKey: "companyName",
      header: "Company",
      meta: { label: "Company", className: "min-w-36 max-w-56" },
      cell: ({ row }) =>
        row.original.companyId && row.original.companyName ? (
          <Link
            href={`/companies/${row.original.companyId}` as Route}
            className={`block truncate ${recordLinkClass} font-normal text-slate-700`}
          >
            {row.original.companyName}
          </Link>
        ) : (
          <Missing label="No company" />
        ),
    },
    {
      id: "lifecycleStage",
      accessorKey: "lifecycleStage",
      header: "Lifecycle",
      meta: { label: "Lifecycle stage", className: "min-w-32" },
      cell: ({ row }) => (
        <EditableCell
          {...editProps(edit, row.original)}
          label={`lifecycle stage of ${fullName(row.original)}`}
          fields={[
            {
              name: "lifecycleStage",
              label: "Lifecycle stage",
              type: "select",
              value: row.original.lifecycleStage,
              width: "w-32",
              options: lifecycleStages.map((stage) => ({ value: stage, label: LIFECYCLE_LABELS[stage] })),
            },
          ]}
        >
          <Badge tone={LIFECYCLE_TONES[row.original.lifecycleStage]}>
            {LIFECYCLE_LABELS[row.original.lifecycleStage]}
          </Badge>
        </EditableCell>
      ),
    },
    ownerColumn<Contact>(members, fullName, edit),
    tagsColumn<Contact>(),
    {
      id: "lastActivityAt",
      accessorKey: "lastActivityAt",
      header: "Last activity",
      meta: { label: "Last activity", sort: { desc: "lastActivity" }, className: "min-w-32" },
      cell: ({ row }) => <When value={row.original.lastActivityAt} />,
    },
    createdColumn<Contact>(),
    ...customFieldColumns<Contact>(fields),
  ];

  if (canWrite) columns.push(actionsColumn<Contact>({ nameOf: fullName, onEdit, onDelete }));
  return columns;
}
