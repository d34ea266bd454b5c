"use client";

import type { Route } from "next";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "~/components/button";
import { ConfirmDialog } from "~/components/confirm-dialog";
import { useToast } from "~/components/toast";

interface DeleteRecordProps {
  /** "contact", "company" or "deal", as the messages say it. */
  noun: string;
  name: string;
  listHref: Route;
  recordHref: Route;
  remove: () => Promise<unknown>;
  restore: () => Promise<unknown>;
  /** Refetches the lists that show the record, after it leaves or comes back. */
  refreshLists: () => Promise<unknown>;
}

/**
 * Moves the record to the trash after a confirmation and goes back to its list, where a toast
 * offers to undo (restore from the trash) for a few seconds.
 */
export function DeleteRecordButton({
  noun,
  name,
  listHref,
  recordHref,
  remove,
  restore,
  refreshLists,
}: DeleteRecordProps) {
  const router = useRouter();
  const toast = useToast();
  const [open, setOpen] = useState(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function undo() {
    try {
      await restore();
    } catch (cause) {
      toast(`${name} couldn’t be restored: ${cause instanceof Error ? cause.message : "try again"}`, { tone: "error" });
      return;
    }
    await refreshLists();
    toast(`${name} was restored.`, { action: { label: "Open", onClick: () => router.push(recordHref) } });
  }

  async function confirm() {
    setPending(true);
    setError(null);
    try {
      await remove();
    } catch (cause) {
      setPending(false);
      setError(cause instanceof Error ? cause.message : "The record couldn’t be deleted.");
      return;
    }
    // Away from the page first: the record's own query must not refetch what no longer exists.
    router.push(listHref);
    void refreshLists();
    toast(`${name} was moved to the trash.`, { action: { label: "Undo", onClick: () => void undo() } });
  }

  return (
    <>
      <Button variant="ghost-danger" size="sm" onClick={() => setOpen(true)}>
        <svg className="size-4" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true">
          <path
            fillRule="evenodd"
            d="M8.75 1A2.75 2.75 0 0 0 6 3.75v.44c-.8.08-1.58.18-2.36.3a.75.75 0 1 0 .22 1.49l.15-.03.84 10.36A2.75 2.75 0 0 0 7.6 18.8h4.8a2.75 2.75 0 0 0 2.74-2.5l.84-10.35.15.02a.75.75 0 0 0 .22-1.48c-.78-.12-1.56-.22-2.36-.3v-.44A2.75 2.75 0 0 0 11.25 1h-2.5ZM10 4c.84 0 1.67.02 2.5.07v-.32c0-.69-.56-1.25-1.25-1.25h-2.5c-.69 0-1.25.56-1.25 1.25v.32C8.33 4.02 9.16 4 10 4Zm-1.16 3.95a.75.75 0 1 0-1.5.06l.3 7.5a.75.75 0 1 0 1.5-.06l-.3-7.5Zm4.34.06a.75.75 0 1 0-1.5-.06l-.3 7.5a.75.75 0 1 0 1.5.06l.3-7.5Z"
            clipRule="evenodd"
          />
        </svg>
        <span className="sr-only sm:not-sr-only">Delete</span>
        <span className="sr-only"> {noun}</span>
      </Button>
      <ConfirmDialog
        open={open}
        title={`Delete ${name}?`}
        description={`The ${noun} goes to the trash for everyone in your organization. You can undo this right after.`}
        confirmLabel={`Delete ${noun}`}
        pending={pending}
        error={error}
        onConfirm={() => void confirm()}
        onClose={() => {
          setOpen(false);
          setError(null);
        }}
      />
    </>
  );
}
