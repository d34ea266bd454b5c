"use client";

import {
  type InfiniteData,
  keepPreviousData,
  useInfiniteQuery,
  useMutation,
  useQueryClient,
} from "@tanstack/react-query";
import type { Route } from "next";
import Link from "next/link";
import { useEffect, useState } from "react";
import { Button, focusRing } from "~/components/button";
import { EmptyState } from "~/components/empty-state";
import { formatDue } from "~/components/records/due";
import { useMembers } from "~/components/records/hooks";
import { useToast } from "~/components/toast";
import { useOpenOnNewParam } from "~/hooks/use-new-param";
import { usePermissions } from "~/hooks/use-permissions";
import { useTimeZone } from "~/hooks/use-time-zone";
import { useTRPC } from "~/trpc/react";
import type { RouterOutputs } from "~/trpc/types";
import { NewTaskDialog } from "./new-task-dialog";
import { BUCKETS, type Bucket, tasksQuery } from "./tasks-query";
import { TasksSkeleton } from "./tasks-skeleton";

type TasksPage = RouterOutputs["crm"]["activities"]["tasks"];
type Task = TasksPage["items"][number];
type TasksData = InfiniteData<TasksPage, string | null>;

interface TasksViewProps {
  userId: string;
  initialEveryone: boolean;
  initialTimeZone: string;
}

export function TasksView({ userId, initialEveryone, initialTimeZone }: TasksViewProps) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const { can, organization } = usePermissions();
  const canWrite = can("activities.write");
  const mayViewEveryone = can("records.readAll") || organization?.recordVisibility === "all";
  const [everyone, setEveryone] = useState(initialEveryone && mayViewEveryone);
  const timeZone = useTimeZone(initialTimeZone);
  const [creating, setCreating] = useState(false);
  useOpenOnNewParam(() => setCreating(true), organization ? canWrite : undefined);
  const assigneeId = everyone ? undefined : userId;

  useEffect(() => {
    const url = new URL(window.location.href);
    if ((url.searchParams.get("view") === "everyone") === everyone) return;
    if (everyone) url.searchParams.set("view", "everyone");
    else url.searchParams.delete("view");
    window.history.replaceState(null, "", url);
  }, [everyone]);

  // While another scope or time zone loads, the tasks on screen stay (dimmed) instead of a blank page.
  const overdue = useInfiniteQuery({
    ...tasksQuery(trpc, "overdue", assigneeId, timeZone),
    placeholderData: keepPreviousData,
  });
  const today = useInfiniteQuery({
    ...tasksQuery(trpc, "today", assigneeId, timeZone),
    placeholderData: keepPreviousData,
  });
  const later = useInfiniteQuery({
    ...tasksQuery(trpc, "later", assigneeId, timeZone),
    placeholderData: keepPreviousData,
  });
  const groups = { overdue, today, later };
  const switching = BUCKETS.some((b) => groups[b.due].isPlaceholderData);

  const complete = useMutation(trpc.crm.activities.complete.mutationOptions());
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.crm.activities.tasks.pathKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.crm.activities.timeline.pathKey() }),
    ]);

  async function markDone(task: Task, bucket: Bucket) {
    const key = tasksQuery(trpc, bucket, assigneeId, timeZone).queryKey;
    await queryClient.cancelQueries({ queryKey: key });
    const previous = queryClient.getQueryData<TasksData>(key);
    queryClient.setQueryData<TasksData>(key, (data) =>
      data
        ? { ...data, pages: data.pages.map((page) => ({ ...page, items: page.items.filter((t) => t.id !== task.id) })) }
        : data,
    );
    try {
      await complete.mutateAsync({ id: task.id, done: true });
    } catch (error) {
      queryClient.setQueryData(key, previous);
      toast(`“${task.subject || "Task"}” wasn’t completed: ${error instanceof Error ? error.message : "try again"}`, {
        tone: "error",
      });
      return;
    }
    void refresh();
    toast(`Completed “${task.subject || "Task"}”.`, {
      action: {
        label: "Undo",
        onClick: () => {
          complete.mutateAsync({ id: task.id, done: false }).then(
            () => refresh(),
            (error: unknown) =>
              toast(`The task couldn’t be reopened: ${error instanceof Error ? error.message : "try again"}`, {
                tone: "error",
              }),
          );
        },
      },
    });
  }

  const loaded = BUCKETS.every((b) => groups[b.due].data);
  const total = BUCKETS.reduce((n, b) => n + (groups[b.due].data?.pages.flatMap((p) => p.items).length ?? 0), 0);

  return (
    <div className="mx-auto max-w-4xl px-4 py-6 sm:px-6 sm:py-8">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0">
          <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Tasks</h1>
          <p className="mt-1 text-sm text-slate-600">
            {everyone ? "Open tasks across your organization." : "Your open tasks, soonest first."}
          </p>
        </div>
        <div className="flex items-center gap-2">
          {mayViewEveryone ? <ScopeToggle everyone={everyone} onChange={setEveryone} /> : null}
          {canWrite ? (
            <Button onClick={() => setCreating(true)}>
              <svg className="-ml-0.5 size-4" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true">
                <path d="M10.75 4.75a.75.75 0 0 0-1.5 0v4.5h-4.5a.75.75 0 0 0 0 1.5h4.5v4.5a.75.75 0 0 0 1.5 0v-4.5h4.5a.75.75 0 0 0 0-1.5h-4.5v-4.5Z" />
              </svg>
              New task
            </Button>
          ) : null}
        </div>
      </div>

      {!loaded ? (
        <TasksSkeleton />
      ) : total === 0 ? (
        <EmptyState
          className="mt-6"
          icon={
            <svg className="size-5" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true">
              <path
                fillRule="evenodd"
                d="M16.7 5.3a1 1 0 0 1 0 1.4l-8 8a1 1 0 0 1-1.4 0l-4-4a1 1 0 1 1 1.4-1.4L8 12.58l7.3-7.3a1 1 0 0 1 1.4 0Z"
                clipRule="evenodd"
              />
            </svg>
          }
          title="No tasks — create one"
          description={
            everyone
              ? "Nobody in your organization has an open task."
              : "Tasks assigned to you show up here, grouped by when they are due."
          }
          action={canWrite ? <Button onClick={() => setCreating(true)}>New task</Button> : null}
        />
      ) : (
        <div className={`mt-6 space-y-6 transition-opacity ${switching ? "opacity-60" : ""}`} aria-busy={switching}>
          {BUCKETS.map((bucket) => {
            const query = groups[bucket.due];
            const tasks = query.data?.pages.flatMap((page) => page.items) ?? [];
            if (tasks.length === 0) return null;
            return (
              <section key={bucket.due} aria-labelledby={`tasks-${bucket.due}`}>
                <h2
                  id={`tasks-${bucket.due}`}
                  className={`mb-2 flex items-center gap-2 text-sm font-semibold ${bucket.due === "overdue" ? "text-red-700" : "text-slate-900"}`}
                >
                  {bucket.title}
                  <span className="rounded-full bg-slate-100 px-2 py-0.5 text-xs font-medium text-slate-600">
                    {tasks.length}
                    {query.hasNextPage ? "+" : ""}
                  </span>
                </h2>
                <ul
                  aria-labelledby={`tasks-${bucket.due}`}
                  className="divide-y divide-slate-100 overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm"
                >
                  {tasks.map((task) => (
                    <TaskRow
                      key={task.id}
                      task={task}
                      overdue={bucket.due === "overdue"}
                      showAssignee={everyone}
                      canComplete={canWrite}
                      onComplete={() => void markDone(task, bucket.due)}
                    />
                  ))}
                </ul>
                {query.hasNextPage ? (
                  <div className="mt-2 flex justify-center">
                    <Button
                      variant="secondary"
                      size="sm"
                      pending={query.isFetchingNextPage}
                      onClick={() => query.fetchNextPage()}
                    >
                      Show more
                    </Button>
                  </div>
                ) : null}
              </section>
            );
          })}
        </div>
      )}
      <NewTaskDialog
        open={creating}
        defaultAssigneeId={userId}
        onClose={() => setCreating(false)}
        onCreated={() => refresh()}
      />
    </div>
  );
}

function ScopeToggle({ everyone, onChange }: { everyone: boolean; onChange: (everyone: boolean) => void }) {
  const option = (value: boolean, label: string) => (
    <button
      type="button"
      aria-pressed={everyone === value}
      onClick={() => onChange(value)}
      className={`rounded-md px-3 py-1.5 text-sm font-medium ${focusRing} ${
        everyone === value ? "bg-white text-slate-900 shadow-sm" : "text-slate-600 hover:text-slate-900"
      }`}
    >
      {label}
    </button>
  );
  return (
    // biome-ignore lint/a11y/useSemanticElements: a pair of toggle buttons, not a form's fieldset.
    <div role="group" aria-label="Whose tasks" className="flex rounded-lg bg-slate-100 p-1">
      {option(false, "Mine")}
      {option(true, "Everyone")}
    </div>
  );
}

function relatedLink(task: Task): { href: Route; label: string } | null {
  if (task.dealId && task.dealTitle) return { href: `/deals/${task.dealId}` as Route, label: task.dealTitle };
  if (task.contactId && task.contactName)
    return { href: `/contacts/${task.contactId}` as Route, label: task.contactName };
  if (task.companyId && task.companyName)
    return { href: `/companies/${task.companyId}` as Route, label: task.companyName };
  return null;
}

function TaskRow({
  task,
  overdue,
  showAssignee,
  canComplete,
  onComplete,
}: {
  task: Task;
  overdue: boolean;
  showAssignee: boolean;
  canComplete: boolean;
  onComplete: () => void;
}) {
  const members = useMembers();
  const related = relatedLink(task);
  const subject = task.subject || "Untitled task";
  return (
    <li className="flex items-start gap-3 px-4 py-3">
      <input
        type="checkbox"
        checked={false}
        disabled={!canComplete}
        onChange={onComplete}
        aria-label={`Complete “${subject}”`}
        className="mt-0.5 size-5 shrink-0 cursor-pointer rounded-full border-slate-300 accent-indigo-600 disabled:cursor-default"
      />
      <div className="min-w-0 flex-1">
        <p className="text-sm font-medium break-words text-slate-900">{subject}</p>
        <p className="mt-0.5 flex flex-wrap items-center gap-x-2 gap-y-0.5 text-xs text-slate-500">
          {related ? (
            <Link
              href={related.href}
              className={`truncate rounded-sm text-indigo-600 hover:text-indigo-500 ${focusRing}`}
            >
              {related.label}
            </Link>
          ) : task.contactId || task.companyId || task.dealId ? (
            <span>A record you can’t see</span>
          ) : (
            <span>Personal to-do</span>
          )}
          {showAssignee ? <span>· {task.assigneeId ? members.name(task.assigneeId) : "Unassigned"}</span> : null}
        </p>
      </div>
      {task.dueAt ? (
        <time
          dateTime={task.dueAt.toISOString()}
          suppressHydrationWarning
          className={`shrink-0 text-xs font-medium ${overdue ? "text-red-600" : "text-slate-500"}`}
        >
          {formatDue(task.dueAt)}
        </time>
      ) : (
        <span className="shrink-0 text-xs text-slate-500">No date</span>
      )}
    </li>
  );
}
