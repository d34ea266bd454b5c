"use client";

import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { Route } from "next";
import dynamic from "next/dynamic";
import Link from "next/link";
import { useCallback, useMemo, useRef, useState } from "react";
import { Button, buttonClass, focusRing } from "~/components/button";
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
import { usePermissions } from "~/hooks/use-permissions";
import { useTRPC } from "~/trpc/react";
import type { RouterInputs } from "~/trpc/types";
import { dealColumns } from "./deal-columns";
import { amountInput, type DealRow, dealsInput, dealsList, dealsListQuery } from "./list-config";

// The form (and the schemas it validates with) loads when first opened, not with the list.
const DealFormDialog = dynamic(() => import("./deal-form-dialog").then((m) => m.DealFormDialog), { ssr: false });

const NO_FIELDS: CustomFieldDef[] = [];
const NO_MEMBERS: { userId: string; name: string }[] = [];

/** The cells' strings as the update's input: the amount in minor units, empty choices as none. */
function prepare(deal: DealRow, values: Record<string, string>): Record<string, unknown> {
  const input: Record<string, unknown> = { ...values };
  if (values.amountMinor !== undefined) input.amountMinor = amountInput(values.amountMinor, deal.currency);
  if (values.expectedCloseDate === "") input.expectedCloseDate = null;
  if (values.ownerId === "") input.ownerId = null;
  return input;
}

/** Switches between the pipeline board and this table. */
function BoardListSwitch() {
  const item = `inline-flex h-8 items-center rounded-md px-3 text-sm font-medium ${focusRing}`;
  return (
    <nav aria-label="Deals view" className="mb-3 inline-flex rounded-lg border border-slate-200 bg-slate-100 p-0.5">
      <Link href={"/deals" as Route} prefetch={false} className={`${item} text-slate-600 hover:text-slate-900`}>
        Board
      </Link>
      <Link href={"/deals/list" as Route} aria-current="page" className={`${item} bg-white text-slate-900 shadow-sm`}>
        List
      </Link>
    </nav>
  );
}

export function DealsListView() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { can } = usePermissions();
  const canWrite = can("deals.write");
  // Row selection serves bulk actions: offered only to roles that may take one.
  const selectable = canWrite || can("tags.apply");
  const [state, setState] = useListState(dealsList);
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<DealRow | null>(null);
  // Mounted from the first time it opens on, so closing it returns focus to what opened it.
  const formUsed = useRef(false);
  if (creating) formUsed.current = true;

  const fields = useQuery(trpc.crm.customFields.list.queryOptions({ entityType: "deal" })).data ?? NO_FIELDS;
  const members = useQuery(trpc.auth.members.list.queryOptions()).data ?? NO_MEMBERS;
  const tags = useQuery(trpc.crm.tags.list.queryOptions()).data;
  const pipelines = useQuery(trpc.crm.pipelines.list.queryOptions()).data;

  const input = useMemo(() => dealsInput(state, fields), [state, fields]);
  const list = useInfiniteQuery({ ...dealsListQuery(trpc, input), placeholderData: keepPreviousData });
  const rows = useMemo(() => list.data?.pages.flatMap((page) => page.items) ?? [], [list.data]);
  const firstPage = list.data?.pages[0];

  const stages = useMemo(
    () =>
      new Map(
        (pipelines ?? []).flatMap((pipeline) =>
          pipeline.stages.map((stage) => [stage.id, { name: stage.name, pipeline: pipeline.name }] as const),
        ),
      ),
    [pipelines],
  );

  usePreloadSchemas();
  const update = useMutation(trpc.crm.deals.update.mutationOptions());
  const { save, validate } = useInlineSave<DealRow>({
    schema: (schemas) => schemas.updateDealInput,
    prepare,
    filter: trpc.crm.deals.list.pathFilter(),
    send: (input) => update.mutateAsync(input as RouterInputs["crm"]["deals"]["update"]),
    nameOf: (deal) => deal.title,
  });

  const columns = useMemo(
    () =>
      dealColumns({
        fields,
        members,
        stages,
        canEdit: canWrite,
        selectable,
        save,
        validate,
        onDelete: setDeleting,
      }),
    [fields, members, stages, canWrite, selectable, save, validate],
  );
  const { table, selectedIds, clearSelection } = useListTable({
    data: rows,
    columns,
    config: dealsList,
    state,
    queryKey: JSON.stringify(input),
  });

  const removeOne = useMutation(trpc.crm.deals.delete.mutationOptions());
  const restoreOne = useMutation(trpc.crm.deals.restore.mutationOptions());
  const bulkDelete = useMutation(trpc.crm.deals.bulkDelete.mutationOptions());
  const bulkRestore = useMutation(trpc.crm.deals.bulkRestore.mutationOptions());
  const bulkAssign = useMutation(trpc.crm.deals.bulkAssignOwner.mutationOptions());
  const refresh = () => queryClient.invalidateQueries(trpc.crm.deals.pathFilter());
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
  const importHref = "/import?kind=deals" as Route;
  const filterOptions = useMemo(
    () => ({
      tag: tags?.map((tag) => ({ value: tag.id, label: tag.name })) ?? [],
      pipeline: pipelines?.map((pipeline) => ({ value: pipeline.id, label: pipeline.name })) ?? [],
      stage:
        pipelines?.flatMap((pipeline) =>
          pipeline.stages.map((stage) => ({ value: stage.id, label: stage.name, group: pipeline.name })),
        ) ?? [],
    }),
    [tags, pipelines],
  );
  const chooserColumns = useMemo(() => hideableColumns(columns), [columns]);
  const hasPipelines = (pipelines?.length ?? 0) > 0;

  return (
    <ListFrame
      eyebrow={<BoardListSwitch />}
      title="Deals"
      count={
        firstPage && !nothingYet ? <ListCount count={firstPage.count ?? null} singular="deal" plural="deals" /> : null
      }
      actions={
        <>
          {can("export.run") && !nothingYet ? (
            <ExportLink kind="deals" query={exportQuery(exportFilters, state.sort)} label="Export CSV" />
          ) : null}
          {can("import.run") ? (
            <Link href={importHref} prefetch={false} className={buttonClass("secondary", "sm")}>
              Import
            </Link>
          ) : null}
          {canWrite && hasPipelines ? (
            <Button size="sm" onClick={() => setCreating(true)}>
              <PlusIcon />
              New deal
            </Button>
          ) : null}
        </>
      }
      toolbar={
        nothingYet ? null : (
          <ListToolbar
            entityType="deal"
            plural="deals"
            config={dealsList}
            state={state}
            onChange={setState}
            onSearch={onSearch}
            fields={fields}
            filterOptions={filterOptions}
            searchLabel="Search deals"
            searchPlaceholder="Search deal titles…"
            searching={list.isFetching && list.isPlaceholderData}
            columns={chooserColumns}
          />
        )
      }
      status={
        <>
          <ActiveFilters
            config={dealsList}
            state={state}
            onChange={setState}
            fields={fields}
            options={filterOptions}
            memberNames={new Map(members.map((m) => [m.userId, m.name]))}
          />
          <LazyBulkActions
            entityType="deal"
            singular="deal"
            plural="deals"
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
        <TableSkeleton label="Loading deals…" />
      ) : list.isError && rows.length === 0 ? (
        <ListError message={`We couldn’t load your deals. ${list.error.message}`} onRetry={() => list.refetch()} />
      ) : rows.length === 0 ? (
        filtered ? (
          <NoMatches
            plural="deals"
            onClear={() => setState((s) => ({ ...s, search: "", filters: {}, customField: null }))}
          />
        ) : (
          <EmptyState
            title="No deals yet"
            description={
              !canWrite
                ? "Deals your team adds appear here. Your role lets you read them, not change them."
                : hasPipelines
                  ? "Track what you are selling, to whom, for how much and when it should close."
                  : "Deals move through the stages of a pipeline. Set up a pipeline on the board first."
            }
            action={
              canWrite ? (
                <>
                  {hasPipelines ? (
                    <Button onClick={() => setCreating(true)}>
                      <PlusIcon />
                      Add your first deal
                    </Button>
                  ) : (
                    <Link href={"/deals" as Route} prefetch={false} className={buttonClass("primary")}>
                      Go to the board
                    </Link>
                  )}
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
          label="Deals"
          total={firstPage?.count?.exact ? firstPage.count.value : null}
          onSort={(header) => setState({ sort: nextSort(header.column.columnDef.meta, state.sort, dealsList) })}
          hasNextPage={list.hasNextPage}
          isFetchingNextPage={list.isFetchingNextPage}
          fetchNextPage={() => {
            if (!list.isFetchingNextPage) void list.fetchNextPage();
          }}
          stale={list.isPlaceholderData}
          loadMoreLabel="Load more deals"
        />
      )}

      {formUsed.current ? <DealFormDialog open={creating} onClose={() => setCreating(false)} /> : null}
      <DeleteRecordDialog
        record={deleting ? { id: deleting.id, name: deleting.title } : null}
        noun="deal"
        remove={(id) => removeOne.mutateAsync({ id })}
        restore={(id) => restoreOne.mutateAsync({ id })}
        refresh={refresh}
        onClose={() => setDeleting(null)}
      />
    </ListFrame>
  );
}
