"use client";

import { createCompanyInput } from "@nexo/crm/schemas";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Button } from "~/components/button";
import { Dialog } from "~/components/dialog";
import { FormAlert, SelectField, TextField } from "~/components/field";
import { useToast } from "~/components/toast";
import { fromApiError, mergeErrors } from "~/forms/errors";
import { useValidatedSubmit } from "~/forms/use-validated-submit";
import { useTRPC } from "~/trpc/react";
import { companySizes } from "./list-config";

/** A new company: its name, and what else is known of it. The creator owns it. */
export function CompanyFormDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  return (
    <Dialog open={open} onClose={onClose} title="New company" description="Only a name is required.">
      {open ? <CompanyForm onDone={onClose} /> : null}
    </Dialog>
  );
}

function CompanyForm({ onDone }: { onDone: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const create = useMutation(
    trpc.crm.companies.create.mutationOptions({
      // The dialog closes once the list shows the new company, not before.
      onSuccess: async (company) => {
        await queryClient.invalidateQueries(trpc.crm.companies.pathFilter());
        toast(`${company.name} was added.`);
        onDone();
      },
    }),
  );
  const { clientErrors, onSubmit } = useValidatedSubmit({
    schema: createCompanyInput,
    prepare: (values) => ({ ...values, size: values.size || null }),
    onValid: (data) => create.mutate(data),
    onInvalid: () => create.reset(),
  });
  const errors = mergeErrors(clientErrors, fromApiError(create.error));
  const { fields } = errors;

  return (
    <form noValidate onSubmit={onSubmit} aria-label="New company">
      <div className="grid grid-cols-2 gap-x-3 gap-y-1 sm:gap-x-4">
        <div className="col-span-2">
          <TextField label="Name" name="name" autoComplete="off" required autoFocus error={fields.name} />
        </div>
        <TextField
          label="Domain"
          name="domain"
          autoComplete="off"
          optional
          placeholder="acme.com"
          error={fields.domain}
        />
        <TextField label="Industry" name="industry" autoComplete="off" optional error={fields.industry} />
        <SelectField label="Size" name="size" optional defaultValue="" error={fields.size}>
          <option value="">Unknown</option>
          {companySizes.map((size) => (
            <option key={size} value={size}>
              {size} people
            </option>
          ))}
        </SelectField>
        <TextField label="Phone" name="phone" type="tel" autoComplete="off" optional error={fields.phone} />
      </div>
      <FormAlert message={errors.form} />
      <div className="mt-4 flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
        <Button variant="secondary" onClick={onDone} disabled={create.isPending}>
          Cancel
        </Button>
        <Button type="submit" pending={create.isPending}>
          Add company
        </Button>
      </div>
    </form>
  );
}
