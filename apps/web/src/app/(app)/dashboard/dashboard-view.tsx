"use client";

import { useQuery } from "@tanstack/react-query";
import type { Route } from "next";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { type ReactNode, useId, useState } from "react";
import { Button, buttonClass, focusRing } from "~/components/button";
import { EmptyState } from "~/components/empty-state";
import { useTimeZone } from "~/hooks/use-time-zone";
import { formatDateTime, formatMoney, formatNumber, formatRelative } from "~/lib/format";
import { useTRPC } from "~/trpc/react";
import type { RouterOutputs } from "~/trpc/types";
import { ActivityChart, ForecastChart, StageChart, WonLostChart } from "./charts";
import { activityRows, currenciesOf, forecastRows, kpis, lastMonths, stageRows, wonLostRows } from "./dashboard-model";
import { dashboardQueries, WON_LOST_MONTHS } from "./dashboard-queries";
import { DashboardSkeleton } from "./dashboard-skeleton";

type Pipeline = RouterOutputs["crm"]["pipelines"]["list"][number];
type Task = RouterOutputs["crm"]["activities"]["tasks"]["items"][number];

export function DashboardView({ initialTimeZone }: { initialTimeZone: string }) {
  const trpc = useTRPC();
  const timeZone = useTimeZone(initialTimeZone);
  const searchParams = useSearchParams();
  const pipelines = useQuery(trpc.crm.pipelines.list.queryOptions());
  const all = pipelines.data ?? [];
  const pipeline = all.find((p) => p.id === searchParams.get("pipeline")) ?? all[0] ?? null;

  function choosePipeline(id: string) {
    const url = new URL(window.location.href);
    url.searchParams.set("pipeline", id);
    window.history.pushState(null, "", url);
  }

  return (
    <div className="mx-auto max-w-7xl px-4 py-6 sm:px-6 sm:py-8">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0">
          <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Dashboard</h1>
          <p className="mt-1 text-sm text-slate-600">Where your pipeline stands and what needs doing today.</p>
        </div>
        {all.length > 1 && pipeline ? (
          <PipelinePicker pipelines={all} value={pipeline.id} onChange={choosePipeline} />
        ) : null}
      </div>
      {pipelines.isError ? (
        <LoadError message={pipelines.error.message} onRetry={() => pipelines.refetch()} />
      ) : pipeline ? (
        <PipelineDashboard key={pipeline.id} pipeline={pipeline} timeZone={timeZone} />
      ) : pipelines.isPending ? null : (
        <NoDeals />
      )}
      <TasksPanel timeZone={timeZone} />
    </div>
  );
}

function PipelineDashboard({ pipeline, timeZone }: { pipeline: Pipeline; timeZone: string }) {
  const trpc = useTRPC();
  const figures = useQuery(dashboardQueries.pipeline(trpc, pipeline.id));
  const wonLost = useQuery(dashboardQueries.wonLost(trpc, timeZone));
  const activities = useQuery(dashboardQueries.activities(trpc, timeZone));
  const taskCounts = useQuery(dashboardQueries.taskCounts(trpc, timeZone));
  const currencies = currenciesOf(figures.data, wonLost.data ?? []);
  const [chosenCurrency, setCurrency] = useState<string | null>(null);
  const currency = chosenCurrency && currencies.includes(chosenCurrency) ? chosenCurrency : (currencies[0] ?? "EUR");

  const failed = [figures, wonLost, activities, taskCounts].find((q) => q.isError);
  if (failed?.error) return <LoadError message={failed.error.message} onRetry={() => failed.refetch()} />;
  if (!figures.data || !wonLost.data || !activities.data || !taskCounts.data) return <DashboardSkeleton />;

  const stages = stageRows(figures.data, pipeline.stages, currency);
  const months = lastMonths(WON_LOST_MONTHS, timeZone);
  const thisMonth = months.at(-1) ?? "";
  const figuresNow = kpis(stages, wonLost.data, currency, thisMonth);
  const overdue = taskCounts.data.reduce((sum, row) => sum + row.overdue, 0);
  const dueToday = taskCounts.data.reduce((sum, row) => sum + row.today, 0);
  const hasDeals = stages.some((s) => s.count > 0) || wonLost.data.length > 0;

  if (!hasDeals) return <NoDeals pipelineName={pipeline.name} />;
  return (
    <>
      {currencies.length > 1 ? (
        <CurrencyPicker currencies={currencies} value={currency} onChange={setCurrency} />
      ) : null}
      <section aria-label="Key figures" className="mt-6 grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <Kpi
          label="Open pipeline"
          value={formatMoney(figuresNow.openValue, currency)}
          detail={`${formatNumber(figuresNow.openDeals)} open ${figuresNow.openDeals === 1 ? "deal" : "deals"} in ${pipeline.name}`}
        />
        <Kpi
          label="Weighted value"
          value={formatMoney(figuresNow.weighted, currency)}
          detail="Open value × each stage’s probability"
        />
        <Kpi
          label="Won this month"
          value={formatMoney(figuresNow.wonThisMonth, currency)}
          detail={`${formatNumber(figuresNow.wonDealsThisMonth)} ${figuresNow.wonDealsThisMonth === 1 ? "deal" : "deals"} won`}
        />
        <Kpi
          label="Overdue tasks"
          value={formatNumber(overdue)}
          detail={`${formatNumber(dueToday)} more due today`}
          tone={overdue > 0 ? "alert" : "normal"}
        />
      </section>
      <div className="mt-6 grid grid-cols-1 gap-4 lg:grid-cols-2">
        <StageChart rows={stages} currency={currency} />
        <ForecastChart rows={forecastRows(figures.data, currency)} currency={currency} />
        <WonLostChart rows={wonLostRows(wonLost.data, months, currency)} currency={currency} />
        <ActivityChart rows={activityRows(activities.data)} />
      </div>
    </>
  );
}

function Kpi({
  label,
  value,
  detail,
  tone = "normal",
}: {
  label: string;
  value: string;
  detail: string;
  tone?: "normal" | "alert";
}) {
  return (
    <div className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm" data-testid="kpi">
      <p className="text-sm font-medium text-slate-600">{label}</p>
      <p
        className={`mt-1 truncate text-2xl font-semibold tracking-tight tabular-nums ${tone === "alert" ? "text-red-600" : "text-slate-900"}`}
      >
        {value}
      </p>
      <p className="mt-1 truncate text-xs text-slate-500">{detail}</p>
    </div>
  );
}

function TasksPanel({ timeZone }: { timeZone: string }) {
  const trpc = useTRPC();
  const overdue = useQuery(dashboardQueries.overdueTasks(trpc, timeZone));
  const today = useQuery(dashboardQueries.todayTasks(trpc, timeZone));
  const members = useQuery(trpc.auth.members.list.queryOptions(undefined, { staleTime: 60_000 }));
  const names = new Map((members.data ?? []).map((m) => [m.userId, m.name]));
  const overdueIds = new Set((overdue.data?.items ?? []).map((t) => t.id));
  // A task due earlier today is overdue already: listed once, there.
  const laterToday = (today.data?.items ?? []).filter((t) => !overdueIds.has(t.id));

  return (
    <section
      aria-labelledby="tasks-heading"
      className="mt-6 rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:p-5"
    >
      <div className="flex items-center justify-between gap-3">
        <h2 id="tasks-heading" className="text-base font-semibold text-slate-900">
          Tasks to do
        </h2>
        <Link
          href={"/tasks" as Route}
          className={`text-sm font-medium text-indigo-600 hover:text-indigo-500 rounded-sm ${focusRing}`}
        >
          All tasks
        </Link>
      </div>
      <div className="mt-3 grid grid-cols-1 gap-6 md:grid-cols-2">
        <TaskList
          title="Overdue"
          tasks={overdue.data?.items ?? []}
          more={Boolean(overdue.data?.nextCursor)}
          names={names}
          empty="Nothing overdue. Nice work."
          pending={overdue.isPending}
          overdue
        />
        <TaskList
          title="Due today"
          tasks={laterToday}
          more={Boolean(today.data?.nextCursor)}
          names={names}
          empty="Nothing else due today."
          pending={today.isPending}
        />
      </div>
    </section>
  );
}

function recordHref(task: Task): Route | null {
  if (task.dealId) return `/deals/${task.dealId}` as Route;
  if (task.contactId) return `/contacts/${task.contactId}` as Route;
  if (task.companyId) return `/companies/${task.companyId}` as Route;
  return null;
}

function TaskList({
  title,
  tasks,
  more,
  names,
  empty,
  pending,
  overdue = false,
}: {
  title: string;
  tasks: Task[];
  more: boolean;
  names: Map<string, string>;
  empty: string;
  pending: boolean;
  overdue?: boolean;
}) {
  const id = useId();
  return (
    <div>
      <h3 id={id} className="text-sm font-medium text-slate-700">
        {title}
      </h3>
      {pending ? null : tasks.length === 0 ? (
        <p className="mt-2 text-sm text-slate-500">{empty}</p>
      ) : (
        <ul aria-labelledby={id} className="mt-2 divide-y divide-slate-100">
          {tasks.map((task) => {
            const href = recordHref(task);
            const subject = task.subject || "Untitled task";
            const assignee = task.assigneeId ? names.get(task.assigneeId) : null;
            return (
              <li key={task.id} className="flex items-start justify-between gap-3 py-2">
                <div className="min-w-0">
                  {href ? (
                    <Link
                      href={href}
                      className={`block truncate rounded-sm text-sm font-medium text-slate-900 hover:text-indigo-600 ${focusRing}`}
                    >
                      {subject}
                    </Link>
                  ) : (
                    <p className="truncate text-sm font-medium text-slate-900">{subject}</p>
                  )}
                  <p className="truncate text-xs text-slate-500">{assignee ? `For ${assignee}` : "Unassigned"}</p>
                </div>
                {task.dueAt ? (
                  <time
                    dateTime={task.dueAt.toISOString()}
                    title={formatDateTime(task.dueAt)}
                    suppressHydrationWarning
                    className={`shrink-0 text-xs tabular-nums ${overdue ? "font-medium text-red-600" : "text-slate-500"}`}
                  >
                    {overdue ? formatRelative(task.dueAt) : formatDateTime(task.dueAt)}
                  </time>
                ) : null}
              </li>
            );
          })}
        </ul>
      )}
      {more ? (
        <Link
          href={"/tasks" as Route}
          className={`mt-2 inline-block rounded-sm text-sm text-indigo-600 hover:text-indigo-500 ${focusRing}`}
        >
          See all {title.toLowerCase()} tasks
        </Link>
      ) : null}
    </div>
  );
}

function NoDeals({ pipelineName }: { pipelineName?: string }) {
  return (
    <EmptyState
      className="mt-6"
      title="Add deals to see your pipeline"
      description={
        pipelineName
          ? `${pipelineName} has no deals yet. Once it does, this page shows their value by stage, the forecast, and what your team won and lost.`
          : "Once your team tracks deals, this page shows their value by stage, the forecast, and what you won and lost."
      }
      action={
        <>
          <Link href="/deals" className={buttonClass("primary")}>
            Open the deal board
          </Link>
          <Link href={"/import?kind=deals" as Route} className={buttonClass("secondary")}>
            Import deals from CSV
          </Link>
        </>
      }
    />
  );
}

function LoadError({ message, onRetry }: { message: string; onRetry: () => void }) {
  return (
    <div role="alert" className="mt-6 rounded-xl border border-red-200 bg-red-50 p-6 text-center">
      <p className="text-sm text-red-700">We couldn’t load the dashboard. {message}</p>
      <Button variant="secondary" className="mt-4" onClick={onRetry}>
        Try again
      </Button>
    </div>
  );
}

function Picker({
  label,
  value,
  onChange,
  children,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  children: ReactNode;
}) {
  const id = useId();
  return (
    <div className="flex items-center gap-2">
      <label htmlFor={id} className="text-sm font-medium text-slate-700">
        {label}
      </label>
      <select
        id={id}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        className="block h-10 min-w-32 rounded-lg border border-slate-300 bg-white px-3 text-sm text-slate-900 shadow-sm focus:outline-2 focus:-outline-offset-1 focus:outline-indigo-600"
      >
        {children}
      </select>
    </div>
  );
}

function PipelinePicker({
  pipelines,
  value,
  onChange,
}: {
  pipelines: Pipeline[];
  value: string;
  onChange: (id: string) => void;
}) {
  return (
    <Picker label="Pipeline" value={value} onChange={onChange}>
      {pipelines.map((p) => (
        <option key={p.id} value={p.id}>
          {p.name}
        </option>
      ))}
    </Picker>
  );
}

function CurrencyPicker({
  currencies,
  value,
  onChange,
}: {
  currencies: string[];
  value: string;
  onChange: (currency: string) => void;
}) {
  return (
    <div className="mt-4 flex flex-wrap items-center gap-3 text-sm text-slate-600">
      <Picker label="Currency" value={value} onChange={onChange}>
        {currencies.map((c) => (
          <option key={c} value={c}>
            {c}
          </option>
        ))}
      </Picker>
      <p>Amounts in other currencies are not converted; pick one to see its figures.</p>
    </div>
  );
}
