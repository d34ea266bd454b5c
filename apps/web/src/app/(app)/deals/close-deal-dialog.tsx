"use client";

import { closeDealInput } from "@nexo/crm/schemas";
import { useMutation } from "@tanstack/react-query";
import { Button } from "~/components/button";
import { Dialog } from "~/components/dialog";
import { FormAlert, TextAreaField, TextField } from "~/components/field";
import { useToast } from "~/components/toast";
import { fromApiError, mergeErrors } from "~/forms/errors";
import { useValidatedSubmit } from "~/forms/use-validated-submit";
import type { ApiError } from "~/trpc/types";
import type { CloseRequest } from "./use-board-moves";

interface CloseDealDialogProps {
  request: CloseRequest | null;
  onSubmit: (request: CloseRequest, reason: string | null, closedAt: Date) => Promise<unknown>;
  /** The person changed their mind: a deal dropped on a won/lost stage goes back. */
  onCancel: (request: CloseRequest) => void;
  onDone: () => void;
}

/** Asks why (and when) a deal was won or lost before closing it. */
export function CloseDealDialog({ request, onSubmit, onCancel, onDone }: CloseDealDialogProps) {
  return (
    <Dialog
      open={request !== null}
      onClose={() => request && onCancel(request)}
      title={request ? `Mark “${request.deal.title}” as ${request.outcome}` : ""}
      description={
        request?.outcome === "won"
          ? "What made it work? Your team learns from the reasons deals are won."
          : "Why didn’t it work out? Reasons for lost deals show where to improve."
      }
    >
      {request ? (
        <CloseDealForm
          key={`${request.deal.id}:${request.outcome}`}
          request={request}
          onSubmit={onSubmit}
          onCancel={() => onCancel(request)}
          onDone={onDone}
        />
      ) : null}
    </Dialog>
  );
}

/** Today in the reader's zone, as the date input writes it. */
function localToday(): string {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, "0")}-${String(now.getDate()).padStart(2, "0")}`;
}

function CloseDealForm({
  request,
  onSubmit,
  onCancel,
  onDone,
}: {
  request: CloseRequest;
  onSubmit: CloseDealDialogProps["onSubmit"];
  onCancel: () => void;
  onDone: () => void;
}) {
  const toast = useToast();
  const today = localToday();
  const save = useMutation({
    mutationFn: ({ reason, closedAt }: { reason: string | null; closedAt: Date }) =>
      onSubmit(request, reason, closedAt),
    onSuccess: () => {
      toast(`“${request.deal.title}” was marked ${request.outcome}.`);
      onDone();
    },
  });
  const { clientErrors, onSubmit: submit } = useValidatedSubmit({
    schema: closeDealInput,
    prepare: (values) => ({
      id: request.deal.id,
      outcome: request.outcome,
      reason: values.reason,
      // Today means now; an earlier day is taken at noon UTC, inside that day in every time zone.
      closedAt: values.closedAt === today ? new Date() : values.closedAt ? `${values.closedAt}T12:00:00Z` : "",
    }),
    onValid: (input) => save.mutate({ reason: input.reason ?? null, closedAt: input.closedAt ?? new Date() }),
    onInvalid: () => save.reset(),
  });
  const errors = mergeErrors(clientErrors, fromApiError(save.error as ApiError | null));

  return (
    <form noValidate onSubmit={submit} aria-label={`Mark deal ${request.outcome}`}>
      <TextAreaField
        label={request.outcome === "won" ? "Why was it won?" : "Why was it lost?"}
        name="reason"
        rows={3}
        optional
        autoFocus
        maxLength={500}
        placeholder={
          request.outcome === "won" ? "e.g. Best integration with their tools" : "e.g. Went with a cheaper competitor"
        }
        error={errors.fields.reason}
      />
      <TextField
        label={request.outcome === "won" ? "Won on" : "Lost on"}
        name="closedAt"
        type="date"
        defaultValue={today}
        max={today}
        required
        error={errors.fields.closedAt}
      />
      <FormAlert message={errors.form} />
      <div className="mt-4 flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
        <Button variant="secondary" onClick={onCancel} disabled={save.isPending}>
          Cancel
        </Button>
        <Button type="submit" variant={request.outcome === "won" ? "primary" : "danger"} pending={save.isPending}>
          Mark {request.outcome}
        </Button>
      </div>
    </form>
  );
}
