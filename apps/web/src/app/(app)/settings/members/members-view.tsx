"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Avatar } from "~/components/avatar";
import { Button } from "~/components/button";
import { ConfirmDialog } from "~/components/confirm-dialog";
import { CopyField } from "~/components/copy-field";
import { DateTime } from "~/components/date-time";
import { Dialog } from "~/components/dialog";
import { FormAlert } from "~/components/field";
import { ROLE_LABELS, RoleBadge } from "~/components/role-badge";
import { useToast } from "~/components/toast";
import { usePermissions } from "~/hooks/use-permissions";
import { useTRPC } from "~/trpc/react";
import type { Member, Role } from "~/trpc/types";
import { ListSkeleton, LoadError, Section } from "../section";
import { InvitesSection } from "./invites-section";
import { type AssignableRole, assignableRoles, outranks } from "./roles";

type Action =
  | { kind: "remove"; member: Member }
  | { kind: "transfer"; member: Member }
  | { kind: "reset"; member: Member }
  | { kind: "leave" }
  | null;

export function MembersView() {
  const trpc = useTRPC();
  const { organization, can } = usePermissions();
  const members = useQuery(trpc.auth.members.list.queryOptions());
  const [action, setAction] = useState<Action>(null);
  const myRole = organization?.role;

  return (
    <div className="space-y-6">
      <Section title="Members" description={`Everyone in ${organization?.name ?? "this organization"} and their role.`}>
        {members.isPending ? (
          <ListSkeleton label="members" />
        ) : members.isError ? (
          <LoadError message={members.error.message} />
        ) : (
          <ul aria-label="Members" className="-my-1 divide-y divide-slate-100">
            {members.data.map((member) => (
              <MemberRow
                key={member.userId}
                member={member}
                myRole={myRole}
                canManage={can("members.manage")}
                canTransfer={can("organization.transfer")}
                onAction={setAction}
              />
            ))}
          </ul>
        )}
      </Section>

      {can("members.manage") && myRole ? <InvitesSection myRole={myRole} /> : null}

      <RemoveMemberDialog action={action} onClose={() => setAction(null)} />
      <TransferDialog action={action} onClose={() => setAction(null)} />
      <LeaveDialog open={action?.kind === "leave"} name={organization?.name ?? ""} onClose={() => setAction(null)} />
      <ResetLinkDialog member={action?.kind === "reset" ? action.member : null} onClose={() => setAction(null)} />
    </div>
  );
}

interface MemberRowProps {
  member: Member;
  myRole: Role | undefined;
  canManage: boolean;
  canTransfer: boolean;
  onAction: (action: Action) => void;
}

function MemberRow({ member, myRole, canManage, canTransfer, onAction }: MemberRowProps) {
  const manageable = canManage && !member.isYou && myRole !== undefined && outranks(myRole, member.role);
  return (
    <li className="flex flex-wrap items-center gap-x-4 gap-y-2 py-3">
      <div className="flex min-w-0 flex-1 basis-56 items-center gap-3">
        <Avatar name={member.name} />
        <div className="min-w-0">
          <p className="flex items-center gap-2 text-sm font-medium text-slate-900">
            <span className="truncate">{member.name}</span>
            {member.isYou ? <span className="text-xs font-normal text-slate-500">(you)</span> : null}
          </p>
          <p className="truncate text-sm text-slate-500">{member.email}</p>
        </div>
      </div>
      <div className="flex flex-wrap items-center gap-2">
        {manageable && myRole ? (
          <RoleSelect member={member} options={assignableRoles(myRole)} />
        ) : (
          <RoleBadge role={member.role} />
        )}
        <span className="hidden text-xs text-slate-500 sm:inline">
          Joined <DateTime value={member.joinedAt} dateOnly />
        </span>
      </div>
      <div className="flex flex-wrap justify-end gap-1 sm:ml-auto">
        {manageable ? (
          <>
            <Button variant="ghost" size="sm" onClick={() => onAction({ kind: "reset", member })}>
              Reset link<span className="sr-only"> for {member.name}</span>
            </Button>
            <Button variant="ghost-danger" size="sm" onClick={() => onAction({ kind: "remove", member })}>
              Remove<span className="sr-only"> {member.name}</span>
            </Button>
          </>
        ) : null}
        {canTransfer && !member.isYou ? (
          <Button variant="ghost" size="sm" onClick={() => onAction({ kind: "transfer", member })}>
            Make owner<span className="sr-only"> ({member.name})</span>
          </Button>
        ) : null}
        {member.isYou && member.role !== "owner" ? (
          <Button variant="ghost-danger" size="sm" onClick={() => onAction({ kind: "leave" })}>
            Leave organization
          </Button>
        ) : null}
      </div>
    </li>
  );
}

function RoleSelect({ member, options }: { member: Member; options: AssignableRole[] }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const change = useMutation(
    trpc.auth.members.changeRole.mutationOptions({
      onSuccess: async ({ role }) => {
        await queryClient.invalidateQueries(trpc.auth.members.pathFilter());
        toast(`${member.name} is now ${role === "admin" ? "an" : "a"} ${ROLE_LABELS[role].toLowerCase()}.`);
      },
      onError: (error) => toast(error.message),
    }),
  );
  const choices: Role[] = options.includes(member.role as AssignableRole) ? options : [member.role, ...options];
  return (
    <select
      aria-label={`Role of ${member.name}`}
      value={change.isPending ? change.variables.role : member.role}
      disabled={change.isPending}
      onChange={(event) => change.mutate({ userId: member.userId, role: event.target.value as AssignableRole })}
      className="h-8 rounded-lg border border-slate-300 bg-white pr-8 pl-2.5 text-sm text-slate-800 shadow-sm focus:outline-2 focus:-outline-offset-1 focus:outline-indigo-600 disabled:bg-slate-50"
    >
      {choices.map((role) => (
        <option key={role} value={role}>
          {ROLE_LABELS[role]}
        </option>
      ))}
    </select>
  );
}

function RemoveMemberDialog({ action, onClose }: { action: Action; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const member = action?.kind === "remove" ? action.member : null;
  const remove = useMutation(
    trpc.auth.members.remove.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries(trpc.auth.members.pathFilter());
        toast(`${member?.name ?? "The member"} was removed.`);
        onClose();
      },
    }),
  );
  const close = () => {
    remove.reset();
    onClose();
  };
  return (
    <ConfirmDialog
      open={member !== null}
      title={`Remove ${member?.name ?? ""}?`}
      description="They lose access at once: their sessions here end and their API tokens for this organization are deleted. Their contacts stay."
      confirmLabel="Remove member"
      pending={remove.isPending}
      error={remove.error?.message ?? null}
      onConfirm={() => member && remove.mutate({ userId: member.userId })}
      onClose={close}
    />
  );
}

function TransferDialog({ action, onClose }: { action: Action; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const toast = useToast();
  const member = action?.kind === "transfer" ? action.member : null;
  const transfer = useMutation(
    trpc.auth.members.transferOwnership.mutationOptions({
      onSuccess: async () => {
        // Every permission on screen was the owner's: fetch them all again, and the server parts too.
        await queryClient.invalidateQueries();
        router.refresh();
        toast(`${member?.name ?? "The member"} is now the owner. You are an admin.`);
        onClose();
      },
    }),
  );
  const close = () => {
    transfer.reset();
    onClose();
  };
  return (
    <ConfirmDialog
      open={member !== null}
      title={`Make ${member?.name ?? ""} the owner?`}
      description="There is only one owner. You become an admin, and only the new owner can give ownership back."
      confirmLabel="Transfer ownership"
      pending={transfer.isPending}
      error={transfer.error?.message ?? null}
      onConfirm={() => member && transfer.mutate({ userId: member.userId })}
      onClose={close}
    />
  );
}

function LeaveDialog({ open, name, onClose }: { open: boolean; name: string; onClose: () => void }) {
  const trpc = useTRPC();
  const [leaving, setLeaving] = useState(false);
  const leave = useMutation(
    trpc.auth.members.leave.mutationOptions({
      onSuccess: () => {
        setLeaving(true);
        window.location.assign("/login");
      },
    }),
  );
  const close = () => {
    leave.reset();
    onClose();
  };
  return (
    <ConfirmDialog
      open={open}
      title={`Leave ${name}?`}
      description="You lose access to its contacts at once and are signed out. Someone would have to invite you again."
      confirmLabel="Leave organization"
      pending={leave.isPending || leaving}
      error={leave.error?.message ?? null}
      onConfirm={() => leave.mutate()}
      onClose={close}
    />
  );
}

function ResetLinkDialog({ member, onClose }: { member: Member | null; onClose: () => void }) {
  const trpc = useTRPC();
  const create = useMutation(trpc.auth.passwordReset.createLink.mutationOptions());
  const close = () => {
    create.reset();
    onClose();
  };
  return (
    <Dialog
      open={member !== null}
      onClose={close}
      title={`Password reset link for ${member?.name ?? ""}`}
      description={
        create.data
          ? "Send this link to them yourself. It works once and is shown only now."
          : "Without email configured, you can create a single-use link for them to choose a new password. It expires after 30 minutes and signs them out everywhere when used."
      }
    >
      {create.data ? (
        <>
          <CopyField
            label="Reset link"
            value={create.data.url}
            hint={`Valid until ${new Intl.DateTimeFormat("en-GB", { timeStyle: "short" }).format(create.data.expiresAt)}.`}
          />
          <div className="mt-4 flex justify-end">
            <Button onClick={close}>Done</Button>
          </div>
        </>
      ) : (
        <>
          <FormAlert message={create.error?.message ?? null} />
          <div className="mt-2 flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
            <Button variant="secondary" onClick={close} disabled={create.isPending} autoFocus>
              Cancel
            </Button>
            <Button pending={create.isPending} onClick={() => member && create.mutate({ userId: member.userId })}>
              Create reset link
            </Button>
          </div>
        </>
      )}
    </Dialog>
  );
}
