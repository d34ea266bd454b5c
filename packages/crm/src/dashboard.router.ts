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
import { periodInput, pipelineDashboardInput } from "./dashboard.schemas";
import { notFound } from "./errors";
import { ownerScope, type Viewer } from "./visibility";

/** The first day of the month `months - 1` months ago, UTC. */
function since(months: number): string {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - (months - 1), 1)).toISOString();
}

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

/** Deals won and lost per month of closing, currency by currency. */
const wonLostFigures = perRole<
  "since",
  { month: string; status: "won" | "lost"; currency: string; n: number; amount: string }
>(
  ["since"],
  (viewer, v) =>
    sql`select to_char(date_trunc('month', closed_at at time zone 'UTC'), 'YYYY-MM') as month, status, currency,
             count(*)::int as n, sum(amount_minor)::text as amount
      from ${deals}
      where org_id = ${viewer.orgId} and status in ('won', 'lost') and deleted_at is null
        and closed_at >= ${v.since}::timestamptz and ${ownerScope(viewer, deals.ownerId)}
      group by 1, 2, 3 order by 1, 2, 3`,
);

/** Activities per member and kind since a date. */
const activityFigures = perRole<"since", { user_id: string | null; name: string | null; kind: string; n: number }>(
  ["since"],
  (viewer, v) =>
    sql`select a.created_by as user_id, u.name, a.kind, count(*)::int as n
      from ${activities} a left join ${users} u on u.id = a.created_by
      where a.org_id = ${viewer.orgId} and a.occurred_at >= ${v.since}::timestamptz
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

  /** Deals won and lost per month of closing. */
  wonLost: permissionProcedure("dashboard.read")
    .input(periodInput)
    .query(async ({ ctx, input }) => {
      const rows = await wonLostFigures(ctx, { since: since(input.months) });
      return rows.map((r) => ({
        month: r.month,
        outcome: r.status,
        currency: r.currency,
        count: r.n,
        amountMinor: Number(r.amount),
      }));
    }),

  /** Activities logged per member and kind over the period. */
  activitiesPerMember: permissionProcedure("dashboard.read")
    .input(periodInput)
    .query(async ({ ctx, input }) => {
      const rows = await activityFigures(ctx, { since: since(input.months) });
      return rows.map((r) => ({
        userId: r.user_id,
        name: r.name,
        kind: r.kind as "note" | "task" | "call" | "meeting",
        count: r.n,
      }));
    }),

  /** Open tasks per assignee: overdue, due today, later, undated. */
  tasks: permissionProcedure("dashboard.read").query(async ({ ctx }) => {
    const now = new Date();
    const endOfToday = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
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
