"use client";

import { listAuditInput } from "@nexo/auth/schemas";
import { keepPreviousData, useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Button, Spinner } from "~/components/button";
import { DateTime } from "~/components/date-time";
import { SelectField, TextField } from "~/components/field";
import { fromZodError } from "~/forms/errors";
import { useTRPC } from "~/trpc/react";
import type { AuditEntry, AuditEventName } from "~/trpc/types";
import { ListSkeleton, LoadError, Section } from "../section";
import { type AuditFilters, auditInput, auditListQuery, NO_FILTERS } from "./audit-query";

const EVENT_LABELS: Record<AuditEventName, string> = {
  "account.registered": "Account created",
  "login.succeeded": "Signed in",
  "login.failed": "Sign-in failed",
  logout: "Signed out",
  "password.changed": "Password changed",
  "password.reset_requested": "Password reset requested",
  "password.reset_link_created": "Password reset link created",
  "password.reset": "Password reset",
  "invite.created": "Invite created",
  "invite.revoked": "Invite revoked",
  "invite.accepted": "Invite accepted",
  "member.role_changed": "Role changed",
  "member.removed": "Member removed",
  "member.left": "Member left",
  "ownership.transferred": "Ownership transferred",
  "organization.updated": "Organization updated",
  "organization.switched": "Switched organization",
  "token.created": "API token created",
  "token.revoked": "API token revoked",
  "session.revoked": "Session revoked",
  "sessions.revoked_all": "Signed out everywhere",
};

export function AuditView() {
  const trpc = useTRPC();
  const [filters, setFilters] = useState<AuditFilters>(NO_FILTERS);
  const validation = listAuditInput.safeParse(auditInput(filters));
  const filterErrors = validation.success ? { fields: {}, form: null } : fromZodError(validation.error);
  const events = useQuery(trpc.auth.audit.events.queryOptions());
  const members = useQuery(trpc.auth.members.list.queryOptions());
  const entries = useInfiniteQuery({
    ...auditListQuery(trpc, filters),
    enabled: validation.success,
    // The previous results stay on screen while a new filter loads, so the page does not jump.
    placeholderData: keepPreviousData,
  });
  const items = entries.data?.pages.flatMap((page) => page.items) ?? [];
  const set = (name: keyof AuditFilters) => (event: { target: { value: string } }) =>
    setFilters((current) => ({ ...current, [name]: event.target.value }));
  const filtered = Object.values(filters).some(Boolean);

  return (
    <Section
      title="Audit log"
      description="Security events in this organization: sign-ins, changes to members, invites, tokens and sessions."
    >
      <form
        aria-label="Filter the audit log"
        onSubmit={(event) => event.preventDefault()}
        className="grid grid-cols-2 gap-x-3 lg:grid-cols-4"
      >
        <SelectField label="Event" name="event" value={filters.event} onChange={set("event")}>
          <option value="">All events</option>
          {(events.data ?? []).map((name) => (
            <option key={name} value={name}>
              {EVENT_LABELS[name]}
            </option>
          ))}
        </SelectField>
        <SelectField label="Person" name="actorId" value={filters.actorId} onChange={set("actorId")}>
          <option value="">Everyone</option>
          {(members.data ?? []).map((member) => (
            <option key={member.userId} value={member.userId}>
              {member.name}
            </option>
          ))}
        </SelectField>
        <TextField
          label="From"
          name="from"
          type="date"
          value={filters.from}
          onChange={set("from")}
          error={filterErrors.fields.from}
        />
        <TextField
          label="To"
          name="to"
          type="date"
          value={filters.to}
          onChange={set("to")}
          error={filterErrors.fields.to}
        />
      </form>
      <div className="flex min-h-8 items-center justify-between gap-3">
        <p className="text-sm text-slate-500" aria-live="polite">
          {entries.isFetching && !entries.isFetchingNextPage ? (
            <span className="inline-flex items-center gap-2">
              <Spinner /> Loading…
            </span>
          ) : null}
        </p>
        {filtered ? (
          <Button variant="ghost" size="sm" onClick={() => setFilters(NO_FILTERS)}>
            Clear filters
          </Button>
        ) : null}
      </div>

      {entries.isPending && validation.success ? (
        <ListSkeleton label="audit log" />
      ) : entries.isError && items.length === 0 ? (
        <LoadError message={entries.error.message} />
      ) : items.length === 0 ? (
        <p className="py-6 text-center text-sm text-slate-500">
          {filtered ? "No events match these filters." : "No events yet."}
        </p>
      ) : (
        <>
          <ul aria-label="Audit log" className="divide-y divide-slate-100 border-t border-slate-100">
            {items.map((entry) => (
              <AuditRow key={entry.id} entry={entry} />
            ))}
          </ul>
          <div className="mt-3 flex min-h-10 justify-center">
            {entries.hasNextPage ? (
              <Button variant="secondary" pending={entries.isFetchingNextPage} onClick={() => entries.fetchNextPage()}>
                {entries.isFetchingNextPage ? "Loading…" : "Load more"}
              </Button>
            ) : null}
          </div>
        </>
      )}
    </Section>
  );
}

function AuditRow({ entry }: { entry: AuditEntry }) {
  const details = entry.details ? Object.entries(entry.details).filter(([, value]) => value !== null) : [];
  return (
    <li className="grid gap-x-4 gap-y-1 py-3 text-sm sm:grid-cols-[minmax(0,1fr)_auto]">
      <div className="min-w-0">
        <p className="flex flex-wrap items-baseline gap-x-2">
          <span className="font-medium text-slate-900">{EVENT_LABELS[entry.event] ?? entry.event}</span>
          <code className="text-xs text-slate-400">{entry.event}</code>
        </p>
        <p className="truncate text-slate-600">
          {entry.actor ? `${entry.actor.name} · ${entry.actor.email}` : "Unknown person"}
          {entry.ip ? ` · ${entry.ip}` : ""}
        </p>
        {details.length > 0 ? (
          <p className="truncate text-xs text-slate-500">
            {details.map(([key, value]) => `${key}: ${String(value)}`).join(" · ")}
          </p>
        ) : null}
      </div>
      <p className="text-xs text-slate-500 sm:text-right">
        <DateTime value={entry.createdAt} />
      </p>
    </li>
  );
}
