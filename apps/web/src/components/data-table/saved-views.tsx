"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Badge } from "~/components/badge";
import { Button } from "~/components/button";
import { ConfirmDialog } from "~/components/confirm-dialog";
import { Dialog } from "~/components/dialog";
import { FormAlert, TextField } from "~/components/field";
import {
  Menu,
  MenuContent,
  MenuItem,
  MenuLabel,
  MenuRadioGroup,
  MenuRadioItem,
  MenuSeparator,
  MenuTrigger,
} from "~/components/menu";
import { useToast } from "~/components/toast";
import { usePermissions } from "~/hooks/use-permissions";
import { useTRPC } from "~/trpc/react";
import type { RouterInputs, RouterOutputs } from "~/trpc/types";
import {
  type CustomFieldDef,
  emptyListState,
  type ListConfig,
  type ListState,
  listFilters,
  stateFromView,
} from "./list-state";
import { toolbarButtonClass, ViewLabel } from "./triggers";
import { type EntityType, useActiveView } from "./use-active-view";

type SavedView = RouterOutputs["crm"]["views"]["list"][number];
type CreateViewInput = RouterInputs["crm"]["views"]["create"];

interface SavedViewsProps {
  entityType: EntityType;
  /** "contacts": the default view is "All contacts". */
  plural: string;
  config: ListConfig;
  state: ListState;
  fields: readonly CustomFieldDef[];
  /** Shows exactly this state (choosing a view replaces the filters, sort and columns). */
  onApply: (state: ListState) => void;
  /** Opens the menu as it mounts (it loads after the page, on first use). */
  defaultOpen?: boolean;
}

/**
 * Saved views of a list: choose one, save the current filters, sort and columns as a new view
 * (private or shared with the organization), save changes to the chosen one, rename, share or
 * delete it.
 */
export function SavedViews({ entityType, plural, config, state, fields, onApply, defaultOpen }: SavedViewsProps) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const { can } = usePermissions();
  const { views, all, active, changed } = useActiveView(entityType, config, state);
  const members = useQuery(trpc.auth.members.list.queryOptions());
  const myId = members.data?.find((m) => m.isYou)?.userId;
  const [dialog, setDialog] = useState<"create" | "edit" | "delete" | null>(null);

  const canChange = (view: SavedView) => view.userId === myId || (view.shared && can("views.manageShared"));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.crm.views.list.queryKey({ entityType }) });

  const current = () => ({
    filters: listFilters(state, config, fields),
    sort: state.sort,
    columns: state.columns,
  });

  const update = useMutation(
    trpc.crm.views.update.mutationOptions({
      onSuccess: async (view) => {
        await refresh();
        toast(`View “${view.name}” saved.`);
      },
      onError: (error) => toast(`The view was not saved: ${error.message}`, { tone: "error" }),
    }),
  );

  const label = active ? active.name : `All ${plural}`;
  return (
    <div className="flex min-w-0 items-center gap-2">
      <Menu modal={false} defaultOpen={defaultOpen}>
        <MenuTrigger className={`${toolbarButtonClass} min-w-0 shrink`}>
          <ViewLabel name={label} edited={changed} />
        </MenuTrigger>
        <MenuContent align="start" className="w-72">
          <MenuLabel>Views</MenuLabel>
          <MenuRadioGroup
            value={active?.id ?? ""}
            onValueChange={(id) => {
              const view = all.find((v) => v.id === id);
              onApply(view ? stateFromView(view, config) : emptyListState(config));
            }}
          >
            <MenuRadioItem value="">All {plural}</MenuRadioItem>
            {all.map((view) => (
              <MenuRadioItem key={view.id} value={view.id}>
                <span className="min-w-0 flex-1 truncate">{view.name}</span>
                {view.shared ? <Badge tone="indigo">Shared</Badge> : null}
              </MenuRadioItem>
            ))}
          </MenuRadioGroup>
          {views.isError ? <p className="px-2.5 py-1.5 text-xs text-red-600">Views could not be loaded.</p> : null}
          {can("views.save") ? (
            <>
              <MenuSeparator />
              <MenuItem onSelect={() => setDialog("create")}>Save as new view…</MenuItem>
              {active && canChange(active) ? (
                <>
                  <MenuItem disabled={!changed} onSelect={() => update.mutate({ id: active.id, ...current() })}>
                    Save changes to “{active.name}”
                  </MenuItem>
                  <MenuItem onSelect={() => setDialog("edit")}>Rename or share…</MenuItem>
                  <MenuItem tone="danger" onSelect={() => setDialog("delete")}>
                    Delete view…
                  </MenuItem>
                </>
              ) : null}
            </>
          ) : null}
        </MenuContent>
      </Menu>
      {active && changed && canChange(active) ? (
        <Button
          variant="ghost"
          size="sm"
          pending={update.isPending}
          onClick={() => update.mutate({ id: active.id, ...current() })}
        >
          Update view
        </Button>
      ) : null}

      <ViewDialog
        open={dialog === "create" || dialog === "edit"}
        view={dialog === "edit" ? active : null}
        onClose={() => setDialog(null)}
        onSaved={async (view, created) => {
          await refresh();
          if (created) onApply({ ...state, viewId: view.id });
          toast(created ? `View “${view.name}” created.` : `View “${view.name}” saved.`);
          setDialog(null);
        }}
        input={() => ({ entityType, ...current() })}
      />
      {active ? (
        <DeleteViewDialog
          view={active}
          open={dialog === "delete"}
          onClose={() => setDialog(null)}
          onDeleted={async () => {
            await refresh();
            onApply({ ...state, viewId: null });
            toast(`View “${active.name}” deleted.`);
            setDialog(null);
          }}
        />
      ) : null}
    </div>
  );
}

interface ViewDialogProps {
  open: boolean;
  /** The view to rename or share; null saves the current list as a new view. */
  view: SavedView | null;
  onClose: () => void;
  onSaved: (view: SavedView, created: boolean) => Promise<void>;
  input: () => { entityType: EntityType; filters: Record<string, unknown>; sort: string; columns: string[] | null };
}

function ViewDialog({ open, view, onClose, onSaved, input }: ViewDialogProps) {
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={view ? "Rename or share view" : "Save view"}
      description={
        view ? undefined : "Saves the current search, filters, sort and columns under a name, to come back to later."
      }
    >
      {open ? (
        <ViewForm key={view?.id ?? "new"} view={view} onCancel={onClose} onSaved={onSaved} input={input} />
      ) : null}
    </Dialog>
  );
}

function ViewForm({
  view,
  onCancel,
  onSaved,
  input,
}: Pick<ViewDialogProps, "view" | "onSaved" | "input"> & { onCancel: () => void }) {
  const trpc = useTRPC();
  const [name, setName] = useState(view?.name ?? "");
  const [shared, setShared] = useState(view?.shared ?? false);
  const create = useMutation(trpc.crm.views.create.mutationOptions({ onSuccess: (saved) => onSaved(saved, true) }));
  const update = useMutation(trpc.crm.views.update.mutationOptions({ onSuccess: (saved) => onSaved(saved, false) }));
  const pending = create.isPending || update.isPending;
  const error = create.error ?? update.error;
  const nameError = error?.data?.zodError?.fieldErrors?.name?.[0];

  function submit(event: FormEvent) {
    event.preventDefault();
    if (view) update.mutate({ id: view.id, name, shared });
    else create.mutate({ ...input(), name, shared } as CreateViewInput);
  }

  return (
    <form noValidate onSubmit={submit} aria-label={view ? "Rename or share view" : "Save view"}>
      <TextField
        label="Name"
        name="name"
        autoFocus
        autoComplete="off"
        required
        value={name}
        onChange={(event) => setName(event.target.value)}
        error={nameError}
      />
      <label className="mt-1 flex items-start gap-2.5 text-sm text-slate-700">
        <input
          type="checkbox"
          checked={shared}
          onChange={(event) => setShared(event.target.checked)}
          className="mt-0.5 size-4 rounded border-slate-300 accent-indigo-600"
        />
        <span>
          Share with the organization
          <span className="block text-xs text-slate-500">Everyone in the organization can then choose this view.</span>
        </span>
      </label>
      <FormAlert message={error && !nameError ? error.message : null} />
      <div className="mt-4 flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
        <Button variant="secondary" onClick={onCancel} disabled={pending}>
          Cancel
        </Button>
        <Button type="submit" pending={pending}>
          {view ? "Save" : "Save view"}
        </Button>
      </div>
    </form>
  );
}

function DeleteViewDialog({
  view,
  open,
  onClose,
  onDeleted,
}: {
  view: SavedView;
  open: boolean;
  onClose: () => void;
  onDeleted: () => Promise<void>;
}) {
  const trpc = useTRPC();
  const remove = useMutation(trpc.crm.views.delete.mutationOptions({ onSuccess: onDeleted }));
  return (
    <ConfirmDialog
      open={open}
      title={`Delete view “${view.name}”?`}
      description={
        view.shared
          ? "It is shared: it disappears for everyone in the organization. The records stay as they are."
          : "The records stay as they are; only the saved filters, sort and columns go."
      }
      confirmLabel="Delete view"
      pending={remove.isPending}
      error={remove.error?.message ?? null}
      onConfirm={() => remove.mutate({ id: view.id })}
      onClose={() => {
        remove.reset();
        onClose();
      }}
    />
  );
}
