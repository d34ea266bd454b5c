import {
  activities,
  type Db,
  dealForecastTotals,
  dealStageTotals,
  deals,
  pipelineStages,
  pipelines,
  preparedStatement,
  type Role,
  type SQL,
  sql,
  users,
} from "@nexo/db";
import { permissionProcedure, type TRPCRouterRecord } from "@nexo/trpc";
import { periodInput, pipelineDashboardInput, taskCountsInput } from "./dashboard.schemas";
import { notFound } from "./errors";
import { localDate, startOfLocalDay, startOfNextDay } from "./time-zones";
import { ownerScope, type Viewer } from "./visibility";

/**
 * The months of a period, this one included, as they begin in `timeZone`: the instant each begins,
 * and its label (`2026-03`). The period ends now: what is dated later (a close or a meeting entered
 * ahead) is not in it yet.
 */
function monthsOf(months: number, timeZone: string | undefined, now = new Date()) {
  const { year, month } = localDate(now, timeZone);
  return Array.from({ length: months }, (_, i) => {
    const start = startOfLocalDay(year, month - (months - 1) + i, 1, timeZone);
    const first = new Date(Date.UTC(year, month - (months - 1) + i, 1));
    return { start: start.toISOString(), label: first.toISOString().slice(0, 7) };
  });
}

/** A Postgres array literal of instants, for a prepared statement's parameter. */
const instants = (values: string[]) => `{${values.join(",")}}`;

/**
 * A dashboard statement compiled once per role (what the role may see decides its text) and run
 * as a prepared statement with the caller's organization and user and `names` as values.
 */
function perRole<V extends string, R extends Record<string, unknown>>(
  names: readonly V[],
  build: (viewer: Viewer, values: Readonly<Record<V, string>>) => SQL,
) {
  type Values = Readonly<Record<V | "orgId" | "userId", string>>;
  const compiled = new Map<Role, (db: Db, values: Values) => Promise<R[]>>();
  return (ctx: Viewer & { db: Db }, values: Readonly<Record<V, string>>) => {
    let statement = compiled.get(ctx.role);
    if (!statement) {
      const role = ctx.role;
      statement = preparedStatement<V | "orgId" | "userId", R>(["orgId", "userId", ...names], (v) =>
        build({ orgId: v.orgId, userId: v.userId, role }, v),
      );
      compiled.set(role, statement);
    }
    return statement(ctx.db, { ...values, orgId: ctx.orgId, userId: ctx.userId } as Values);
  };
}

type PipelineRow = {
  kind: "pipeline" | "stage" | "month";
  id: string | null;
  name: string;
  position: number | null;
  currency: string | null;
  n: number;
  amount: string | null;
};

/** The pipeline figures in one statement (see `dashboardRouter.pipeline`). */
const pipelineFigures = perRole<"pipelineId", PipelineRow>(["pipelineId"], (viewer, { pipelineId }) => {
  const visible = ownerScope(viewer, sql.raw("t.owner_id"));
  return sql`with p as (
      select id, name, org_id from ${pipelines} where org_id = ${viewer.orgId} and id = ${pipelineId}
    )
    select 'pipeline' as kind, p.id, p.name, null::int as position, null::text as currency, 0 as n, null::text as amount
    from p
    union all
    -- Per stage (lateral): a stage without deals still gets its one row (currency null, count 0).
    select 'stage', s.id, s.name, s.position, x.currency, coalesce(x.n, 0), x.amount
    from p join ${pipelineStages} s on s.org_id = p.org_id and s.pipeline_id = p.id
    left join lateral (
      select t.currency::text, sum(t.deal_count)::int as n, sum(t.amount_minor)::text as amount
      from ${dealStageTotals} t
      where t.org_id = s.org_id and t.pipeline_id = s.pipeline_id and t.stage_id = s.id and ${visible}
      group by t.currency
      having sum(t.deal_count) <> 0
    ) x on true
    union all
    -- Summed per month, currency and stage first, then weighted and rolled up per month: the
    -- same exact sums as weighting each deal.
    select 'month', null, to_char(g.month, 'YYYY-MM'), null, g.currency,
           sum(g.n)::int, round(sum(g.amount * s.probability / 100.0))::bigint::text
    from (
      select t.month, t.currency::text, t.stage_id, sum(t.amount_minor) as amount, sum(t.deal_count) as n
      from p join ${dealForecastTotals} t on t.org_id = p.org_id and t.pipeline_id = p.id
      where ${visible}
      group by 1, 2, 3
      having sum(t.deal_count) <> 0
    ) g join ${pipelineStages} s on s.id = g.stage_id
    group by g.month, g.currency
    order by kind desc, position, id, name, currency`;
});

/**
 * Deals won and lost per month of closing (`width_bucket` over the months' first instants: month 1
 * is the oldest), currency by currency.
 */
const wonLostFigures = perRole<
  "starts" | "since" | "until",
  { month: number; status: "won" | "lost"; currency: string; n: number; amount: string }
>(
  ["starts", "since", "until"],
  (viewer, v) =>
    sql`select width_bucket(closed_at, ${v.starts}::timestamptz[]) as month, status, currency,
             count(*)::int as n, sum(amount_minor)::text as amount
      from ${deals}
      where org_id = ${viewer.orgId} and status in ('won', 'lost') and deleted_at is null
        and closed_at >= ${v.since}::timestamptz and closed_at < ${v.until}::timestamptz
        and ${ownerScope(viewer, deals.ownerId)}
      group by 1, 2, 3 order by 1, 2, 3`,
);

/** Activities per member and kind from one instant to another. */
const activityFigures = perRole<
  "since" | "until",
  { user_id: string | null; name: string | null; kind: string; n: number }
>(
  ["since", "until"],
  (viewer, v) =>
    sql`select a.created_by as user_id, u.name, a.kind, count(*)::int as n
      from ${activities} a left join ${users} u on u.id = a.created_by
      where a.org_id = ${viewer.orgId} and a.occurred_at >= ${v.since}::timestamptz
        and a.occurred_at < ${v.until}::timestamptz
        and ${ownerScope(viewer, sql.raw("a.created_by"), sql.raw("a.assignee_id"))}
      group by 1, 2, 3 order by 1, a.kind::text`,
);

/** Open tasks per assignee: overdue, due today, later, undated. */
const taskFigures = perRole<
  "now" | "endOfToday",
  { assignee_id: string | null; overdue: number; today: number; later: number; undated: number }
>(
  ["now", "endOfToday"],
  (viewer, v) =>
    sql`select assignee_id,
             count(*) filter (where due_at < ${v.now}::timestamptz)::int as overdue,
             count(*) filter (where due_at >= ${v.now}::timestamptz and due_at < ${v.endOfToday}::timestamptz)::int as today,
             count(*) filter (where due_at >= ${v.endOfToday}::timestamptz)::int as later,
             count(*) filter (where due_at is null)::int as undated
      from ${activities}
      where org_id = ${viewer.orgId} and kind = 'task' and done_at is null
        and ${ownerScope(viewer, activities.createdBy, activities.assigneeId)}
      group by assignee_id`,
);

/**
 * Each figure is one aggregate over an index that starts with `org_id`. Money is summed per
 * currency (never across currencies) in minor units. With record visibility "own", a member's
 * figures cover only their own deals and their own (logged or assigned) activities.
 */
export const dashboardRouter = {
  /**
   * Value and count per stage, and the probability-weighted forecast of open deals per
   * expected-close month, in one statement. Both read the totals the `deals` triggers keep
   * (`deal_stage_totals`, `deal_forecast_totals`: a row per stage, owner, currency and, for the
   * forecast, month) instead of the deals themselves. Rows come tagged: the pipeline itself (absent
   * when it is not one of the organization's), one per stage and currency, one per month and currency.
   */
  pipeline: permissionProcedure("dashboard.read")
    .input(pipelineDashboardInput)
    .query(async ({ ctx, input }) => {
      const rows = await pipelineFigures(ctx, { pipelineId: input.pipelineId });
      const pipeline = rows.find((r) => r.kind === "pipeline");
      if (!pipeline?.id) throw notFound("Pipeline");
      const stages = new Map<
        string,
        { stageId: string; name: string; count: number; totals: { currency: string; amountMinor: number }[] }
      >();
      for (const row of rows) {
        if (row.kind !== "stage" || !row.id) continue;
        const stage = stages.get(row.id) ?? { stageId: row.id, name: row.name, count: 0, totals: [] };
        stage.count += row.n;
        if (row.currency) stage.totals.push({ currency: row.currency, amountMinor: Number(row.amount) });
        stages.set(row.id, stage);
      }
      return {
        pipeline: { id: pipeline.id, name: pipeline.name },
        stages: [...stages.values()],
        forecast: rows
          .filter((r) => r.kind === "month")
          .map((f) => ({
            month: f.name,
            currency: f.currency ?? "",
            weightedMinor: Number(f.amount),
            deals: f.n,
          })),
      };
    }),

  /** Deals won and lost per month of closing, the months as they begin in `timeZone`. */
  wonLost: permissionProcedure("dashboard.read")
    .input(periodInput)
    .query(async ({ ctx, input }) => {
      const now = new Date();
      const months = monthsOf(input.months, input.timeZone, now);
      const starts = months.map((m) => m.start);
      const rows = await wonLostFigures(ctx, {
        starts: instants(starts),
        since: starts[0] as string,
        until: now.toISOString(),
      });
      return rows.map((r) => ({
        month: months[r.month - 1]?.label ?? "",
        outcome: r.status,
        currency: r.currency,
        count: r.n,
        amountMinor: Number(r.amount),
      }));
    }),

  /** Activities logged per member and kind over the period, up to now. */
  activitiesPerMember: permissionProcedure("dashboard.read")
    .input(periodInput)
    .query(async ({ ctx, input }) => {
      const now = new Date();
      const [first] = monthsOf(input.months, input.timeZone, now);
      const rows = await activityFigures(ctx, { since: first?.start ?? now.toISOString(), until: now.toISOString() });
      return rows.map((r) => ({
        userId: r.user_id,
        name: r.name,
        kind: r.kind as "note" | "task" | "call" | "meeting",
        count: r.n,
      }));
    }),

  /** Open tasks per assignee: overdue, due today (where "today" ends in `timeZone`), later, undated. */
  tasks: permissionProcedure("dashboard.read")
    .input(taskCountsInput)
    .query(async ({ ctx, input }) => {
      const now = new Date();
      const endOfToday = startOfNextDay(now, input.timeZone);
      const rows = await taskFigures(ctx, { now: now.toISOString(), endOfToday: endOfToday.toISOString() });
      return rows.map((r) => ({
        assigneeId: r.assignee_id,
        overdue: r.overdue,
        today: r.today,
        later: r.later,
        undated: r.undated,
      }));
    }),
} satisfies TRPCRouterRecord;
