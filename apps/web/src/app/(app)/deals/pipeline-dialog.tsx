"use client";

import { createPipelineInput } from "@nexo/crm/schemas";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Button } from "~/components/button";
import { Dialog } from "~/components/dialog";
import { FormAlert, TextField } from "~/components/field";
import { useToast } from "~/components/toast";
import { fromApiError, mergeErrors } from "~/forms/errors";
import { useValidatedSubmit } from "~/forms/use-validated-submit";
import { useTRPC } from "~/trpc/react";

interface PipelineDialogProps {
  open: boolean;
  onClose: () => void;
  onCreated: (pipeline: { id: string; name: string }) => void;
}

/** Creates a pipeline with the usual stages (Lead … Won, Lost), to adjust in "Manage stages". */
export function PipelineDialog({ open, onClose, onCreated }: PipelineDialogProps) {
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="New pipeline"
      description="It starts with the stages Lead, Qualified, Proposal, Negotiation, Won and Lost; rename or change them afterwards."
    >
      {open ? <PipelineForm onClose={onClose} onCreated={onCreated} /> : null}
    </Dialog>
  );
}

function PipelineForm({ onClose, onCreated }: Omit<PipelineDialogProps, "open">) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const create = useMutation(
    trpc.crm.pipelines.create.mutationOptions({
      onSuccess: async (pipeline) => {
        await queryClient.invalidateQueries(trpc.crm.pipelines.list.pathFilter());
        onCreated(pipeline);
        toast(`Pipeline “${pipeline.name}” was created.`);
        onClose();
      },
    }),
  );
  const { clientErrors, onSubmit } = useValidatedSubmit({
    schema: createPipelineInput,
    onValid: (data) => create.mutate(data),
    onInvalid: () => create.reset(),
  });
  const errors = mergeErrors(clientErrors, fromApiError(create.error));
  return (
    <form noValidate onSubmit={onSubmit} aria-label="New pipeline">
      <TextField
        label="Name"
        name="name"
        autoComplete="off"
        required
        autoFocus
        placeholder="e.g. Sales"
        error={errors.fields.name}
      />
      <FormAlert message={errors.form} />
      <div className="mt-4 flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
        <Button variant="secondary" onClick={onClose} disabled={create.isPending}>
          Cancel
        </Button>
        <Button type="submit" pending={create.isPending}>
          Create pipeline
        </Button>
      </div>
    </form>
  );
}
