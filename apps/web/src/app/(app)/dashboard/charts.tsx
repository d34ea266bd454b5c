"use client";

import { type ReactNode, useEffect, useId, useRef, useState, useSyncExternalStore } from "react";
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from "recharts";
import { Skeleton } from "~/components/skeleton";
import { formatMoney, formatMonth, formatNumber } from "~/lib/format";
import {
  type ActivityKind,
  type ActivityRow,
  activityKinds,
  type ForecastRow,
  type StageRow,
  type WonLostRow,
} from "./dashboard-model";

/**
 * Colours come from the theme's CSS variables, so the charts follow light and dark mode like the
 * rest of the page.
 */
const color = {
  value: "var(--color-indigo-500)",
  count: "var(--color-sky-400)",
  won: "var(--color-emerald-500)",
  lost: "var(--color-red-400)",
  grid: "var(--color-slate-200)",
  axis: "var(--color-slate-600)",
  surface: "var(--color-white)",
  text: "var(--color-slate-900)",
  border: "var(--color-slate-200)",
};
const kindColor: Record<ActivityKind, string> = {
  call: "var(--color-indigo-500)",
  meeting: "var(--color-sky-400)",
  task: "var(--color-amber-400)",
  note: "var(--color-slate-400)",
};
const kindLabel: Record<ActivityKind, string> = { call: "Calls", meeting: "Meetings", task: "Tasks", note: "Notes" };

const tick = { fill: color.axis, fontSize: 12 };
const tooltipProps = {
  contentStyle: {
    background: color.surface,
    border: `1px solid ${color.border}`,
    borderRadius: 8,
    color: color.text,
    fontSize: 12,
  },
  labelStyle: { color: color.text, fontWeight: 600 },
  itemStyle: { color: color.text },
  cursor: { fill: "var(--color-slate-100)" },
} as const;
const legendProps = {
  wrapperStyle: { fontSize: 12 },
  // In the series' order, in the axis colour (a light series colour would be hard to read as text).
  itemSorter: null,
  formatter: (value: unknown) => <span style={{ color: color.axis }}>{String(value)}</span>,
} as const;
const MAX_BAR = 48;
const CHART_HEIGHT = 256;

const narrowQuery = "(max-width: 639px)";
function subscribeNarrow(onChange: () => void) {
  const query = window.matchMedia(narrowQuery);
  query.addEventListener("change", onChange);
  return () => query.removeEventListener("change", onChange);
}
/** On a phone, stage names are slanted so they do not run into each other. */
function useNarrow(): boolean {
  return useSyncExternalStore(
    subscribeNarrow,
    () => window.matchMedia(narrowQuery).matches,
    () => false,
  );
}
/**
 * Charts measure the page, so they draw in the browser; the server sends a placeholder of their size.
 * They draw one at a time, each in a task of its own: drawing a chart is the dearest script of the app,
 * and the four drawn in one go would hold the page for seconds on a slow phone, unable to scroll or
 * take a click. A chart's turn passes to the next once it has drawn (or gone), a task later, so the
 * browser paints and handles input between two charts.
 */
const waitingCharts: (() => void)[] = [];
let drawingChart: (() => void) | null = null;
function drawNextChart() {
  if (drawingChart) return;
  drawingChart = waitingCharts.shift() ?? null;
  drawingChart?.();
}
function chartDone(start: () => void) {
  if (drawingChart !== start) return;
  drawingChart = null;
  setTimeout(drawNextChart, 0);
}
function useDrawInTurn(): boolean {
  const [draw, setDraw] = useState(false);
  const [start] = useState(() => () => setDraw(true));
  const drawn = useRef(false);
  useEffect(() => {
    // Effects may run again for a chart kept on screen; once drawn it takes no turn.
    if (drawn.current) return;
    waitingCharts.push(start);
    drawNextChart();
    return () => {
      const index = waitingCharts.indexOf(start);
      if (index >= 0) waitingCharts.splice(index, 1);
      chartDone(start);
    };
  }, [start]);
  useEffect(() => {
    if (!draw) return;
    drawn.current = true;
    chartDone(start);
  }, [draw, start]);
  return draw;
}

interface ChartFigureProps {
  title: string;
  /** One or two sentences a screen reader hears instead of the picture (the table has the figures). */
  summary: ReactNode;
  empty: string | null;
  chart: ReactNode;
  table: ReactNode;
}

/** A chart with its accessible name and summary (the caption) and its figures as a hidden table. */
export function ChartFigure({ title, summary, empty, chart, table }: ChartFigureProps) {
  const draw = useDrawInTurn();
  return (
    <figure className="flex min-w-0 flex-col rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:p-5">
      <figcaption>
        <h2 className="text-base font-semibold text-slate-900">{title}</h2>
        <p className="mt-0.5 text-sm text-slate-600">{summary}</p>
      </figcaption>
      {/* Clipped: the chart's hidden tooltip sits outside its box and would widen a phone's page. */}
      <div aria-hidden="true" className="mt-4 overflow-hidden" style={{ height: CHART_HEIGHT }}>
        {empty ? (
          <div className="flex h-full items-center justify-center rounded-lg border border-dashed border-slate-200 px-6 text-center text-sm text-slate-500">
            {empty}
          </div>
        ) : draw ? (
          chart
        ) : (
          <Skeleton className="h-full w-full" />
        )}
      </div>
      {empty ? null : table}
    </figure>
  );
}

interface TableRow {
  key: string;
  cells: (string | number)[];
}

function DataTable({ caption, head, rows }: { caption: string; head: string[]; rows: TableRow[] }) {
  const id = useId();
  return (
    // The wrapper hides it: a table is never narrower than its content, whatever its own width says.
    <div className="sr-only">
      <table aria-describedby={id}>
        <caption id={id}>{caption}</caption>
        <thead>
          <tr>
            {head.map((h) => (
              <th key={h} scope="col">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key}>
              {row.cells.map((cell, i) =>
                i === 0 ? (
                  <th key={head[i]} scope="row">
                    {cell}
                  </th>
                ) : (
                  <td key={head[i]}>{cell}</td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const money = (currency: string) => (value: number) => formatMoney(value, currency);
const compactMoney = (currency: string) => (value: number) => formatMoney(value, currency, { compact: true });

export function StageChart({ rows, currency }: { rows: StageRow[]; currency: string }) {
  const narrow = useNarrow();
  const open = rows.filter((r) => !r.closed);
  const biggest = [...open].sort((a, b) => b.value - a.value)[0];
  return (
    <ChartFigure
      title="Pipeline by stage"
      summary={
        biggest && biggest.value > 0
          ? `Value and number of deals in each stage, in ${currency}. ${biggest.name} holds the most open value: ${formatMoney(biggest.value, currency)}.`
          : `Value and number of deals in each stage, in ${currency}.`
      }
      empty={rows.every((r) => r.count === 0) ? "No deals in this pipeline yet." : null}
      chart={
        <BarChart
          accessibilityLayer={false}
          data={rows}
          responsive
          style={{ width: "100%", height: CHART_HEIGHT }}
          margin={{ left: 4, right: 4 }}
        >
          <CartesianGrid vertical={false} stroke={color.grid} />
          <XAxis
            dataKey="name"
            tick={narrow ? { ...tick, angle: -35, textAnchor: "end" } : tick}
            height={narrow ? 64 : 30}
            tickLine={false}
            axisLine={{ stroke: color.grid }}
            interval={0}
          />
          <YAxis
            yAxisId="value"
            tick={tick}
            tickLine={false}
            axisLine={false}
            tickFormatter={compactMoney(currency)}
            width={64}
          />
          <YAxis
            yAxisId="count"
            orientation="right"
            tick={tick}
            tickLine={false}
            axisLine={false}
            allowDecimals={false}
            width={32}
          />
          <Tooltip
            {...tooltipProps}
            formatter={(value, name) =>
              name === "Value" ? money(currency)(Number(value)) : formatNumber(Number(value))
            }
          />
          <Legend {...legendProps} />
          <Bar
            yAxisId="value"
            dataKey="value"
            name="Value"
            fill={color.value}
            radius={[4, 4, 0, 0]}
            maxBarSize={MAX_BAR}
            isAnimationActive={false}
          />
          <Bar
            yAxisId="count"
            dataKey="count"
            name="Deals"
            fill={color.count}
            radius={[4, 4, 0, 0]}
            maxBarSize={MAX_BAR}
            isAnimationActive={false}
          />
        </BarChart>
      }
      table={
        <DataTable
          caption={`Pipeline by stage, in ${currency}`}
          head={["Stage", "Deals", "Value", "Weighted value"]}
          rows={rows.map((r) => ({
            key: r.id,
            cells: [r.name, formatNumber(r.count), formatMoney(r.value, currency), formatMoney(r.weighted, currency)],
          }))}
        />
      }
    />
  );
}

export function ForecastChart({ rows, currency }: { rows: ForecastRow[]; currency: string }) {
  const total = rows.reduce((sum, r) => sum + r.weighted, 0);
  return (
    <ChartFigure
      title="Weighted forecast"
      summary={
        rows.length > 0
          ? `Open deals by expected close month, each weighted by its stage’s probability: ${formatMoney(total, currency)} over ${rows.length} ${rows.length === 1 ? "month" : "months"}.`
          : "Open deals by expected close month, weighted by their stage’s probability."
      }
      empty={rows.length === 0 ? "No open deal has an expected close date yet." : null}
      chart={
        <BarChart
          accessibilityLayer={false}
          data={rows}
          responsive
          style={{ width: "100%", height: CHART_HEIGHT }}
          margin={{ left: 4, right: 4 }}
        >
          <CartesianGrid vertical={false} stroke={color.grid} />
          <XAxis
            dataKey="month"
            tick={tick}
            tickLine={false}
            axisLine={{ stroke: color.grid }}
            tickFormatter={formatMonth}
          />
          <YAxis tick={tick} tickLine={false} axisLine={false} tickFormatter={compactMoney(currency)} width={64} />
          <Tooltip
            {...tooltipProps}
            labelFormatter={(label) => formatMonth(String(label))}
            formatter={(value) => money(currency)(Number(value))}
          />
          <Bar
            dataKey="weighted"
            name="Weighted value"
            fill={color.value}
            radius={[4, 4, 0, 0]}
            maxBarSize={MAX_BAR}
            isAnimationActive={false}
          />
        </BarChart>
      }
      table={
        <DataTable
          caption={`Weighted forecast by month, in ${currency}`}
          head={["Month", "Open deals", "Weighted value"]}
          rows={rows.map((r) => ({
            key: r.month,
            cells: [formatMonth(r.month), formatNumber(r.deals), formatMoney(r.weighted, currency)],
          }))}
        />
      }
    />
  );
}

export function WonLostChart({ rows, currency }: { rows: WonLostRow[]; currency: string }) {
  const won = rows.reduce((sum, r) => sum + r.won, 0);
  const lost = rows.reduce((sum, r) => sum + r.lost, 0);
  return (
    <ChartFigure
      title="Won and lost"
      summary={`Deals closed per month over the last ${rows.length} months: ${won} won, ${lost} lost.`}
      empty={won + lost === 0 ? "No deal was won or lost in this period." : null}
      chart={
        <BarChart
          accessibilityLayer={false}
          data={rows}
          responsive
          style={{ width: "100%", height: CHART_HEIGHT }}
          margin={{ left: 4, right: 4 }}
        >
          <CartesianGrid vertical={false} stroke={color.grid} />
          <XAxis
            dataKey="month"
            tick={tick}
            tickLine={false}
            axisLine={{ stroke: color.grid }}
            tickFormatter={formatMonth}
          />
          <YAxis tick={tick} tickLine={false} axisLine={false} allowDecimals={false} width={32} />
          <Tooltip {...tooltipProps} labelFormatter={(label) => formatMonth(String(label))} />
          <Legend {...legendProps} />
          <Bar
            dataKey="won"
            name="Won"
            fill={color.won}
            radius={[4, 4, 0, 0]}
            maxBarSize={MAX_BAR}
            isAnimationActive={false}
          />
          <Bar
            dataKey="lost"
            name="Lost"
            fill={color.lost}
            radius={[4, 4, 0, 0]}
            maxBarSize={MAX_BAR}
            isAnimationActive={false}
          />
        </BarChart>
      }
      table={
        <DataTable
          caption={`Deals won and lost per month (values in ${currency})`}
          head={["Month", "Won", "Won value", "Lost", "Lost value"]}
          rows={rows.map((r) => ({
            key: r.month,
            cells: [
              formatMonth(r.month),
              r.won,
              formatMoney(r.wonValue, currency),
              r.lost,
              formatMoney(r.lostValue, currency),
            ],
          }))}
        />
      }
    />
  );
}

export function ActivityChart({ rows }: { rows: ActivityRow[] }) {
  const total = rows.reduce((sum, r) => sum + r.total, 0);
  return (
    <ChartFigure
      title="Activities this month"
      summary={
        rows[0]
          ? `Calls, meetings, tasks and notes logged per member: ${total} in all, most by ${rows[0].name} (${rows[0].total}).`
          : "Calls, meetings, tasks and notes logged per member."
      }
      empty={rows.length === 0 ? "No activity logged this month yet." : null}
      chart={
        <BarChart
          accessibilityLayer={false}
          data={rows.slice(0, 8)}
          layout="vertical"
          responsive
          style={{ width: "100%", height: CHART_HEIGHT }}
          margin={{ left: 4, right: 12 }}
        >
          <CartesianGrid horizontal={false} stroke={color.grid} />
          <XAxis type="number" tick={tick} tickLine={false} axisLine={{ stroke: color.grid }} allowDecimals={false} />
          <YAxis type="category" dataKey="name" tick={tick} tickLine={false} axisLine={false} width={110} />
          <Tooltip {...tooltipProps} />
          <Legend {...legendProps} />
          {activityKinds.map((kind, i) => (
            <Bar
              key={kind}
              dataKey={kind}
              name={kindLabel[kind]}
              stackId="kinds"
              maxBarSize={32}
              fill={kindColor[kind]}
              radius={i === activityKinds.length - 1 ? [0, 4, 4, 0] : 0}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      }
      table={
        <DataTable
          caption="Activities this month per member"
          head={["Member", ...activityKinds.map((k) => kindLabel[k]), "Total"]}
          rows={rows.map((r) => ({ key: r.id, cells: [r.name, ...activityKinds.map((k) => r[k]), r.total] }))}
        />
      }
    />
  );
}
