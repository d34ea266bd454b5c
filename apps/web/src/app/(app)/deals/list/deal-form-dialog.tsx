"use client";

import { createDealInput } from "@nexo/crm/schemas";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Button } from "~/components/button";
import { Dialog } from "~/components/dialog";
import { FormAlert, SelectField, TextField } from "~/components/field";
import { useToast } from "~/components/toast";
import { fromApiError, mergeErrors } from "~/forms/errors";
import { useValidatedSubmit } from "~/forms/use-validated-submit";
import { useTRPC } from "~/trpc/react";
import { amountInput } from "./list-config";

/** A new deal in a stage of one of the organization's pipelines. */
export function DealFormDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  return (
    <Dialog open={open} onClose={onClose} title="New deal" description="A title, a stage and a currency are required.">
      {open ? <DealForm onDone={onClose} /> : null}
    </Dialog>
  );
}

function DealForm({ onDone }: { onDone: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const pipelines = useQuery(trpc.crm.pipelines.list.queryOptions()).data ?? [];
  const create = useMutation(
    trpc.crm.deals.create.mutationOptions({
      onSuccess: async (deal) => {
        await queryClient.invalidateQueries(trpc.crm.deals.pathFilter());
        toast(`${deal.title} was added.`);
        onDone();
      },
    }),
  );
  const { clientErrors, onSubmit } = useValidatedSubmit({
    schema: createDealInput,
    prepare: (values) => ({
      ...values,
      amountMinor: amountInput(values.amountMinor ?? "", values.currency ?? ""),
      expectedCloseDate: values.expectedCloseDate || null,
    }),
    onValid: (data) => create.mutate(data),
    onInvalid: () => create.reset(),
  });
  const errors = mergeErrors(clientErrors, fromApiError(create.error));
  const { fields } = errors;

  return (
    <form noValidate onSubmit={onSubmit} aria-label="New deal">
      <div className="grid grid-cols-2 gap-x-3 gap-y-1 sm:gap-x-4">
        <div className="col-span-2">
          <TextField label="Title" name="title" autoComplete="off" required autoFocus error={fields.title} />
        </div>
        <TextField
          label="Amount"
          name="amountMinor"
          inputMode="decimal"
          autoComplete="off"
          optional
          placeholder="0.00"
          error={fields.amountMinor}
        />
        <TextField
          label="Currency"
          name="currency"
          autoComplete="off"
          required
          defaultValue="EUR"
          maxLength={3}
          className="uppercase"
          error={fields.currency}
        />
        <div className="col-span-2 sm:col-span-1">
          <SelectField label="Stage" name="stageId" required defaultValue="" error={fields.stageId}>
            <option value="" disabled>
              Choose a stage
            </option>
            {pipelines.map((pipeline) => (
              <optgroup key={pipeline.id} label={pipeline.name}>
                {pipeline.stages.map((stage) => (
                  <option key={stage.id} value={stage.id}>
                    {stage.name}
                  </option>
                ))}
              </optgroup>
            ))}
          </SelectField>
        </div>
        <div className="col-span-2 sm:col-span-1">
          <TextField
            label="Expected close"
            name="expectedCloseDate"
            type="date"
            optional
            error={fields.expectedCloseDate}
          />
        </div>
      </div>
      <FormAlert message={errors.form} />
      <div className="mt-4 flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
        <Button variant="secondary" onClick={onDone} disabled={create.isPending}>
          Cancel
        </Button>
        <Button type="submit" pending={create.isPending}>
          Add deal
        </Button>
      </div>
    </form>
  );
}
