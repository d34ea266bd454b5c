"use client";

import { createInviteInput } from "@nexo/auth/schemas";
import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "~/components/button";
import { ConfirmDialog } from "~/components/confirm-dialog";
import { CopyField } from "~/components/copy-field";
import { DateTime } from "~/components/date-time";
import { Dialog } from "~/components/dialog";
import { FormAlert, SelectField, TextField } from "~/components/field";
import { ROLE_LABELS, RoleBadge } from "~/components/role-badge";
import { useToast } from "~/components/toast";
import { fromApiError, mergeErrors } from "~/forms/errors";
import { useValidatedSubmit } from "~/forms/use-validated-submit";
import { useTRPC } from "~/trpc/react";
import type { Invite, Role } from "~/trpc/types";
import { ListSkeleton, LoadError, Section } from "../section";
import { invitesQuery } from "./invites-query";
import { assignableRoles } from "./roles";

export function InvitesSection({ myRole }: { myRole: Role }) {
  const trpc = useTRPC();
  const invites = useInfiniteQuery(invitesQuery(trpc));
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<Invite | null>(null);
  const items = invites.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <Section
      title="Invites"
      description="Invite people with a link. Each link works once, for the role you choose."
      action={<Button onClick={() => setCreating(true)}>Invite people</Button>}
    >
      {invites.isPending ? (
        <ListSkeleton rows={2} label="invites" />
      ) : invites.isError ? (
        <LoadError message={invites.error.message} />
      ) : items.length === 0 ? (
        <p className="py-2 text-sm text-slate-500">No pending invites.</p>
      ) : (
        <>
          <ul aria-label="Pending invites" className="-my-1 divide-y divide-slate-100">
            {items.map((invite) => (
              <li key={invite.id} className="flex flex-wrap items-center gap-x-4 gap-y-2 py-3">
                <div className="min-w-0 flex-1 basis-56">
                  <p className="truncate text-sm font-medium text-slate-900">
                    {invite.email ?? "Anyone with the link"}
                  </p>
                  <p className="text-xs text-slate-500">
                    Expires <DateTime value={invite.expiresAt} />
                    {invite.createdBy ? ` · by ${invite.createdBy.name}` : ""}
                  </p>
                </div>
                <div className="ml-auto flex items-center gap-2">
                  <RoleBadge role={invite.role} />
                  <Button variant="ghost-danger" size="sm" onClick={() => setRevoking(invite)}>
                    Revoke<span className="sr-only"> invite for {invite.email ?? "anyone with the link"}</span>
                  </Button>
                </div>
              </li>
            ))}
          </ul>
          {invites.hasNextPage ? (
            <div className="mt-3 flex justify-center">
              <Button variant="secondary" pending={invites.isFetchingNextPage} onClick={() => invites.fetchNextPage()}>
                Load more
              </Button>
            </div>
          ) : null}
        </>
      )}
      <CreateInviteDialog open={creating} myRole={myRole} onClose={() => setCreating(false)} />
      <RevokeInviteDialog invite={revoking} onClose={() => setRevoking(null)} />
    </Section>
  );
}

function CreateInviteDialog({ open, myRole, onClose }: { open: boolean; myRole: Role; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const create = useMutation(
    trpc.auth.invites.create.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries(trpc.auth.invites.pathFilter()),
    }),
  );
  const { clientErrors, onSubmit } = useValidatedSubmit({
    schema: createInviteInput,
    prepare: (values) => ({
      role: values.role,
      email: values.email?.trim() ? values.email : undefined,
      expiresInDays: values.expiresInDays ? Number(values.expiresInDays) : undefined,
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
      title={create.data ? "Invite link created" : "Invite people"}
      description={
        create.data
          ? "Send this link to the person you are inviting. It is shown only now: copy it before closing."
          : "Anyone who opens the link can join, unless you tie it to an email address."
      }
    >
      {create.data ? (
        <>
          <CopyField
            label="Invite link"
            value={create.data.url}
            hint={`Joins as ${ROLE_LABELS[create.data.invite.role].toLowerCase()}; expires ${new Intl.DateTimeFormat("en-GB", { dateStyle: "medium" }).format(create.data.invite.expiresAt)}.`}
          />
          <div className="mt-4 flex justify-end">
            <Button onClick={close}>Done</Button>
          </div>
        </>
      ) : (
        <form noValidate onSubmit={onSubmit} aria-label="Invite people">
          <TextField
            label="Email"
            name="email"
            type="email"
            inputMode="email"
            autoComplete="off"
            optional
            hint="Only this address can accept."
            error={errors.fields.email}
          />
          <div className="grid grid-cols-2 gap-3">
            <SelectField label="Role" name="role" defaultValue="member" error={errors.fields.role}>
              {assignableRoles(myRole).map((role) => (
                <option key={role} value={role}>
                  {ROLE_LABELS[role]}
                </option>
              ))}
            </SelectField>
            <TextField
              label="Expires in (days)"
              name="expiresInDays"
              type="number"
              inputMode="numeric"
              min={1}
              max={30}
              defaultValue={7}
              error={errors.fields.expiresInDays}
            />
          </div>
          <FormAlert message={errors.form} />
          <div className="mt-4 flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
            <Button variant="secondary" onClick={close} disabled={create.isPending}>
              Cancel
            </Button>
            <Button type="submit" pending={create.isPending}>
              Create invite link
            </Button>
          </div>
        </form>
      )}
    </Dialog>
  );
}

function RevokeInviteDialog({ invite, onClose }: { invite: Invite | null; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const revoke = useMutation(
    trpc.auth.invites.revoke.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries(trpc.auth.invites.pathFilter());
        toast("The invite was revoked.");
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
      open={invite !== null}
      title="Revoke this invite?"
      description={`The link for ${invite?.email ?? "anyone with the link"} stops working at once.`}
      confirmLabel="Revoke invite"
      pending={revoke.isPending}
      error={revoke.error?.message ?? null}
      onConfirm={() => invite && revoke.mutate({ id: invite.id })}
      onClose={close}
    />
  );
}
