"use client";

import { useMutation } from "@tanstack/react-query";
import { type KeyboardEvent, useId, useRef, useState } from "react";
import { focusRing } from "~/components/button";
import { useToast } from "~/components/toast";
import { useTRPC } from "~/trpc/react";
import { type ActivityKind, KIND_LABELS } from "./activity-fields";
import { ActivityForm } from "./activity-form";
import { useMembers, useRefreshActivities } from "./hooks";
import type { RecordType } from "./queries";

const KINDS: ActivityKind[] = ["note", "task", "call", "meeting"];
const SUBMIT: Record<ActivityKind, string> = {
  note: "Add note",
  task: "Add task",
  call: "Log call",
  meeting: "Log meeting",
};
const DONE: Record<ActivityKind, string> = {
  note: "Note added.",
  task: "Task added.",
  call: "Call logged.",
  meeting: "Meeting logged.",
};
const TARGET_KEY: Record<RecordType, "contactId" | "companyId" | "dealId"> = {
  contact: "contactId",
  company: "companyId",
  deal: "dealId",
};

/** Tabs for a note, a task, a call or a meeting on this record. */
export function Composer({ entityType, entityId }: { entityType: RecordType; entityId: string }) {
  const trpc = useTRPC();
  const toast = useToast();
  const baseId = useId();
  const { me } = useMembers();
  const [kind, setKind] = useState<ActivityKind>("note");
  const tabs = useRef<(HTMLButtonElement | null)[]>([]);
  const refresh = useRefreshActivities(entityType, entityId);
  const create = useMutation(trpc.crm.activities.create.mutationOptions());

  function select(next: ActivityKind) {
    create.reset();
    setKind(next);
  }

  // Arrow keys move between tabs (one tab stop for the whole list).
  function onTabKey(event: KeyboardEvent<HTMLDivElement>) {
    const index = KINDS.indexOf(kind);
    const step = event.key === "ArrowRight" ? 1 : event.key === "ArrowLeft" ? -1 : 0;
    const target =
      event.key === "Home"
        ? 0
        : event.key === "End"
          ? KINDS.length - 1
          : step
            ? (index + step + KINDS.length) % KINDS.length
            : -1;
    if (target < 0) return;
    event.preventDefault();
    const next = KINDS[target] ?? "note";
    select(next);
    tabs.current[target]?.focus();
  }

  return (
    <div className="rounded-xl border border-slate-200 bg-white shadow-sm">
      <div
        role="tablist"
        aria-label="Add to the timeline"
        className="flex gap-1 overflow-x-auto border-b border-slate-200 px-2 pt-2"
        onKeyDown={onTabKey}
      >
        {KINDS.map((k, index) => (
          <button
            key={k}
            ref={(element) => {
              tabs.current[index] = element;
            }}
            type="button"
            role="tab"
            id={`${baseId}-${k}-tab`}
            aria-selected={kind === k}
            aria-controls={`${baseId}-panel`}
            tabIndex={kind === k ? 0 : -1}
            onClick={() => select(k)}
            className={`-mb-px shrink-0 rounded-t-lg border-b-2 px-3 py-2 text-sm font-medium ${focusRing} ${
              kind === k
                ? "border-indigo-600 text-indigo-700"
                : "border-transparent text-slate-500 hover:text-slate-800"
            }`}
          >
            {KIND_LABELS[k]}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${baseId}-panel`} aria-labelledby={`${baseId}-${kind}-tab`} className="p-3 sm:p-4">
        <ActivityForm
          key={kind}
          kind={kind}
          target={{ [TARGET_KEY[entityType]]: entityId }}
          defaultAssigneeId={me}
          submitLabel={SUBMIT[kind]}
          ariaLabel={`New ${KIND_LABELS[kind].toLowerCase()}`}
          pending={create.isPending}
          apiError={create.error}
          onSubmit={async (input) => {
            try {
              await create.mutateAsync(input as Parameters<typeof create.mutateAsync>[0]);
            } catch {
              return false;
            }
            await refresh();
            toast(DONE[kind]);
            return true;
          }}
        />
      </div>
    </div>
  );
}
