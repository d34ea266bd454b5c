"use client";

import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { Route } from "next";
import dynamic from "next/dynamic";
import Link from "next/link";
import { useCallback, useMemo, useRef, useState } from "react";
import { Button, buttonClass } from "~/components/button";
import { ActiveFilters } from "~/components/data-table/active-filters";
import { hideableColumns } from "~/components/data-table/common-columns";
import { DataTable } from "~/components/data-table/data-table";
import { DeleteRecordDialog } from "~/components/data-table/delete-record-dialog";
import { LazyBulkActions } from "~/components/data-table/lazy-bulk-actions";
import { usePreloadSchemas } from "~/components/data-table/lazy-schemas";
import { ListCount } from "~/components/data-table/list-count";
import { ExportLink, ListError, ListFrame, NoMatches, TableSkeleton } from "~/components/data-table/list-frame";
import { type CustomFieldDef, exportQuery, isFiltered } from "~/components/data-table/list-state";
import { ListToolbar } from "~/components/data-table/list-toolbar";
import { PlusIcon } from "~/components/data-table/triggers";
import { useInlineSave } from "~/components/data-table/use-inline-save";
import { useListState } from "~/components/data-table/use-list-state";
import { nextSort, useListTable } from "~/components/data-table/use-list-table";
import { EmptyState } from "~/components/empty-state";
import { useOpenOnNewParam } from "~/hooks/use-new-param";
import { usePermissions } from "~/hooks/use-permissions";
import { useTRPC } from "~/trpc/react";
import type { Contact, RouterInputs } from "~/trpc/types";
import { contactColumns } from "./contact-columns";
import { fullName } from "./contact-name";
import { contactsInput, contactsList, contactsListQuery } from "./list-config";

// The form (and the schemas it validates with) loads when first opened, not with the list.
const ContactFormDialog = dynamic(() => import("./contact-form-dialog").then((m) => m.ContactFormDialog), {
  ssr: false,
});

type DialogState =
  | { kind: "create" }
  | { kind: "edit"; contact: Contact }
  | { kind: "delete"; contact: Contact }
  | null;

const NO_FIELDS: CustomFieldDef[] = [];
const NO_MEMBERS: { userId: string; name: string }[] = [];

export function ContactsView() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { can, organization } = usePermissions();
  const canWrite = can("contacts.write");
  // Row selection serves bulk actions: offered only to roles that may take one.
  const selectable = canWrite || can("tags.apply");
  const [state, setState] = useListState(contactsList);
  const [dialog, setDialog] = useState<DialogState>(null);
  // Mounted from the first time it opens on, so closing it returns focus to what opened it.
  const formUsed = useRef(false);
  if (dialog?.kind === "create" || dialog?.kind === "edit") formUsed.current = true;

  const fields = useQuery(trpc.crm.customFields.list.queryOptions({ entityType: "contact" })).data ?? NO_FIELDS;
  const members = useQuery(trpc.auth.members.list.queryOptions()).data ?? NO_MEMBERS;
  const tags = useQuery(trpc.crm.tags.list.queryOptions()).data;

  const input = useMemo(() => contactsInput(state, fields), [state, fields]);
  const list = useInfiniteQuery({ ...contactsListQuery(trpc, input), placeholderData: keepPreviousData });
  const rows = useMemo(() => list.data?.pages.flatMap((page) => page.items) ?? [], [list.data]);
  const firstPage = list.data?.pages[0];

  usePreloadSchemas();
  const update = useMutation(trpc.crm.contacts.update.mutationOptions());
  const { save, validate } = useInlineSave<Contact>({
    schema: (schemas) => schemas.updateContactInput,
    filter: trpc.crm.contacts.list.pathFilter(),
    send: (input) => update.mutateAsync(input as RouterInputs["crm"]["contacts"]["update"]),
    nameOf: fullName,
  });

  const columns = useMemo(
    () =>
      contactColumns({
        fields,
        members,
        canWrite,
        selectable,
        save,
        validate,
        onEdit: (contact) => setDialog({ kind: "edit", contact }),
        onDelete: (contact) => setDialog({ kind: "delete", contact }),
      }),
    [fields, members, canWrite, selectable, save, validate],
  );
  const { table, selectedIds, clearSelection } = useListTable({
    data: rows,
    columns,
    config: contactsList,
    state,
    queryKey: JSON.stringify(input),
  });

  const removeOne = useMutation(trpc.crm.contacts.delete.mutationOptions());
  const restoreOne = useMutation(trpc.crm.contacts.restore.mutationOptions());
  const bulkDelete = useMutation(trpc.crm.contacts.bulkDelete.mutationOptions());
  const bulkRestore = useMutation(trpc.crm.contacts.bulkRestore.mutationOptions());
  const bulkAssign = useMutation(trpc.crm.contacts.bulkAssignOwner.mutationOptions());
  const bulkApi = {
    remove: (ids: string[]) => bulkDelete.mutateAsync({ ids }),
    restore: (ids: string[]) => bulkRestore.mutateAsync({ ids }),
    assignOwner: (ids: string[], ownerId: string) => bulkAssign.mutateAsync({ ids, ownerId }),
    refresh: () => queryClient.invalidateQueries(trpc.crm.contacts.pathFilter()),
  };

  const onSearch = useCallback((search: string) => setState({ search }), [setState]);
  const filtered = isFiltered(state);
  // An organization without any yet sees only the way to add the first one.
  const nothingYet = !list.isPending && rows.length === 0 && !filtered && !list.isError;
  const { sort: _sort, limit: _limit, ...exportFilters } = input;
  const openCreate = () => setDialog({ kind: "create" });
  useOpenOnNewParam(openCreate, organization ? canWrite : undefined);
  const importHref = "/import?kind=contacts" as Route;
  const filterOptions = useMemo(
    () => ({ tag: tags?.map((tag) => ({ value: tag.id, label: tag.name })) ?? [] }),
    [tags],
  );
  const chooserColumns = useMemo(() => hideableColumns(columns), [columns]);

  return (
    <ListFrame
      title="Contacts"
      count={
        firstPage && !nothingYet ? (
          <ListCount count={firstPage.count ?? null} singular="contact" plural="contacts" fuzzy={firstPage.fuzzy} />
        ) : null
      }
      actions={
        <>
          {can("export.run") && !nothingYet ? (
            <ExportLink kind="contacts" query={exportQuery(exportFilters, state.sort)} label="Export CSV" />
          ) : null}
          {can("import.run") ? (
            <Link href={importHref} prefetch={false} className={buttonClass("secondary", "sm")}>
              Import
            </Link>
          ) : null}
          {canWrite ? (
            <Button size="sm" onClick={openCreate}>
              <PlusIcon />
              New contact
            </Button>
          ) : null}
        </>
      }
      toolbar={
        nothingYet ? null : (
          <ListToolbar
            entityType="contact"
            plural="contacts"
            config={contactsList}
            state={state}
            onChange={setState}
            onSearch={onSearch}
            fields={fields}
            filterOptions={filterOptions}
            searchLabel="Search contacts"
            searchPlaceholder="Search name, email, phone…"
            searching={list.isFetching && list.isPlaceholderData}
            columns={chooserColumns}
          />
        )
      }
      status={
        <>
          <ActiveFilters
            config={contactsList}
            state={state}
            onChange={setState}
            fields={fields}
            options={filterOptions}
            memberNames={new Map(members.map((m) => [m.userId, m.name]))}
          />
          <LazyBulkActions
            entityType="contact"
            singular="contact"
            plural="contacts"
            selectedIds={selectedIds}
            onClear={clearSelection}
            canWrite={canWrite}
            canTag={can("tags.apply")}
            api={bulkApi}
          />
        </>
      }
    >
      {list.isPending ? (
        <TableSkeleton label="Loading contacts…" />
      ) : list.isError && rows.length === 0 ? (
        <ListError message={`We couldn’t load your contacts. ${list.error.message}`} onRetry={() => list.refetch()} />
      ) : rows.length === 0 ? (
        filtered ? (
          <NoMatches
            plural="contacts"
            onClear={() => setState((s) => ({ ...s, search: "", filters: {}, customField: null }))}
          />
        ) : (
          <EmptyState
            title="No contacts yet"
            description={
              canWrite
                ? "Keep names, emails and phone numbers in one place your whole team can see."
                : "Contacts your team adds appear here. Your role lets you read them, not change them."
            }
            action={
              canWrite ? (
                <>
                  <Button onClick={openCreate}>
                    <PlusIcon />
                    Add your first contact
                  </Button>
                  {can("import.run") ? (
                    <Link href={importHref} prefetch={false} className={buttonClass("secondary")}>
                      Import a CSV
                    </Link>
                  ) : null}
                </>
              ) : null
            }
          />
        )
      ) : (
        <DataTable
          table={table}
          label="Contacts"
          total={firstPage?.count?.exact ? firstPage.count.value : null}
          onSort={(header) => setState({ sort: nextSort(header.column.columnDef.meta, state.sort, contactsList) })}
          hasNextPage={list.hasNextPage}
          isFetchingNextPage={list.isFetchingNextPage}
          fetchNextPage={() => {
            if (!list.isFetchingNextPage) void list.fetchNextPage();
          }}
          stale={list.isPlaceholderData}
          loadMoreLabel="Load more contacts"
        />
      )}

      {formUsed.current ? (
        <ContactFormDialog
          open={dialog?.kind === "create" || dialog?.kind === "edit"}
          contact={dialog?.kind === "edit" ? dialog.contact : null}
          onClose={() => setDialog(null)}
        />
      ) : null}
      <DeleteRecordDialog
        record={dialog?.kind === "delete" ? { id: dialog.contact.id, name: fullName(dialog.contact) } : null}
        noun="contact"
        remove={(id) => removeOne.mutateAsync({ id })}
        restore={(id) => restoreOne.mutateAsync({ id })}
        refresh={bulkApi.refresh}
        onClose={() => setDialog(null)}
      />
    </ListFrame>
  );
}
