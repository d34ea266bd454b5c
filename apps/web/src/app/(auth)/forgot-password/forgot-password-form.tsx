"use client";

import { requestPasswordResetInput } from "@nexo/auth/schemas";
import { useMutation } from "@tanstack/react-query";
import { AuthCard } from "~/components/auth-shell";
import { Button } from "~/components/button";
import { FormAlert, TextField } from "~/components/field";
import { fromApiError, mergeErrors } from "~/forms/errors";
import { useValidatedSubmit } from "~/forms/use-validated-submit";
import { useTRPC } from "~/trpc/react";

export function ForgotPasswordForm() {
  const trpc = useTRPC();
  const request = useMutation(trpc.auth.passwordReset.request.mutationOptions());
  const { clientErrors, onSubmit } = useValidatedSubmit({
    schema: requestPasswordResetInput,
    onValid: (data) => request.mutate(data),
    onInvalid: () => request.reset(),
  });
  const errors = mergeErrors(clientErrors, fromApiError(request.error));

  if (request.data) {
    return (
      <AuthCard title="Check your email">
        <p role="status" className="mt-2 text-sm text-slate-600">
          {request.data.message} The link works for 30 minutes.
        </p>
        <p className="mt-3 text-sm text-slate-600">
          No email? If your organization has not set up email, ask one of its admins for a reset link.
        </p>
      </AuthCard>
    );
  }

  return (
    <AuthCard title="Reset your password" description="Enter your account’s email and we’ll send you a reset link.">
      <form noValidate onSubmit={onSubmit} className="mt-6 space-y-2" aria-label="Reset your password">
        <TextField
          label="Email"
          name="email"
          type="email"
          autoComplete="email"
          inputMode="email"
          required
          error={errors.fields.email}
        />
        <div className="space-y-3 pt-2">
          <Button type="submit" pending={request.isPending} className="w-full">
            Send reset link
          </Button>
          <FormAlert message={errors.form} />
        </div>
      </form>
    </AuthCard>
  );
}
