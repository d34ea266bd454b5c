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
import type { RouterInputs } from "~/trpc/types";
import { companyColumns } from "./company-columns";
import { type CompanyRow, companiesInput, companiesList, companiesListQuery } from "./list-config";

// The form (and the schemas it validates with) loads when first opened, not with the list.
const CompanyFormDialog = dynamic(() => import("./company-form-dialog").then((m) => m.CompanyFormDialog), {
  ssr: false,
});

const NO_FIELDS: CustomFieldDef[] = [];
const NO_MEMBERS: { userId: string; name: string }[] = [];

/** Empty choices clear the value: no size, no owner. */
function prepare(_company: CompanyRow, values: Record<string, string>): Record<string, unknown> {
  const input: Record<string, unknown> = { ...values };
  for (const key of ["size", "ownerId"]) if (input[key] === "") input[key] = null;
  return input;
}

export function CompaniesView() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { can, organization } = usePermissions();
  const canWrite = can("companies.write");
  // Row selection serves bulk actions: offered only to roles that may take one.
  const selectable = canWrite || can("tags.apply");
  const [state, setState] = useListState(companiesList);
  const [creating, setCreating] = useState(false);
  useOpenOnNewParam(() => setCreating(true), organization ? canWrite : undefined);
  const [deleting, setDeleting] = useState<CompanyRow | null>(null);
  // Mounted from the first time it opens on, so closing it returns focus to what opened it.
  const formUsed = useRef(false);
  if (creating) formUsed.current = true;

  const fields = useQuery(trpc.crm.customFields.list.queryOptions({ entityType: "company" })).data ?? NO_FIELDS;
  const members = useQuery(trpc.auth.members.list.queryOptions()).data ?? NO_MEMBERS;
  const tags = useQuery(trpc.crm.tags.list.queryOptions()).data;

  const input = useMemo(() => companiesInput(state, fields), [state, fields]);
  const list = useInfiniteQuery({ ...companiesListQuery(trpc, input), placeholderData: keepPreviousData });
  const rows = useMemo(() => list.data?.pages.flatMap((page) => page.items) ?? [], [list.data]);
  const firstPage = list.data?.pages[0];

  usePreloadSchemas();
  const update = useMutation(trpc.crm.companies.update.mutationOptions());
  const { save, validate } = useInlineSave<CompanyRow>({
    schema: (schemas) => schemas.updateCompanyInput,
    prepare,
    filter: trpc.crm.companies.list.pathFilter(),
    send: (input) => update.mutateAsync(input as RouterInputs["crm"]["companies"]["update"]),
    nameOf: (company) => company.name,
  });

  const columns = useMemo(
    () =>
      companyColumns({
        fields,
        members,
        canEdit: canWrite,
        selectable,
        save,
        validate,
        onDelete: setDeleting,
      }),
    [fields, members, canWrite, selectable, save, validate],
  );
  const { table, selectedIds, clearSelection } = useListTable({
    data: rows,
    columns,
    config: companiesList,
    state,
    queryKey: JSON.stringify(input),
  });

  const removeOne = useMutation(trpc.crm.companies.delete.mutationOptions());
  const restoreOne = useMutation(trpc.crm.companies.restore.mutationOptions());
  const bulkDelete = useMutation(trpc.crm.companies.bulkDelete.mutationOptions());
  const bulkRestore = useMutation(trpc.crm.companies.bulkRestore.mutationOptions());
  const bulkAssign = useMutation(trpc.crm.companies.bulkAssignOwner.mutationOptions());
  const refresh = () => queryClient.invalidateQueries(trpc.crm.companies.pathFilter());
  const bulkApi = {
    remove: (ids: string[]) => bulkDelete.mutateAsync({ ids }),
    restore: (ids: string[]) => bulkRestore.mutateAsync({ ids }),
    assignOwner: (ids: string[], ownerId: string) => bulkAssign.mutateAsync({ ids, ownerId }),
    refresh,
  };

  const onSearch = useCallback((search: string) => setState({ search }), [setState]);
  const filtered = isFiltered(state);
  // An organization without any yet sees only the way to add the first one.
  const nothingYet = !list.isPending && rows.length === 0 && !filtered && !list.isError;
  const { sort: _sort, limit: _limit, ...exportFilters } = input;
  const importHref = "/import?kind=companies" as Route;
  const filterOptions = useMemo(
    () => ({ tag: tags?.map((tag) => ({ value: tag.id, label: tag.name })) ?? [] }),
    [tags],
  );
  const chooserColumns = useMemo(() => hideableColumns(columns), [columns]);

  return (
    <ListFrame
      title="Companies"
      count={
        firstPage && !nothingYet ? (
          <ListCount count={firstPage.count ?? null} singular="company" plural="companies" />
        ) : null
      }
      actions={
        <>
          {can("export.run") && !nothingYet ? (
            <ExportLink kind="companies" query={exportQuery(exportFilters, state.sort)} label="Export CSV" />
          ) : null}
          {can("import.run") ? (
            <Link href={importHref} prefetch={false} className={buttonClass("secondary", "sm")}>
              Import
            </Link>
          ) : null}
          {canWrite ? (
            <Button size="sm" onClick={() => setCreating(true)}>
              <PlusIcon />
              New company
            </Button>
          ) : null}
        </>
      }
      toolbar={
        nothingYet ? null : (
          <ListToolbar
            entityType="company"
            plural="companies"
            config={companiesList}
            state={state}
            onChange={setState}
            onSearch={onSearch}
            fields={fields}
            filterOptions={filterOptions}
            searchLabel="Search companies"
            searchPlaceholder="Search name, domain, industry…"
            searching={list.isFetching && list.isPlaceholderData}
            columns={chooserColumns}
          />
        )
      }
      status={
        <>
          <ActiveFilters
            config={companiesList}
            state={state}
            onChange={setState}
            fields={fields}
            options={filterOptions}
            memberNames={new Map(members.map((m) => [m.userId, m.name]))}
          />
          <LazyBulkActions
            entityType="company"
            singular="company"
            plural="companies"
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
        <TableSkeleton label="Loading companies…" />
      ) : list.isError && rows.length === 0 ? (
        <ListError message={`We couldn’t load your companies. ${list.error.message}`} onRetry={() => list.refetch()} />
      ) : rows.length === 0 ? (
        filtered ? (
          <NoMatches
            plural="companies"
            onClear={() => setState((s) => ({ ...s, search: "", filters: {}, customField: null }))}
          />
        ) : (
          <EmptyState
            title="No companies yet"
            description={
              canWrite
                ? "Keep the organizations you work with — their domain, size and who owns the relationship."
                : "Companies your team adds appear here. Your role lets you read them, not change them."
            }
            action={
              canWrite ? (
                <>
                  <Button onClick={() => setCreating(true)}>
                    <PlusIcon />
                    Add your first company
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
          label="Companies"
          total={firstPage?.count?.exact ? firstPage.count.value : null}
          onSort={(header) => setState({ sort: nextSort(header.column.columnDef.meta, state.sort, companiesList) })}
          hasNextPage={list.hasNextPage}
          isFetchingNextPage={list.isFetchingNextPage}
          fetchNextPage={() => {
            if (!list.isFetchingNextPage) void list.fetchNextPage();
          }}
          stale={list.isPlaceholderData}
          loadMoreLabel="Load more companies"
        />
      )}

      {formUsed.current ? <CompanyFormDialog open={creating} onClose={() => setCreating(false)} /> : null}
      <DeleteRecordDialog
        record={deleting ? { id: deleting.id, name: deleting.name } : null}
        noun="company"
        remove={(id) => removeOne.mutateAsync({ id })}
        restore={(id) => restoreOne.mutateAsync({ id })}
        refresh={refresh}
        onClose={() => setDeleting(null)}
      />
    </ListFrame>
  );
}
