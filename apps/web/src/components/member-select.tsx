"use client";

import { useQuery } from "@tanstack/react-query";
import { useId } from "react";
import { useTRPC } from "~/trpc/react";

interface MemberSelectProps {
  /** The selected member's user id, or null for nobody. */
  value: string | null;
  onChange: (userId: string | null) => void;
  /** A visible label; without one, pass `aria-label`. */
  label?: string;
  "aria-label"?: string;
  id?: string;
  /** Offers "Nobody" (or `emptyLabel`) as a choice. */
  allowEmpty?: boolean;
  emptyLabel?: string;
  disabled?: boolean;
  error?: string | undefined;
  className?: string;
}

/** Picks an owner or assignee among the organization's members. */
export function MemberSelect({
  value,
  onChange,
  label,
  id,
  allowEmpty = false,
  emptyLabel = "Nobody",
  disabled,
  error,
  className = "",
  ...aria
}: MemberSelectProps) {
  const trpc = useTRPC();
  const generatedId = useId();
  const selectId = id ?? generatedId;
  const members = useQuery(trpc.auth.members.list.queryOptions(undefined, { staleTime: 60_000 }));
  const options = members.data ?? [];
  // Until the list arrives the current value still shows, so the control does not flash empty.
  const knownValue = value === null || options.some((member) => member.userId === value);

  return (
    <div className={className}>
      {label ? (
        <label htmlFor={selectId} className="mb-1.5 block text-sm font-medium text-slate-700">
          {label}
        </label>
      ) : null}
      <select
        id={selectId}
        aria-label={label ? undefined : aria["aria-label"]}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${selectId}-message` : undefined}
        value={value ?? ""}
        disabled={disabled}
        onChange={(event) => onChange(event.target.value === "" ? null : event.target.value)}
        className={`block h-10 w-full rounded-lg border bg-white px-3 text-sm text-slate-900 shadow-sm focus:outline-2 focus:-outline-offset-1 focus:outline-indigo-600 disabled:bg-slate-50 ${error ? "border-red-400" : "border-slate-300"}`}
      >
        {allowEmpty || value === null ? <option value="">{emptyLabel}</option> : null}
        {!knownValue ? <option value={value ?? ""}>{members.isPending ? "Loading…" : "Former member"}</option> : null}
        {options.map((member) => (
          <option key={member.userId} value={member.userId}>
            {member.isYou ? `${member.name} (you)` : member.name}
          </option>
        ))}
      </select>
      {error ? (
        <p id={`${selectId}-message`} className="mt-1 text-xs text-red-600">
          {error}
        </p>
      ) : null}
    </div>
  );
}
