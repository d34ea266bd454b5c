"use client";

import { createApiTokenInput } from "@nexo/auth/schemas";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "~/components/button";
import { ConfirmDialog } from "~/components/confirm-dialog";
import { CopyField } from "~/components/copy-field";
import { DateTime } from "~/components/date-time";
import { Dialog } from "~/components/dialog";
import { FormAlert, SelectField, TextField } from "~/components/field";
import { useToast } from "~/components/toast";
import { fromApiError, mergeErrors } from "~/forms/errors";
import { useValidatedSubmit } from "~/forms/use-validated-submit";
import { useTRPC } from "~/trpc/react";
import type { ApiToken } from "~/trpc/types";
import { ListSkeleton, LoadError, Section } from "../section";

const EXPIRY_CHOICES = [
  { days: "30", label: "30 days" },
  { days: "90", label: "90 days" },
  { days: "365", label: "1 year" },
  { days: "", label: "Never" },
];

export function ApiTokensView() {
  const trpc = useTRPC();
  const tokens = useQuery(trpc.auth.apiTokens.list.queryOptions());
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);

  return (
    <Section
      title="API tokens"
      description={
        <>
          Personal tokens for scripts and the <code className="text-slate-800">@nexo/client</code> SDK. A token acts as
          you, with your role, in this organization.
        </>
      }
      action={<Button onClick={() => setCreating(true)}>Create token</Button>}
    >
      {tokens.isPending ? (
        <ListSkeleton rows={2} label="API tokens" />
      ) : tokens.isError ? (
        <LoadError message={tokens.error.message} />
      ) : tokens.data.length === 0 ? (
        <p className="py-2 text-sm text-slate-500">No API tokens yet.</p>
      ) : (
        <ul aria-label="API tokens" className="-my-1 divide-y divide-slate-100">
          {tokens.data.map((token) => (
            <li key={token.id} className="flex flex-wrap items-center gap-x-4 gap-y-2 py-3">
              <div className="min-w-0 flex-1 basis-56">
                <p className="flex flex-wrap items-center gap-2 text-sm font-medium text-slate-900">
                  <span className="truncate">{token.name}</span>
                  <code className="rounded bg-slate-100 px-1.5 py-0.5 text-xs font-normal text-slate-600">
                    {token.prefix}…
                  </code>
                </p>
                <dl className="mt-0.5 flex flex-col text-xs whitespace-nowrap text-slate-500 sm:flex-row sm:flex-wrap sm:gap-x-3">
                  <div className="flex gap-1">
                    <dt>Created</dt>
                    <dd className="text-slate-700">
                      <DateTime value={token.createdAt} dateOnly />
                    </dd>
                  </div>
                  <div className="flex gap-1">
                    <dt>Last used</dt>
                    <dd className="text-slate-700">
                      {token.lastUsedAt ? <DateTime value={token.lastUsedAt} /> : "never"}
                    </dd>
                  </div>
                  <div className="flex gap-1">
                    <dt>Expires</dt>
                    <dd className="text-slate-700">
                      {token.expiresAt ? <DateTime value={token.expiresAt} dateOnly /> : "never"}
                    </dd>
                  </div>
                </dl>
              </div>
              <Button variant="ghost-danger" size="sm" onClick={() => setRevoking(token)}>
                Revoke<span className="sr-only"> {token.name}</span>
              </Button>
            </li>
          ))}
        </ul>
      )}
      <CreateTokenDialog open={creating} onClose={() => setCreating(false)} />
      <RevokeTokenDialog token={revoking} onClose={() => setRevoking(null)} />
    </Section>
  );
}

function CreateTokenDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const create = useMutation(
    trpc.auth.apiTokens.create.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries(trpc.auth.apiTokens.pathFilter()),
    }),
  );
  const { clientErrors, onSubmit } = useValidatedSubmit({
    schema: createApiTokenInput,
    prepare: (values) => ({
      name: values.name,
      expiresInDays: values.expiresInDays ? Number(values.expiresInDays) : null,
    }),
    onValid: (data) => create.mutate(data),
    onInvalid: () => create.reset(),
  });
  const errors = mergeErrors(clientErrors, fromApiError(create.error));
  const close = () => {
    create.reset();
    onClose();
  };

  return (
    <Dialog
      open={open}
      onClose={close}
      title={create.data ? "Token created" : "Create API token"}
      description={
        create.data
          ? "Copy the token now: it is shown only this once. Keep it as secret as a password."
          : "Name it after the script or machine that will use it."
      }
    >
      {create.data ? (
        <>
          <CopyField
            label={`API token “${create.data.apiToken.name}”`}
            value={create.data.token}
            hint="Send it as Authorization: Bearer <token>."
          />
          <div className="mt-4 flex justify-end">
            <Button onClick={close}>Done</Button>
          </div>
        </>
      ) : (
        <form noValidate onSubmit={onSubmit} aria-label="Create API token">
          <TextField label="Name" name="name" autoComplete="off" required autoFocus error={errors.fields.name} />
          <SelectField label="Expires after" name="expiresInDays" defaultValue="90" error={errors.fields.expiresInDays}>
            {EXPIRY_CHOICES.map((choice) => (
              <option key={choice.label} value={choice.days}>
                {choice.label}
              </option>
            ))}
          </SelectField>
          <FormAlert message={errors.form} />
          <div className="mt-4 flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
            <Button variant="secondary" onClick={close} disabled={create.isPending}>
              Cancel
            </Button>
            <Button type="submit" pending={create.isPending}>
              Create token
            </Button>
          </div>
        </form>
      )}
    </Dialog>
  );
}

function RevokeTokenDialog({ token, onClose }: { token: ApiToken | null; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const revoke = useMutation(
    trpc.auth.apiTokens.revoke.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries(trpc.auth.apiTokens.pathFilter());
        toast(`${token?.name ?? "The token"} was revoked.`);
        onClose();
      },
    }),
  );
  const close = () => {
    revoke.reset();
    onClose();
  };
  return (
    <ConfirmDialog
      open={token !== null}
      title={`Revoke ${token?.name ?? ""}?`}
      description="Scripts using this token stop working at once. This can’t be undone."
      confirmLabel="Revoke token"
      pending={revoke.isPending}
      error={revoke.error?.message ?? null}
      onConfirm={() => token && revoke.mutate({ id: token.id })}
      onClose={close}
    />
  );
}
