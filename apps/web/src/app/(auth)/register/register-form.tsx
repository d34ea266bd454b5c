"use client";

import { registerInput } from "@nexo/auth/schemas";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { Button } from "~/components/button";
import { FormAlert, TextField } from "~/components/field";
import { fromApiError, mergeErrors } from "~/forms/errors";
import { useValidatedSubmit } from "~/forms/use-validated-submit";
import { useTRPC } from "~/trpc/react";

export function RegisterForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const [navigating, startNavigation] = useTransition();
  const register = useMutation(
    trpc.auth.register.mutationOptions({
      onSuccess: () => startNavigation(() => router.replace("/dashboard")),
    }),
  );
  const { clientErrors, onSubmit } = useValidatedSubmit({
    schema: registerInput,
    onValid: (data) => register.mutate(data),
    onInvalid: () => register.reset(),
  });
  const errors = mergeErrors(clientErrors, fromApiError(register.error));

  return (
    <form noValidate onSubmit={onSubmit} className="mt-6 space-y-2" aria-label="Create your account">
      <TextField label="Your name" name="name" autoComplete="name" required error={errors.fields.name} />
      <TextField
        label="Work email"
        name="email"
        type="email"
        autoComplete="email"
        inputMode="email"
        required
        error={errors.fields.email}
      />
      <TextField
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        minLength={10}
        hint="At least 10 characters."
        error={errors.fields.password}
      />
      <TextField
        label="Organization name"
        name="organizationName"
        autoComplete="organization"
        required
        error={errors.fields.organizationName}
      />
      <div className="space-y-3 pt-2">
        <Button type="submit" pending={register.isPending || navigating} className="w-full">
          Create account
        </Button>
        <FormAlert message={errors.form} />
      </div>
    </form>
  );
}
