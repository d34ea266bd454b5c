import { activities, deals, pipelineStages, pipelines, queryRows, sql, users } from "@nexo/db";
import { permissionProcedure, type TRPCRouterRecord } from "@nexo/trpc";
import { periodInput, pipelineDashboardInput } from "./dashboard.schemas";
import { notFound } from "./errors";
import { ownerScope } from "./visibility";

/** The first day of the month `months - 1` months ago, UTC. */
function since(months: number): string {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - (months - 1), 1)).toISOString();
}

/**
 * Each figure is one aggregate over an index that starts with `org_id`. Money is summed per
 * currency (never across currencies) in minor units. With record visibility "own", a member's
 * figures cover only their own deals and their own (logged or assigned) activities.
 */
export const dashboardRouter = {
  /** Open value and count per stage, and the probability-weighted forecast per expected-close month. */
  pipeline: permissionProcedure("dashboard.read")
    .input(pipelineDashboardInput)
    .query(async ({ ctx, input }) => {
      const [pipeline] = await queryRows<{ id: string; name: string }>(
        ctx.db,
        sql`select id, name from ${pipelines} where org_id = ${ctx.orgId} and id = ${input.pipelineId}`,
      );
      if (!pipeline) throw notFound("Pipeline");
      const [byStage, forecast] = await Promise.all([
        queryRows<{ stage_id: string; name: string; currency: string | null; n: number; amount: string | null }>(
          ctx.db,
          // Per stage (lateral), so each aggregate reads only its stage's part of the covering
          // index; a stage without deals still gets its one row (currency null, count 0).
          sql`select s.id as stage_id, s.name, t.currency, coalesce(t.n, 0) as n, t.amount
            from ${pipelineStages} s
            left join lateral (
              select d.currency, count(*)::int as n, sum(d.amount_minor)::text as amount
              from ${deals} d
              where d.org_id = s.org_id and d.stage_id = s.id and d.deleted_at is null
                and ${ownerScope(ctx, sql.raw("d.owner_id"))}
              group by d.currency
            ) t on true
            where s.org_id = ${ctx.orgId} and s.pipeline_id = ${input.pipelineId}
            order by s.position, t.currency`,
        ),
        queryRows<{ month: string; currency: string; weighted: string; n: number }>(
          ctx.db,
          // Summed per day, currency and stage first (an index-only scan, no per-deal date or
          // numeric arithmetic), then weighted and rolled up per month: the same exact sums.
          sql`select to_char(date_trunc('month', g.day::timestamp), 'YYYY-MM') as month, g.currency,
                   round(sum(g.amount * s.probability / 100.0))::bigint::text as weighted, sum(g.n)::int as n
            from (
              select d.expected_close_date as day, d.currency, d.stage_id, sum(d.amount_minor) as amount, count(*) as n
              from ${deals} d
              where d.org_id = ${ctx.orgId} and d.status = 'open' and d.deleted_at is null
                and d.pipeline_id = ${input.pipelineId} and d.expected_close_date is not null
                and ${ownerScope(ctx, sql.raw("d.owner_id"))}
              group by 1, 2, 3
            ) g join ${pipelineStages} s on s.id = g.stage_id
            group by 1, 2 order by 1, 2`,
        ),
      ]);
      const stages = new Map<
        string,
        { stageId: string; name: string; count: number; totals: { currency: string; amountMinor: number }[] }
      >();
      for (const row of byStage) {
        const stage = stages.get(row.stage_id) ?? { stageId: row.stage_id, name: row.name, count: 0, totals: [] };
        stage.count += row.n;
        if (row.currency) stage.totals.push({ currency: row.currency, amountMinor: Number(row.amount) });
        stages.set(row.stage_id, stage);
      }
      return {
        pipeline,
        stages: [...stages.values()],
        forecast: forecast.map((f) => ({
          month: f.month,
          currency: f.currency,
          weightedMinor: Number(f.weighted),
          deals: f.n,
        })),
      };
    }),

  /** Deals won and lost per month of closing. */
  wonLost: permissionProcedure("dashboard.read")
    .input(periodInput)
    .query(async ({ ctx, input }) => {
      const rows = await queryRows<{
        month: string;
        status: "won" | "lost";
        currency: string;
        n: number;
        amount: string;
      }>(
        ctx.db,
        sql`select to_char(date_trunc('month', closed_at at time zone 'UTC'), 'YYYY-MM') as month, status, currency,
                 count(*)::int as n, sum(amount_minor)::text as amount
          from ${deals}
          where org_id = ${ctx.orgId} and status in ('won', 'lost') and deleted_at is null
            and closed_at >= ${since(input.months)}::timestamptz and ${ownerScope(ctx, deals.ownerId)}
          group by 1, 2, 3 order by 1, 2, 3`,
      );
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
      const rows = await queryRows<{ user_id: string | null; name: string | null; kind: string; n: number }>(
        ctx.db,
        sql`select a.created_by as user_id, u.name, a.kind, count(*)::int as n
          from ${activities} a left join ${users} u on u.id = a.created_by
          where a.org_id = ${ctx.orgId} and a.occurred_at >= ${since(input.months)}::timestamptz
            and ${ownerScope(ctx, sql.raw("a.created_by"), sql.raw("a.assignee_id"))}
          group by 1, 2, 3 order by 1, a.kind::text`,
      );
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
    const rows = await queryRows<{
      assignee_id: string | null;
      overdue: number;
      today: number;
      later: number;
      undated: number;
    }>(
      ctx.db,
      sql`select assignee_id,
                 count(*) filter (where due_at < ${now.toISOString()}::timestamptz)::int as overdue,
                 count(*) filter (where due_at >= ${now.toISOString()}::timestamptz and due_at < ${endOfToday.toISOString()}::timestamptz)::int as today,
                 count(*) filter (where due_at >= ${endOfToday.toISOString()}::timestamptz)::int as later,
                 count(*) filter (where due_at is null)::int as undated
          from ${activities}
          where org_id = ${ctx.orgId} and kind = 'task' and done_at is null
            and ${ownerScope(ctx, activities.createdBy, activities.assigneeId)}
          group by assignee_id`,
    );
    return rows.map((r) => ({
      assigneeId: r.assignee_id,
      overdue: r.overdue,
      today: r.today,
      later: r.later,
      undated: r.undated,
    }));
  }),
} satisfies TRPCRouterRecord;
