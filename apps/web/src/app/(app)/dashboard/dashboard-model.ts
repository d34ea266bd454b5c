import type { RouterOutputs } from "~/trpc/types";

type PipelineFigures = RouterOutputs["crm"]["dashboard"]["pipeline"];
type WonLost = RouterOutputs["crm"]["dashboard"]["wonLost"];
type ActivityCounts = RouterOutputs["crm"]["dashboard"]["activitiesPerMember"];
type Stage = RouterOutputs["crm"]["pipelines"]["list"][number]["stages"][number];

/** Currencies in the figures, the one with the most open value first. */
export function currenciesOf(figures: PipelineFigures | undefined, wonLost: WonLost): string[] {
  const sums = new Map<string, number>();
  for (const stage of figures?.stages ?? []) {
    for (const t of stage.totals) sums.set(t.currency, (sums.get(t.currency) ?? 0) + t.amountMinor);
  }
  for (const row of wonLost) if (!sums.has(row.currency)) sums.set(row.currency, 0);
  return [...sums].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([currency]) => currency);
}

const amountIn = (totals: readonly { currency: string; amountMinor: number }[], currency: string) =>
  totals.find((t) => t.currency === currency)?.amountMinor ?? 0;

export interface StageRow {
  id: string;
  name: string;
  value: number;
  weighted: number;
  count: number;
  probability: number;
  closed: boolean;
}

/** Value (in `currency`) and deal count per stage, in pipeline order. */
export function stageRows(figures: PipelineFigures, stages: readonly Stage[], currency: string): StageRow[] {
  const byId = new Map(stages.map((s) => [s.id, s]));
  return figures.stages.map((row) => {
    const stage = byId.get(row.stageId);
    const value = amountIn(row.totals, currency);
    const probability = stage?.probability ?? 0;
    return {
      id: row.stageId,
      name: row.name,
      value,
      weighted: Math.round((value * probability) / 100),
      count: row.count,
      probability,
      closed: Boolean(stage?.isWon || stage?.isLost),
    };
  });
}

export interface Kpis {
  openValue: number;
  openDeals: number;
  weighted: number;
  wonThisMonth: number;
  wonDealsThisMonth: number;
}

export function kpis(rows: readonly StageRow[], wonLost: WonLost, currency: string, month: string): Kpis {
  const open = rows.filter((r) => !r.closed);
  const won = wonLost.filter((r) => r.outcome === "won" && r.month === month);
  return {
    openValue: open.reduce((sum, r) => sum + r.value, 0),
    openDeals: open.reduce((sum, r) => sum + r.count, 0),
    weighted: open.reduce((sum, r) => sum + r.weighted, 0),
    wonThisMonth: won.filter((r) => r.currency === currency).reduce((sum, r) => sum + r.amountMinor, 0),
    wonDealsThisMonth: won.reduce((sum, r) => sum + r.count, 0),
  };
}

export interface ForecastRow {
  month: string;
  weighted: number;
  deals: number;
}

export function forecastRows(figures: PipelineFigures, currency: string): ForecastRow[] {
  return figures.forecast
    .filter((f) => f.currency === currency)
    .map((f) => ({ month: f.month, weighted: f.weightedMinor, deals: f.deals }));
}

/** "YYYY-MM" of the `count` months up to and including `now`'s in `timeZone`, oldest first (as the server counts). */
export function lastMonths(count: number, timeZone = "UTC", now: Date = new Date()): string[] {
  const parts = new Intl.DateTimeFormat("en-US", { timeZone, year: "numeric", month: "numeric" }).formatToParts(now);
  const part = (type: "year" | "month") => Number(parts.find((p) => p.type === type)?.value);
  return Array.from({ length: count }, (_, i) => {
    const date = new Date(Date.UTC(part("year"), part("month") - 1 - (count - 1 - i), 1));
    return date.toISOString().slice(0, 7);
  });
}

export interface WonLostRow {
  month: string;
  won: number;
  lost: number;
  wonValue: number;
  lostValue: number;
}

/** Deals won and lost per month (every month of the period, empty ones too). */
export function wonLostRows(wonLost: WonLost, months: readonly string[], currency: string): WonLostRow[] {
  return months.map((month) => {
    const rows = wonLost.filter((r) => r.month === month);
    const sum = (outcome: "won" | "lost", pick: (r: WonLost[number]) => number) =>
      rows.filter((r) => r.outcome === outcome).reduce((total, r) => total + pick(r), 0);
    return {
      month,
      won: sum("won", (r) => r.count),
      lost: sum("lost", (r) => r.count),
      wonValue: sum("won", (r) => (r.currency === currency ? r.amountMinor : 0)),
      lostValue: sum("lost", (r) => (r.currency === currency ? r.amountMinor : 0)),
    };
  });
}

export const activityKinds = ["call", "meeting", "task", "note"] as const;
export type ActivityKind = (typeof activityKinds)[number];

export type ActivityRow = { id: string; name: string; total: number } & Record<ActivityKind, number>;

/** Activities per member and kind, busiest first. */
export function activityRows(counts: ActivityCounts): ActivityRow[] {
  const rows = new Map<string, ActivityRow>();
  for (const c of counts) {
    const key = c.userId ?? "former";
    const row = rows.get(key) ?? {
      id: key,
      name: c.name ?? "Former member",
      total: 0,
      call: 0,
      meeting: 0,
      task: 0,
      note: 0,
    };
    row[c.kind] += c.count;
    row.total += c.count;
    rows.set(key, row);
  }
  return [...rows.values()].sort((a, b) => b.total - a.total || a.name.localeCompare(b.name));
}
