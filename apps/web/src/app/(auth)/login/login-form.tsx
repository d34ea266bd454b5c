"use client";

import { loginInput } from "@nexo/auth/schemas";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { Button } from "~/components/button";
import { FormAlert, TextField } from "~/components/field";
import { fromApiError, mergeErrors } from "~/forms/errors";
import { useValidatedSubmit } from "~/forms/use-validated-submit";
import { useTRPC } from "~/trpc/react";

export function LoginForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const [navigating, startNavigation] = useTransition();
  const login = useMutation(
    trpc.auth.login.mutationOptions({
      onSuccess: () => startNavigation(() => router.replace("/dashboard")),
    }),
  );
  const { clientErrors, onSubmit } = useValidatedSubmit({
    schema: loginInput,
    onValid: (data) => login.mutate(data),
    onInvalid: () => login.reset(),
  });
  const errors = mergeErrors(clientErrors, fromApiError(login.error));

  return (
    <form noValidate onSubmit={onSubmit} className="mt-6 space-y-2" aria-label="Sign in">
      <TextField
        label="Email"
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
        autoComplete="current-password"
        required
        error={errors.fields.password}
      />
      <div className="space-y-3 pt-2">
        <Button type="submit" pending={login.isPending || navigating} className="w-full">
          Sign in
        </Button>
        <FormAlert message={errors.form} />
      </div>
    </form>
  );
}
