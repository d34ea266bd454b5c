"use client";

import { useState } from "react";
import { ConfirmDialog } from "~/components/confirm-dialog";
import { useToast } from "~/components/toast";

interface DeleteRecordDialogProps {
  /** The record to delete; null keeps the dialog closed. */
  record: { id: string; name: string } | null;
  /** "contact" */
  noun: string;
  remove: (id: string) => Promise<unknown>;
  restore: (id: string) => Promise<unknown>;
  /** Reloads the lists after either. */
  refresh: () => Promise<unknown>;
  onClose: () => void;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : "Something went wrong. Please try again.";
}

/** Asks before moving one record to the trash; the toast that confirms it offers Undo (restore). */
export function DeleteRecordDialog({ record, noun, remove, restore, refresh, onClose }: DeleteRecordDialogProps) {
  const toast = useToast();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function confirm() {
    if (!record) return;
    const { id, name } = record;
    setPending(true);
    setError(null);
    try {
      await remove(id);
    } catch (cause) {
      setError(messageOf(cause));
      setPending(false);
      return;
    }
    await refresh();
    setPending(false);
    onClose();
    toast(`${name} was deleted.`, {
      action: {
        label: "Undo",
        onClick: () => {
          restore(id)
            .then(async () => {
              await refresh();
              toast(`${name} was restored.`);
            })
            .catch((cause: unknown) => toast(`${name} was not restored: ${messageOf(cause)}`, { tone: "error" }));
        },
      },
    });
  }

  return (
    <ConfirmDialog
      open={record !== null}
      title={`Delete ${record?.name ?? ""}?`}
      description={`The ${noun} moves to the trash and leaves every list. You can undo this right after.`}
      confirmLabel={`Delete ${noun}`}
      pending={pending}
      error={error}
      onConfirm={() => void confirm()}
      onClose={() => {
        setError(null);
        onClose();
      }}
    />
  );
}
