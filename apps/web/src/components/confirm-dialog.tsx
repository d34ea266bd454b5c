"use client";

import type { ReactNode } from "react";
import { Button } from "./button";
import { Dialog } from "./dialog";
import { FormAlert } from "./field";

interface ConfirmDialogProps {
  open: boolean;
  title: string;
  description: ReactNode;
  confirmLabel: string;
  pending: boolean;
  error: string | null;
  onConfirm: () => void;
  onClose: () => void;
  variant?: "danger" | "primary";
  children?: ReactNode;
}

/** Asks before something that cannot be undone; the server's refusal is shown in place. */
export function ConfirmDialog({
  open,
  title,
  description,
  confirmLabel,
  pending,
  error,
  onConfirm,
  onClose,
  variant = "danger",
  children,
}: ConfirmDialogProps) {
  return (
    <Dialog open={open} onClose={onClose} role="alertdialog" title={title} description={description}>
      {children}
      <FormAlert message={error} />
      <div className="mt-2 flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
        {/* Cancel is first in focus order, so Enter right after opening does not confirm. */}
        <Button variant="secondary" onClick={onClose} disabled={pending} autoFocus>
          Cancel
        </Button>
        <Button variant={variant} pending={pending} onClick={onConfirm}>
          {confirmLabel}
        </Button>
      </div>
    </Dialog>
  );
}
