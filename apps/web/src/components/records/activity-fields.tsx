"use client";

import { type ReactNode, useState } from "react";
import { TextAreaField, TextField } from "~/components/field";
import { MemberSelect } from "~/components/member-select";
import type { FieldErrors } from "~/forms/errors";
import type { RouterOutputs } from "~/trpc/types";
import { dueAtFrom, dueInputs, localDateTimeInput } from "./due";

export type Activity = RouterOutputs["crm"]["activities"]["get"];
export type ActivityKind = Activity["kind"];

export const KIND_LABELS: Record<ActivityKind, string> = {
  note: "Note",
  task: "Task",
  call: "Call",
  meeting: "Meeting",
};

/**
 * The form values of one kind of activity as the API takes them. Empty inputs become absent (or
 * null when editing, which clears them).
 */
export function activityValues(
  kind: ActivityKind,
  values: Record<string, string>,
  assigneeId: string | null,
  editing: boolean,
): Record<string, unknown> {
  const blank = editing ? null : undefined;
  const text = (name: string) => (values[name]?.trim() ? values[name] : blank);
  switch (kind) {
    case "note":
      return { subject: values.subject ?? "", body: values.body ?? "" };
    case "task":
      return {
        subject: values.subject ?? "",
        body: text("body"),
        dueAt: values.dueDate ? (dueAtFrom(values.dueDate, values.dueTime ?? "") ?? "invalid") : blank,
        assigneeId: assigneeId ?? blank,
      };
    case "call":
    case "meeting": {
      const minutes = values.durationMinutes?.trim();
      return {
        subject: values.subject ?? "",
        body: text("body"),
        occurredAt: values.occurredAt ? new Date(values.occurredAt) : undefined,
        durationMinutes: minutes ? Number(minutes) : blank,
        outcome: text("outcome"),
      };
    }
  }
}

/** Client-side rules the API states as "optional" but a person means as required. */
export function requiredMessages(kind: ActivityKind, values: Record<string, string>): FieldErrors {
  if (kind === "note" && !values.body?.trim()) return { body: "Write the note first." };
  if (kind === "task" && !values.subject?.trim()) return { subject: "Give the task a title." };
  if (values.dueTime && !values.dueDate) return { dueAt: "Choose a date for this time." };
  return {};
}

interface ActivityFieldsProps {
  kind: ActivityKind;
  /** The activity being edited, for its current values. */
  activity?: Activity | undefined;
  errors: FieldErrors;
  assigneeId: string | null;
  onAssigneeChange: (userId: string | null) => void;
  /** Extra fields for a task (the record it is attached to, on the tasks page). */
  children?: ReactNode;
}

/** The inputs of a note, task, call or meeting, shared by the composer and the edit dialog. */
export function ActivityFields({
  kind,
  activity,
  errors,
  assigneeId,
  onAssigneeChange,
  children,
}: ActivityFieldsProps) {
  // Computed once on the client when the form opens, so "now" is the reader's now.
  const [now] = useState(() => localDateTimeInput(new Date()));
  const due = dueInputs(activity?.dueAt ?? null);

  if (kind === "note") {
    return (
      <>
        <TextAreaField
          label="Note"
          name="body"
          rows={4}
          defaultValue={activity?.body ?? ""}
          placeholder="What happened, what was agreed, what comes next…"
          error={errors.body}
        />
        <p className="-mt-4 mb-1 text-xs text-slate-500">
          Markdown works: **bold**, *italic*, lists with “-”, [links](https://…).
        </p>
      </>
    );
  }

  if (kind === "task") {
    return (
      <div className="grid gap-x-3 sm:grid-cols-2">
        <div className="sm:col-span-2">
          <TextField
            label="Title"
            name="subject"
            autoComplete="off"
            defaultValue={activity?.subject ?? ""}
            placeholder="Send the proposal"
            error={errors.subject}
          />
        </div>
        <TextField label="Due date" name="dueDate" type="date" optional defaultValue={due.date} error={errors.dueAt} />
        <TextField
          label="Time"
          name="dueTime"
          type="time"
          optional
          defaultValue={due.time}
          hint="Leave empty for the end of the day."
        />
        <div className="pt-1 pb-5 sm:col-span-2">
          <MemberSelect
            label="Assignee"
            value={assigneeId}
            onChange={onAssigneeChange}
            allowEmpty
            emptyLabel="Nobody"
            error={errors.assigneeId}
          />
        </div>
        {children ? <div className="sm:col-span-2">{children}</div> : null}
        <div className="sm:col-span-2">
          <TextAreaField
            label="Details"
            name="body"
            rows={2}
            optional
            defaultValue={activity?.body ?? ""}
            error={errors.body}
          />
        </div>
      </div>
    );
  }

  return (
    <div className="grid gap-x-3 sm:grid-cols-2">
      <div className="sm:col-span-2">
        <TextField
          label="Subject"
          name="subject"
          autoComplete="off"
          optional
          defaultValue={activity?.subject ?? ""}
          placeholder={kind === "call" ? "Intro call" : "Kick-off meeting"}
          error={errors.subject}
        />
      </div>
      <TextField
        label="When"
        name="occurredAt"
        type="datetime-local"
        defaultValue={activity ? localDateTimeInput(activity.occurredAt) : now}
        error={errors.occurredAt}
      />
      <TextField
        label="Duration (minutes)"
        name="durationMinutes"
        type="number"
        inputMode="numeric"
        min={0}
        max={1440}
        optional
        defaultValue={activity?.durationMinutes ?? ""}
        error={errors.durationMinutes}
      />
      <div className="sm:col-span-2">
        <TextField
          label="Outcome"
          name="outcome"
          autoComplete="off"
          optional
          defaultValue={activity?.outcome ?? ""}
          placeholder={kind === "call" ? "Interested, call back in May" : "Agreed on next steps"}
          error={errors.outcome}
        />
      </div>
      <div className="sm:col-span-2">
        <TextAreaField
          label="Notes"
          name="body"
          rows={3}
          optional
          defaultValue={activity?.body ?? ""}
          error={errors.body}
        />
      </div>
    </div>
  );
}
