"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { TRPCClientError } from "@trpc/client";
import { useState } from "react";
import { Button, focusRing } from "~/components/button";
import { ConfirmDialog } from "~/components/confirm-dialog";
import { Menu, MenuContent, MenuItem, MenuLabel, MenuTrigger } from "~/components/menu";
import { useToast } from "~/components/toast";
import { formatNumber } from "~/lib/format";
import { useTRPC } from "~/trpc/react";
import { TagChip } from "./cells";
import { loadSchemas } from "./lazy-schemas";

export interface BulkApi {
  remove: (ids: string[]) => Promise<unknown>;
  restore: (ids: string[]) => Promise<unknown>;
  assignOwner: (ids: string[], ownerId: string) => Promise<unknown>;
  /** Reloads the list after a change. */
  refresh: () => Promise<unknown>;
}

interface BulkActionsProps {
  entityType: "contact" | "company" | "deal";
  singular: string;
  plural: string;
  selectedIds: string[];
  onClear: () => void;
  canWrite: boolean;
  canTag: boolean;
  api: BulkApi;
}

/** Runs `run` over the ids in batches the API accepts; returns the ids done before any failure. */
async function inBatches(ids: string[], run: (batch: string[]) => Promise<unknown>) {
  const done: string[] = [];
  try {
    const { BULK_MAX } = await loadSchemas();
    for (let i = 0; i < ids.length; i += BULK_MAX) {
      const batch = ids.slice(i, i + BULK_MAX);
      await run(batch);
      done.push(...batch);
    }
    return { done, error: null };
  } catch (error) {
    return { done, error: error instanceof TRPCClientError ? error.message : "Something went wrong." };
  }
}

const triggerClass = `inline-flex h-8 items-center gap-1.5 rounded-lg px-2.5 text-sm font-medium text-slate-700 hover:bg-white disabled:text-slate-400 ${focusRing}`;

/**
 * What can be done to the selected rows: tag them, give them an owner, delete them (after a
 * confirmation, with Undo in the toast).
 */
export function BulkActions({
  entityType,
  singular,
  plural,
  selectedIds,
  onClear,
  canWrite,
  canTag,
  api,
}: BulkActionsProps) {
  const trpc = useTRPC();
  const toast = useToast();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const tags = useQuery(trpc.crm.tags.list.queryOptions(undefined, { staleTime: 60_000 }));
  const members = useQuery(trpc.auth.members.list.queryOptions(undefined, { staleTime: 60_000 }));
  const bulkTag = useMutation(trpc.crm.tags.bulkAdd.mutationOptions());

  const count = selectedIds.length;
  const noun = (n: number) => `${formatNumber(n)} ${n === 1 ? singular : plural}`;

  async function perform(run: (batch: string[]) => Promise<unknown>, success: (n: number) => string) {
    setBusy(true);
    const ids = [...selectedIds];
    const { done, error } = await inBatches(ids, run);
    await api.refresh();
    setBusy(false);
    if (error) {
      toast(done.length > 0 ? `${success(done.length)} The rest failed: ${error}` : error, { tone: "error" });
      return { done, ok: false };
    }
    onClear();
    return { done, ok: true };
  }

  async function addTag(tag: { id: string; name: string }) {
    const result = await perform(
      (ids) => bulkTag.mutateAsync({ entityType, ids, tagId: tag.id }),
      (n) => `Tagged ${noun(n)} “${tag.name}”.`,
    );
    if (result.ok) toast(`Tagged ${noun(result.done.length)} “${tag.name}”.`);
  }

  async function assign(member: { userId: string; name: string }) {
    const result = await perform(
      (ids) => api.assignOwner(ids, member.userId),
      (n) => `${noun(n)} now owned by ${member.name}.`,
    );
    if (result.ok) toast(`${noun(result.done.length)} now owned by ${member.name}.`);
  }

  async function remove() {
    const result = await perform(api.remove, (n) => `Deleted ${noun(n)}.`);
    setConfirming(false);
    if (result.done.length === 0) return;
    const deleted = result.done;
    const undo = async () => {
      const back = await inBatches(deleted, api.restore);
      await api.refresh();
      if (back.error) toast(`Some ${plural} could not be restored: ${back.error}`, { tone: "error" });
      else toast(`Restored ${noun(back.done.length)}.`);
    };
    if (result.ok) toast(`Deleted ${noun(deleted.length)}.`, { action: { label: "Undo", onClick: () => void undo() } });
  }

  if (count === 0) return null;
  return (
    <section
      aria-label="Bulk actions"
      className="flex flex-wrap items-center gap-1 rounded-xl border border-indigo-200 bg-indigo-50 px-2 py-1.5"
    >
      <p className="px-1.5 text-sm font-medium text-indigo-900" aria-live="polite">
        {noun(count)} selected
      </p>
      <span aria-hidden="true" className="mx-1 h-5 w-px bg-indigo-200" />
      {canTag ? (
        <Menu modal={false}>
          <MenuTrigger className={triggerClass} disabled={busy}>
            Add tag
          </MenuTrigger>
          <MenuContent align="start" className="max-h-72 overflow-y-auto">
            <MenuLabel>Add a tag to {noun(count)}</MenuLabel>
            {(tags.data ?? []).map((tag) => (
              <MenuItem key={tag.id} onSelect={() => void addTag(tag)}>
                <TagChip name={tag.name} color={tag.color} />
              </MenuItem>
            ))}
            {tags.data?.length === 0 ? (
              <p className="px-2.5 py-1.5 text-sm text-slate-500">No tags yet. Create one on a record first.</p>
            ) : null}
          </MenuContent>
        </Menu>
      ) : null}
      {canWrite ? (
        <>
          <Menu modal={false}>
            <MenuTrigger className={triggerClass} disabled={busy}>
              Assign owner
            </MenuTrigger>
            <MenuContent align="start" className="max-h-72 overflow-y-auto">
              <MenuLabel>Owner of {noun(count)}</MenuLabel>
              {(members.data ?? []).map((member) => (
                <MenuItem key={member.userId} onSelect={() => void assign(member)}>
                  {member.isYou ? `${member.name} (you)` : member.name}
                </MenuItem>
              ))}
            </MenuContent>
          </Menu>
          <button
            type="button"
            disabled={busy}
            onClick={() => setConfirming(true)}
            className={`${triggerClass} text-red-700 hover:text-red-800`}
          >
            Delete
          </button>
        </>
      ) : null}
      <Button variant="ghost" size="sm" className="ml-auto" onClick={onClear} disabled={busy}>
        Clear selection
      </Button>
      <ConfirmDialog
        open={confirming}
        title={`Delete ${noun(count)}?`}
        description="They move to the trash and leave every list. You can undo this right after."
        confirmLabel={`Delete ${noun(count)}`}
        pending={busy}
        error={null}
        onConfirm={() => void remove()}
        onClose={() => setConfirming(false)}
      />
    </section>
  );
}
