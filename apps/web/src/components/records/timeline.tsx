"use client";

import {
  type InfiniteData,
  useMutation,
  useQuery,
  useQueryClient,
  useSuspenseInfiniteQuery,
} from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { Button, focusRing } from "~/components/button";
import { ConfirmDialog } from "~/components/confirm-dialog";
import { Dialog } from "~/components/dialog";
import { EmptyState } from "~/components/empty-state";
import { Menu, MenuContent, MenuItem, MenuTrigger } from "~/components/menu";
import { useToast } from "~/components/toast";
import { usePermissions } from "~/hooks/use-permissions";
import { formatDateTime, formatRelative } from "~/lib/format";
import { useTRPC } from "~/trpc/react";
import type { Activity } from "./activity-fields";
import { KIND_LABELS } from "./activity-fields";
import { ActivityForm } from "./activity-form";
import { type Change, describeChange, type NameBook, type TimelineItem, type TimelinePage } from "./change-text";
import { Composer } from "./composer";
import { formatDue } from "./due";
import { useMembers, useRefreshActivities } from "./hooks";
import { Markdown } from "./markdown";
import { type RecordType, timelineQuery } from "./queries";

interface TimelineProps {
  entityType: RecordType;
  entityId: string;
  /** A deal's currency, to read its amount changes. */
  currency?: string;
}

/** A record's notes, tasks, calls, meetings and changes, newest first, with the composer on top. */
export function Timeline({ entityType, entityId, currency }: TimelineProps) {
  const trpc = useTRPC();
  const { can } = usePermissions();
  const canWrite = can("activities.write");
  const timeline = useSuspenseInfiniteQuery(timelineQuery(trpc, entityType, entityId));
  const members = useMembers();
  const tags = useQuery(trpc.crm.tags.list.queryOptions());
  const fields = useQuery(trpc.crm.customFields.list.queryOptions({ entityType }));
  const pipelines = useQuery({ ...trpc.crm.pipelines.list.queryOptions(), enabled: entityType === "deal" });

  const names = useMemo<NameBook>(() => {
    const recordNames = Object.assign({}, ...timeline.data.pages.map((page) => page.names)) as Record<string, string>;
    const stages = new Map((pipelines.data ?? []).flatMap((p) => p.stages.map((s) => [s.id, s.name] as const)));
    const tagNames = new Map((tags.data ?? []).map((t) => [t.id, t.name]));
    const fieldLabels = new Map((fields.data ?? []).map((f) => [f.key, f.label]));
    return {
      member: (id) => (id && id === members.me ? "you" : members.name(id)),
      stage: (id) => stages.get(id),
      tag: (id) => tagNames.get(id),
      customField: (key) => fieldLabels.get(key),
      record: (id) => recordNames[id],
      ...(currency ? { currency } : {}),
    };
  }, [timeline.data.pages, pipelines.data, tags.data, fields.data, members, currency]);

  const items = timeline.data.pages.flatMap((page) => page.items);
  return (
    <section aria-labelledby="timeline-heading" className="min-w-0">
      <h2 id="timeline-heading" className="sr-only">
        Timeline
      </h2>
      {canWrite ? <Composer entityType={entityType} entityId={entityId} /> : null}
      {items.length === 0 ? (
        <EmptyState
          className="mt-4"
          title="Nothing here yet"
          description={
            canWrite
              ? "Add a note, a task or log a call above: it shows up here with every change to this record."
              : "Notes, tasks, calls and changes to this record show up here."
          }
        />
      ) : (
        <ol
          aria-label="Timeline"
          className="relative mt-5 space-y-4 before:absolute before:top-2 before:bottom-2 before:left-4 before:w-px before:bg-slate-200"
        >
          {items.map((item) => (
            <li key={item.type === "activity" ? item.activity.id : item.change.id} className="relative pl-11">
              {item.type === "activity" ? (
                <ActivityEntry
                  activity={item.activity}
                  entityType={entityType}
                  entityId={entityId}
                  mine={item.activity.createdBy !== null && item.activity.createdBy === members.me}
                  canWrite={canWrite}
                  author={members.name(item.activity.createdBy)}
                  assignee={item.activity.assigneeId ? members.name(item.activity.assigneeId) : null}
                />
              ) : (
                <ChangeEntry change={item.change} at={item.at} entityType={entityType} names={names} />
              )}
            </li>
          ))}
        </ol>
      )}
      <div className="mt-4 flex min-h-10 justify-center">
        {timeline.hasNextPage ? (
          <Button variant="secondary" pending={timeline.isFetchingNextPage} onClick={() => timeline.fetchNextPage()}>
            {timeline.isFetchingNextPage ? "Loading…" : "Show older"}
          </Button>
        ) : null}
      </div>
    </section>
  );
}

function When({ at }: { at: Date }) {
  return (
    <time dateTime={at.toISOString()} title={formatDateTime(at)} suppressHydrationWarning className="text-slate-500">
      {formatRelative(at)}
    </time>
  );
}

function ChangeEntry({
  change,
  at,
  entityType,
  names,
}: {
  change: Change;
  at: Date;
  entityType: RecordType;
  names: NameBook;
}) {
  const actor = names.member(change.changedBy);
  return (
    <div className="flex min-h-8 items-start gap-2 text-sm">
      <span className="absolute top-1 left-2 flex size-4 items-center justify-center rounded-full bg-white ring-4 ring-white">
        <span className="size-2 rounded-full bg-slate-300" />
      </span>
      <p className="min-w-0 pt-0.5 text-slate-600">
        <span className="font-medium text-slate-900">{actor === "you" ? "You" : actor}</span>{" "}
        {describeChange(change, entityType, names)} <span aria-hidden="true">·</span> <When at={at} />
      </p>
    </div>
  );
}

const KIND_ICON_PATH: Record<Activity["kind"], string> = {
  note: "M4 4.75A2.75 2.75 0 0 1 6.75 2h6.5A2.75 2.75 0 0 1 16 4.75v10.5A2.75 2.75 0 0 1 13.25 18h-6.5A2.75 2.75 0 0 1 4 15.25V4.75ZM7 6.75a.75.75 0 0 0 0 1.5h6a.75.75 0 0 0 0-1.5H7Zm0 3a.75.75 0 0 0 0 1.5h6a.75.75 0 0 0 0-1.5H7Zm0 3a.75.75 0 0 0 0 1.5h3a.75.75 0 0 0 0-1.5H7Z",
  task: "M16.7 5.3a1 1 0 0 1 0 1.4l-8 8a1 1 0 0 1-1.4 0l-4-4a1 1 0 1 1 1.4-1.4L8 12.58l7.3-7.3a1 1 0 0 1 1.4 0Z",
  call: "M2 3.5A1.5 1.5 0 0 1 3.5 2h1.15a1.5 1.5 0 0 1 1.46 1.14l.52 2.08a1.5 1.5 0 0 1-.56 1.57l-.9.68a.5.5 0 0 0-.16.59 7.5 7.5 0 0 0 3.93 3.93.5.5 0 0 0 .59-.16l.68-.9a1.5 1.5 0 0 1 1.57-.56l2.08.52A1.5 1.5 0 0 1 16 12.35v1.15a1.5 1.5 0 0 1-1.5 1.5H13C7 15 2 10 2 4V3.5Z",
  meeting:
    "M5.75 2a.75.75 0 0 1 .75.75V4h7V2.75a.75.75 0 0 1 1.5 0V4h.25A2.75 2.75 0 0 1 18 6.75v8.5A2.75 2.75 0 0 1 15.25 18H4.75A2.75 2.75 0 0 1 2 15.25v-8.5A2.75 2.75 0 0 1 4.75 4H5V2.75A.75.75 0 0 1 5.75 2Zm-1 5.5c-.69 0-1.25.56-1.25 1.25v6.5c0 .69.56 1.25 1.25 1.25h10.5c.69 0 1.25-.56 1.25-1.25v-6.5c0-.69-.56-1.25-1.25-1.25H4.75Z",
};
const KIND_TONE: Record<Activity["kind"], string> = {
  note: "bg-amber-100 text-amber-700",
  task: "bg-indigo-100 text-indigo-700",
  call: "bg-emerald-100 text-emerald-700",
  meeting: "bg-sky-100 text-sky-700",
};
const KIND_VERB: Record<Activity["kind"], string> = {
  note: "added a note",
  task: "added a task",
  call: "logged a call",
  meeting: "logged a meeting",
};

interface ActivityEntryProps {
  activity: Activity;
  entityType: RecordType;
  entityId: string;
  mine: boolean;
  canWrite: boolean;
  author: string;
  assignee: string | null;
}

function ActivityEntry({ activity, entityType, entityId, mine, canWrite, author, assignee }: ActivityEntryProps) {
  const [dialog, setDialog] = useState<"edit" | "delete" | null>(null);
  const label = KIND_LABELS[activity.kind];
  const title = activity.subject || (activity.kind === "note" ? null : label);
  const done = activity.doneAt !== null;
  const overdue = activity.kind === "task" && !done && activity.dueAt !== null && activity.dueAt < new Date();
  return (
    <article
      aria-label={`${label}${activity.subject ? `: ${activity.subject}` : ""}`}
      className="rounded-xl border border-slate-200 bg-white p-3 shadow-sm sm:p-4"
    >
      <span
        className={`absolute top-1 left-0.5 flex size-7 items-center justify-center rounded-full ring-4 ring-slate-50 ${KIND_TONE[activity.kind]}`}
      >
        <svg className="size-3.5" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true">
          <path fillRule="evenodd" clipRule="evenodd" d={KIND_ICON_PATH[activity.kind]} />
        </svg>
      </span>
      <div className="flex items-start gap-2">
        {activity.kind === "task" ? (
          <TaskCheckbox activity={activity} entityType={entityType} entityId={entityId} disabled={!canWrite} />
        ) : null}
        <div className="min-w-0 flex-1">
          <p className="text-xs text-slate-500">
            <span className="font-medium text-slate-700">{author}</span> {KIND_VERB[activity.kind]}{" "}
            <span aria-hidden="true">·</span> <When at={activity.occurredAt} />
          </p>
          {title ? (
            <h3
              className={`mt-0.5 text-sm font-semibold break-words ${done ? "text-slate-500 line-through" : "text-slate-900"}`}
            >
              {title}
            </h3>
          ) : null}
        </div>
        {mine && canWrite ? (
          <Menu>
            <MenuTrigger
              className={`-mt-1 -mr-1 rounded-md p-1.5 text-slate-400 hover:bg-slate-100 hover:text-slate-700 ${focusRing}`}
            >
              <svg className="size-4" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true">
                <path d="M3 10a1.5 1.5 0 1 1 3 0 1.5 1.5 0 0 1-3 0Zm5.5 0a1.5 1.5 0 1 1 3 0 1.5 1.5 0 0 1-3 0ZM15.5 8.5a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3Z" />
              </svg>
              <span className="sr-only">Actions for this {label.toLowerCase()}</span>
            </MenuTrigger>
            <MenuContent>
              <MenuItem onSelect={() => setDialog("edit")}>Edit {label.toLowerCase()}</MenuItem>
              <MenuItem tone="danger" onSelect={() => setDialog("delete")}>
                Delete {label.toLowerCase()}
              </MenuItem>
            </MenuContent>
          </Menu>
        ) : null}
      </div>
      {activity.body ? <Markdown source={activity.body} className="mt-2" /> : null}
      <ActivityMeta activity={activity} assignee={assignee} overdue={overdue} />
      <EditActivityDialog
        activity={dialog === "edit" ? activity : null}
        entityType={entityType}
        entityId={entityId}
        onClose={() => setDialog(null)}
      />
      <DeleteActivityDialog
        activity={dialog === "delete" ? activity : null}
        entityType={entityType}
        entityId={entityId}
        onClose={() => setDialog(null)}
      />
    </article>
  );
}

function ActivityMeta({
  activity,
  assignee,
  overdue,
}: {
  activity: Activity;
  assignee: string | null;
  overdue: boolean;
}) {
  const parts: React.ReactNode[] = [];
  if (activity.kind === "task") {
    if (activity.doneAt)
      parts.push(
        <span key="done" className="text-emerald-700">
          Done
        </span>,
      );
    if (activity.dueAt) {
      parts.push(
        // "Overdue" depends on the clock, which differs between the server's render and the browser's.
        <span key="due" className={overdue ? "font-medium text-red-600" : undefined} suppressHydrationWarning>
          {overdue ? "Overdue · " : "Due "}
          <time dateTime={activity.dueAt.toISOString()} suppressHydrationWarning>
            {formatDue(activity.dueAt)}
          </time>
        </span>,
      );
    }
    parts.push(<span key="who">{assignee ? `Assigned to ${assignee}` : "Unassigned"}</span>);
  }
  if (activity.kind === "call" || activity.kind === "meeting") {
    if (activity.durationMinutes !== null) parts.push(<span key="min">{activity.durationMinutes} min</span>);
    if (activity.outcome) {
      parts.push(
        <span key="outcome">
          Outcome: <span className="text-slate-700">{activity.outcome}</span>
        </span>,
      );
    }
  }
  if (parts.length === 0) return null;
  return <p className="mt-2 flex flex-wrap gap-x-3 gap-y-1 text-xs text-slate-500">{parts}</p>;
}

type TimelineData = InfiniteData<TimelinePage, string | null>;

/** Replaces one activity in every loaded page of a timeline. */
function patchActivity(data: TimelineData | undefined, id: string, patch: (a: Activity) => Activity) {
  if (!data) return data;
  return {
    ...data,
    pages: data.pages.map((page) => ({
      ...page,
      items: page.items.map(
        (item): TimelineItem =>
          item.type === "activity" && item.activity.id === id ? { ...item, activity: patch(item.activity) } : item,
      ),
    })),
  };
}

function TaskCheckbox({
  activity,
  entityType,
  entityId,
  disabled,
}: {
  activity: Activity;
  entityType: RecordType;
  entityId: string;
  disabled: boolean;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const key = timelineQuery(trpc, entityType, entityId).queryKey;
  const refresh = useRefreshActivities(entityType, entityId);
  const complete = useMutation(
    trpc.crm.activities.complete.mutationOptions({
      onMutate: async ({ done }) => {
        await queryClient.cancelQueries({ queryKey: key });
        const previous = queryClient.getQueryData<TimelineData>(key);
        queryClient.setQueryData<TimelineData>(key, (data) =>
          patchActivity(data, activity.id, (a) => ({ ...a, doneAt: done ? new Date() : null })),
        );
        return { previous };
      },
      onError: (error, _input, context) => {
        queryClient.setQueryData(key, context?.previous);
        toast(`The task wasn’t updated: ${error.message}`, { tone: "error" });
      },
      onSettled: () => refresh(),
    }),
  );
  // The box follows the click at once; the timeline's copy follows when the cache is patched.
  const [ticked, setTicked] = useState<boolean | null>(null);
  const done = ticked ?? activity.doneAt !== null;
  return (
    <input
      type="checkbox"
      checked={done}
      disabled={disabled}
      onChange={(event) => {
        setTicked(event.target.checked);
        complete.mutate({ id: activity.id, done: event.target.checked }, { onSettled: () => setTicked(null) });
      }}
      aria-label={`${done ? "Mark as not done" : "Mark as done"}: ${activity.subject || "task"}`}
      className="mt-0.5 size-4.5 shrink-0 cursor-pointer rounded border-slate-300 accent-indigo-600 disabled:cursor-default"
    />
  );
}

function EditActivityDialog({
  activity,
  entityType,
  entityId,
  onClose,
}: {
  activity: Activity | null;
  entityType: RecordType;
  entityId: string;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const toast = useToast();
  const refresh = useRefreshActivities(entityType, entityId);
  const update = useMutation(trpc.crm.activities.update.mutationOptions());
  const label = activity ? KIND_LABELS[activity.kind] : "";
  return (
    <Dialog
      open={activity !== null}
      onClose={() => {
        update.reset();
        onClose();
      }}
      title={`Edit ${label.toLowerCase()}`}
    >
      {activity ? (
        <ActivityForm
          key={activity.id}
          kind={activity.kind}
          activity={activity}
          submitLabel="Save changes"
          ariaLabel={`Edit ${label.toLowerCase()}`}
          pending={update.isPending}
          apiError={update.error}
          onCancel={() => {
            update.reset();
            onClose();
          }}
          onSubmit={async (input) => {
            try {
              await update.mutateAsync(input as Parameters<typeof update.mutateAsync>[0]);
            } catch {
              return false;
            }
            await refresh();
            toast(`${label} saved.`);
            onClose();
            return true;
          }}
        />
      ) : null}
    </Dialog>
  );
}

function DeleteActivityDialog({
  activity,
  entityType,
  entityId,
  onClose,
}: {
  activity: Activity | null;
  entityType: RecordType;
  entityId: string;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const toast = useToast();
  const refresh = useRefreshActivities(entityType, entityId);
  const remove = useMutation(
    trpc.crm.activities.delete.mutationOptions({
      onSuccess: async () => {
        await refresh();
        toast(`${activity ? KIND_LABELS[activity.kind] : "Activity"} deleted.`);
        onClose();
      },
    }),
  );
  const label = activity ? KIND_LABELS[activity.kind].toLowerCase() : "activity";
  return (
    <ConfirmDialog
      open={activity !== null}
      title={`Delete this ${label}?`}
      description={`It disappears from the timeline for everyone. This can’t be undone.`}
      confirmLabel={`Delete ${label}`}
      pending={remove.isPending}
      error={remove.error?.message ?? null}
      onConfirm={() => activity && remove.mutate({ id: activity.id })}
      onClose={() => {
        remove.reset();
        onClose();
      }}
    />
  );
}
