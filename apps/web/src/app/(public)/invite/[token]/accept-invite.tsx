"use client";

import { acceptInviteInput } from "@nexo/auth/schemas";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { Button, focusRing } from "~/components/button";
import { FormAlert, TextField } from "~/components/field";
import { fromApiError, mergeErrors } from "~/forms/errors";
import { useValidatedSubmit } from "~/forms/use-validated-submit";
import { useTRPC } from "~/trpc/react";

type Mode = "signedIn" | "newAccount" | "existingAccount";

interface AcceptInviteProps {
  token: string;
  /** When the invite is tied to one address. */
  invitedEmail: string | null;
  signedInAs: { name: string; email: string } | null;
}

export function AcceptInvite({ token, invitedEmail, signedInAs }: AcceptInviteProps) {
  const trpc = useTRPC();
  const [mode, setMode] = useState<Mode>(signedInAs ? "signedIn" : "newAccount");
  const [joining, setJoining] = useState(false);
  const accept = useMutation(
    trpc.auth.invites.accept.mutationOptions({
      onSuccess: () => {
        setJoining(true);
        // A full load: the session now belongs to the organization just joined.
        window.location.assign("/dashboard");
      },
    }),
  );
  const { clientErrors, onSubmit } = useValidatedSubmit({
    schema: acceptInviteInput,
    prepare: (values) => ({ ...values, token, mode }),
    onValid: (data) => accept.mutate(data),
    onInvalid: () => accept.reset(),
  });
  const errors = mergeErrors(clientErrors, fromApiError(accept.error));
  const choose = (next: Mode) => {
    accept.reset();
    setMode(next);
  };
  const pending = accept.isPending || joining;

  if (mode === "signedIn" && signedInAs) {
    return (
      <form noValidate onSubmit={onSubmit} className="mt-6 space-y-3" aria-label="Accept the invite">
        <p className="rounded-lg bg-slate-50 px-3 py-2 text-sm text-slate-700">
          Signed in as <span className="font-medium text-slate-900">{signedInAs.name}</span> ({signedInAs.email})
        </p>
        <Button type="submit" pending={pending} className="w-full">
          Accept and join
        </Button>
        <FormAlert message={errors.form} />
        <p className="text-center text-sm text-slate-600">
          Not you?{" "}
          <button
            type="button"
            onClick={() => choose("existingAccount")}
            className={`rounded-sm font-medium text-indigo-600 hover:text-indigo-500 ${focusRing}`}
          >
            Use another account
          </button>
        </p>
      </form>
    );
  }

  return (
    <div className="mt-6">
      <div className="grid grid-cols-2 gap-1 rounded-lg bg-slate-100 p-1">
        {(
          [
            ["newAccount", "New account"],
            ["existingAccount", "I have an account"],
          ] as const
        ).map(([value, label]) => (
          <button
            key={value}
            type="button"
            aria-pressed={mode === value}
            onClick={() => choose(value)}
            className={`rounded-md px-2 py-1.5 text-sm font-medium ${focusRing} ${
              mode === value ? "bg-white text-slate-900 shadow-sm" : "text-slate-600 hover:text-slate-900"
            }`}
          >
            {label}
          </button>
        ))}
      </div>
      <form
        key={mode}
        noValidate
        onSubmit={onSubmit}
        className="mt-4 space-y-2"
        aria-label={mode === "newAccount" ? "Create an account and join" : "Sign in and join"}
      >
        {mode === "newAccount" ? (
          <TextField label="Your name" name="name" autoComplete="name" required error={errors.fields.name} />
        ) : null}
        <TextField
          label="Email"
          name="email"
          type="email"
          autoComplete="email"
          inputMode="email"
          required
          defaultValue={invitedEmail ?? ""}
          readOnly={invitedEmail !== null}
          error={errors.fields.email}
        />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete={mode === "newAccount" ? "new-password" : "current-password"}
          required
          hint={mode === "newAccount" ? "At least 10 characters." : undefined}
          error={errors.fields.password}
        />
        <div className="space-y-3 pt-2">
          <Button type="submit" pending={pending} className="w-full">
            {mode === "newAccount" ? "Create account and join" : "Sign in and join"}
          </Button>
          <FormAlert message={errors.form} />
        </div>
      </form>
    </div>
  );
}
