"use client";

import { updateOrganizationInput } from "@nexo/auth/schemas";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useId } from "react";
import { Button } from "~/components/button";
import { FormAlert, TextField } from "~/components/field";
import { useToast } from "~/components/toast";
import { fromApiError, mergeErrors } from "~/forms/errors";
import { useValidatedSubmit } from "~/forms/use-validated-submit";
import { usePermissions } from "~/hooks/use-permissions";
import { useTRPC } from "~/trpc/react";
import { ListSkeleton, Section } from "../section";

const VISIBILITY = [
  {
    value: "all",
    label: "Everyone sees every record",
    hint: "Members and viewers see all of the organization’s contacts.",
  },
  {
    value: "own",
    label: "Members see only the records they own",
    hint: "Members and viewers see only contacts they created. Owners and admins always see everything.",
  },
] as const;

export function OrganizationForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const toast = useToast();
  const { organization, can } = usePermissions();
  const groupId = useId();
  const update = useMutation(
    trpc.auth.organizations.update.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries(trpc.auth.organizations.pathFilter());
        // The header shows the name, rendered on the server.
        router.refresh();
        toast("Organization settings saved.");
      },
    }),
  );
  const { clientErrors, onSubmit } = useValidatedSubmit({
    schema: updateOrganizationInput,
    onValid: (data) => update.mutate(data),
    onInvalid: () => update.reset(),
  });
  const errors = mergeErrors(clientErrors, fromApiError(update.error));
  const editable = can("organization.update");

  return (
    <Section
      title="Organization"
      description={
        editable
          ? "The name your team sees, and who sees which records."
          : "Only owners and admins can change these settings."
      }
    >
      {organization ? (
        <form noValidate onSubmit={onSubmit} aria-label="Organization settings" className="max-w-xl">
          <fieldset disabled={!editable || update.isPending} className="space-y-3">
            <TextField
              label="Organization name"
              name="name"
              autoComplete="organization"
              required
              defaultValue={organization.name}
              error={errors.fields.name}
            />
            <div role="radiogroup" aria-labelledby={groupId}>
              <p id={groupId} className="mb-1.5 text-sm font-medium text-slate-700">
                Record visibility
              </p>
              <div className="space-y-2">
                {VISIBILITY.map((option) => (
                  <label
                    key={option.value}
                    className="flex cursor-pointer gap-3 rounded-lg border border-slate-200 p-3 has-checked:border-indigo-300 has-checked:bg-indigo-50/50 has-disabled:cursor-default"
                  >
                    <input
                      type="radio"
                      name="recordVisibility"
                      value={option.value}
                      defaultChecked={organization.recordVisibility === option.value}
                      className="mt-0.5 size-4 accent-indigo-600"
                    />
                    <span>
                      <span className="block text-sm font-medium text-slate-900">{option.label}</span>
                      <span className="block text-sm text-slate-600">{option.hint}</span>
                    </span>
                  </label>
                ))}
              </div>
              <p className="mt-1 min-h-5 text-xs leading-5 text-red-600">{errors.fields.recordVisibility}</p>
            </div>
          </fieldset>
          <FormAlert message={errors.form} />
          {editable ? (
            <div className="pt-2">
              <Button type="submit" pending={update.isPending}>
                Save changes
              </Button>
            </div>
          ) : null}
        </form>
      ) : (
        <ListSkeleton rows={2} label="organization settings" />
      )}
    </Section>
  );
}
