"use client";

import { changePasswordInput } from "@nexo/auth/schemas";
import { useMutation } from "@tanstack/react-query";
import { useRef } from "react";
import { Button } from "~/components/button";
import { FormAlert, TextField } from "~/components/field";
import { useToast } from "~/components/toast";
import { fromApiError, mergeErrors } from "~/forms/errors";
import { useValidatedSubmit } from "~/forms/use-validated-submit";
import { useTRPC } from "~/trpc/react";

export function ChangePasswordForm() {
  const trpc = useTRPC();
  const toast = useToast();
  const form = useRef<HTMLFormElement>(null);
  const change = useMutation(
    trpc.auth.changePassword.mutationOptions({
      onSuccess: ({ endedSessions }) => {
        form.current?.reset();
        toast(
          endedSessions === 0
            ? "Password changed."
            : `Password changed. ${endedSessions} other session${endedSessions === 1 ? " was" : "s were"} signed out.`,
        );
      },
    }),
  );
  const { clientErrors, onSubmit } = useValidatedSubmit({
    schema: changePasswordInput,
    onValid: (data) => change.mutate(data),
    onInvalid: () => change.reset(),
  });
  const server = fromApiError(change.error);
  // A wrong current password is refused without field issues; it still belongs next to that field.
  const wrongCurrent = change.error?.data?.code === "BAD_REQUEST" && !change.error.data.zodError;
  const errors = mergeErrors(
    clientErrors,
    wrongCurrent ? { fields: { currentPassword: server.form ?? undefined }, form: null } : server,
  );

  return (
    <form ref={form} noValidate onSubmit={onSubmit} aria-label="Change password" className="max-w-md space-y-1">
      <TextField
        label="Current password"
        name="currentPassword"
        type="password"
        autoComplete="current-password"
        required
        error={errors.fields.currentPassword}
      />
      <TextField
        label="New password"
        name="newPassword"
        type="password"
        autoComplete="new-password"
        required
        minLength={10}
        hint="At least 10 characters."
        error={errors.fields.newPassword}
      />
      <FormAlert message={errors.form} />
      <div className="pt-2">
        <Button type="submit" pending={change.isPending}>
          Change password
        </Button>
      </div>
    </form>
  );
}
