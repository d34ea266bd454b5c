"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "~/components/button";
import { ConfirmDialog } from "~/components/confirm-dialog";
import { DateTime } from "~/components/date-time";
import { useToast } from "~/components/toast";
import { useTRPC } from "~/trpc/react";
import type { UserSession } from "~/trpc/types";
import { ListSkeleton, LoadError, Section } from "../section";

type Confirming = { kind: "one"; session: UserSession } | { kind: "others" } | { kind: "all" } | null;

function signedOut() {
  // A full load: nothing of this session may stay in memory.
  window.location.assign("/login");
}

export function SessionsView() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const sessions = useQuery(trpc.auth.sessions.list.queryOptions());
  const [confirming, setConfirming] = useState<Confirming>(null);
  const refresh = () => queryClient.invalidateQueries(trpc.auth.sessions.pathFilter());

  const revoke = useMutation(
    trpc.auth.sessions.revoke.mutationOptions({
      onSuccess: async ({ current }) => {
        if (current) return signedOut();
        await refresh();
        toast("The session was signed out.");
        setConfirming(null);
      },
    }),
  );
  const revokeAll = useMutation(trpc.auth.sessions.revokeAll.mutationOptions());
  function endSessions(exceptCurrent: boolean) {
    revokeAll.mutate(
      { exceptCurrent },
      {
        onSuccess: async ({ ended }) => {
          if (!exceptCurrent) return signedOut();
          await refresh();
          toast(ended === 1 ? "1 other session was signed out." : `${ended} other sessions were signed out.`);
          setConfirming(null);
        },
      },
    );
  }

  function close() {
    revoke.reset();
    revokeAll.reset();
    setConfirming(null);
  }

  const others = sessions.data?.filter((session) => !session.current).length ?? 0;

  return (
    <Section
      title="Sessions"
      description="Where you are signed in. Sign out any device you don’t recognise."
      action={
        <div className="flex flex-wrap gap-2">
          <Button
            variant="secondary"
            size="sm"
            disabled={others === 0}
            onClick={() => setConfirming({ kind: "others" })}
          >
            Log out everywhere else
          </Button>
          <Button variant="ghost-danger" size="sm" onClick={() => setConfirming({ kind: "all" })}>
            Log out everywhere
          </Button>
        </div>
      }
    >
      {sessions.isPending ? (
        <ListSkeleton label="sessions" />
      ) : sessions.isError ? (
        <LoadError message={sessions.error.message} />
      ) : (
        <ul aria-label="Sessions" className="-my-1 divide-y divide-slate-100">
          {sessions.data.map((session) => (
            <SessionRow key={session.id} session={session} onRevoke={() => setConfirming({ kind: "one", session })} />
          ))}
        </ul>
      )}

      <ConfirmDialog
        open={confirming?.kind === "one"}
        title={
          confirming?.kind === "one" && confirming.session.current ? "Sign out this device?" : "Sign out this session?"
        }
        description={
          confirming?.kind === "one"
            ? `${confirming.session.browser}${confirming.session.ip ? ` (${confirming.session.ip})` : ""} will have to sign in again.`
            : ""
        }
        confirmLabel="Sign out"
        pending={revoke.isPending}
        error={revoke.error?.message ?? null}
        onConfirm={() => confirming?.kind === "one" && revoke.mutate({ id: confirming.session.id })}
        onClose={close}
      />
      <ConfirmDialog
        open={confirming?.kind === "others" || confirming?.kind === "all"}
        title={confirming?.kind === "all" ? "Log out everywhere?" : "Log out everywhere else?"}
        description={
          confirming?.kind === "all"
            ? "Every session ends, this one included: you will have to sign in again."
            : "Every other device will have to sign in again. This one stays signed in."
        }
        confirmLabel={confirming?.kind === "all" ? "Log out everywhere" : "Log out other sessions"}
        pending={revokeAll.isPending}
        error={revokeAll.error?.message ?? null}
        onConfirm={() => endSessions(confirming?.kind === "others")}
        onClose={close}
      />
    </Section>
  );
}

function SessionRow({ session, onRevoke }: { session: UserSession; onRevoke: () => void }) {
  return (
    <li className="flex flex-wrap items-center gap-x-4 gap-y-2 py-3">
      <span className="flex size-9 shrink-0 items-center justify-center rounded-full bg-slate-100 text-slate-500">
        <svg className="size-5" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true">
          <path
            fillRule="evenodd"
            d="M2 4.25A2.25 2.25 0 0 1 4.25 2h11.5A2.25 2.25 0 0 1 18 4.25v8.5A2.25 2.25 0 0 1 15.75 15h-3.1l.5 1.5h1.1a.75.75 0 0 1 0 1.5h-8.5a.75.75 0 0 1 0-1.5h1.1l.5-1.5h-3.1A2.25 2.25 0 0 1 2 12.75v-8.5Zm1.5 0a.75.75 0 0 1 .75-.75h11.5a.75.75 0 0 1 .75.75v7.5a.75.75 0 0 1-.75.75H4.25a.75.75 0 0 1-.75-.75v-7.5Z"
            clipRule="evenodd"
          />
        </svg>
      </span>
      <div className="min-w-0 flex-1">
        <p className="flex flex-wrap items-center gap-2 text-sm font-medium text-slate-900">
          <span className="truncate" title={session.userAgent}>
            {session.browser}
          </span>
          {session.current ? (
            <span className="rounded-full bg-emerald-50 px-2 py-0.5 text-xs font-medium text-emerald-700 ring-1 ring-emerald-200 ring-inset">
              This device
            </span>
          ) : null}
        </p>
        <dl className="mt-0.5 flex flex-col text-xs whitespace-nowrap text-slate-500 sm:flex-row sm:flex-wrap sm:gap-x-3">
          <div className="flex gap-1">
            <dt>IP</dt>
            <dd className="text-slate-700">{session.ip || "unknown"}</dd>
          </div>
          <div className="flex gap-1">
            <dt>Signed in</dt>
            <dd className="text-slate-700">
              <DateTime value={session.createdAt} />
            </dd>
          </div>
          <div className="flex gap-1">
            <dt>Last seen</dt>
            <dd className="text-slate-700">
              <DateTime value={session.lastSeenAt} />
            </dd>
          </div>
          {session.organization.name ? (
            <div className="flex gap-1">
              <dt>In</dt>
              <dd className="text-slate-700">{session.organization.name}</dd>
            </div>
          ) : null}
        </dl>
      </div>
      <Button variant="ghost-danger" size="sm" onClick={onRevoke}>
        {session.current ? "Sign out" : "Revoke"}
        <span className="sr-only">
          {" "}
          {session.browser}
          {session.current ? " (this device)" : ""}
        </span>
      </Button>
    </li>
  );
}
