"use client";

import { completePasswordResetInput } from "@nexo/auth/schemas";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { Button } from "~/components/button";
import { FormAlert, TextField } from "~/components/field";
import { fromApiError, mergeErrors } from "~/forms/errors";
import { useValidatedSubmit } from "~/forms/use-validated-submit";
import { useTRPC } from "~/trpc/react";

export function ResetPasswordForm({ token, email }: { token: string; email: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [navigating, startNavigation] = useTransition();
  const complete = useMutation(
    trpc.auth.passwordReset.complete.mutationOptions({
      onSuccess: () => startNavigation(() => router.replace("/login?reset=1")),
    }),
  );
  const { clientErrors, onSubmit } = useValidatedSubmit({
    schema: completePasswordResetInput,
    prepare: (values) => ({ ...values, token }),
    onValid: (data) => complete.mutate(data),
    onInvalid: () => complete.reset(),
  });
  const errors = mergeErrors(clientErrors, fromApiError(complete.error));

  return (
    <form noValidate onSubmit={onSubmit} className="mt-6 space-y-2" aria-label="Choose a new password">
      {/* Tells password managers which account the new password belongs to. */}
      <input type="email" name="username" autoComplete="username" value={email} readOnly hidden />
      <TextField
        label="New password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        minLength={10}
        hint="At least 10 characters."
        error={errors.fields.password}
      />
      <div className="space-y-3 pt-2">
        <Button type="submit" pending={complete.isPending || navigating} className="w-full">
          Set new password
        </Button>
        <FormAlert message={errors.form ?? errors.fields.token ?? null} />
      </div>
    </form>
  );
}
