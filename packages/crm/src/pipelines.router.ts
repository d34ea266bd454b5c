import { and, asc, count, deals, eq, inArray, pipelineStages, pipelines, sql } from "@nexo/db";
import { permissionProcedure, TRPCError, type TRPCRouterRecord } from "@nexo/trpc";
import { byId } from "./common.schemas";
import { settleStageDeals, statusIn } from "./deals.moves";
import {
  createPipelineInput,
  createStageInput,
  deleteStageInput,
  MAX_STAGES,
  reorderStagesInput,
  updatePipelineInput,
  updateStageInput,
} from "./deals.schemas";
import { firstOrThrow, notFound, nothingToUpdate } from "./errors";
import { findStage } from "./references";

const stageColumns = {
  id: pipelineStages.id,
  pipelineId: pipelineStages.pipelineId,
  name: pipelineStages.name,
  position: pipelineStages.position,
  probability: pipelineStages.probability,
  isWon: pipelineStages.isWon,
  isLost: pipelineStages.isLost,
};
const pipelineColumns = { id: pipelines.id, name: pipelines.name, position: pipelines.position };

export const defaultStages = [
  { name: "Lead", probability: 10, isWon: false, isLost: false },
  { name: "Qualified", probability: 25, isWon: false, isLost: false },
  { name: "Proposal", probability: 50, isWon: false, isLost: false },
  { name: "Negotiation", probability: 75, isWon: false, isLost: false },
  { name: "Won", probability: 100, isWon: true, isLost: false },
  { name: "Lost", probability: 0, isWon: false, isLost: true },
];

/**
 * `lock` holds the pipeline row until the transaction ends, so that what changes its list of stages
 * (adding, reordering, deleting one, deleting the pipeline) happens one at a time, each seeing the
 * stages the one before left; "no key update" leaves deals free to be created in it (their foreign
 * key check). It is taken before any stage's lock.
 */
async function pipelineWithStages(db: Parameters<typeof findStage>[0], orgId: string, id: string, lock = false) {
  const query = db
    .select(pipelineColumns)
    .from(pipelines)
    .where(and(eq(pipelines.orgId, orgId), eq(pipelines.id, id)));
  const [pipeline] = await (lock ? query.for("no key update") : query);
  if (!pipeline) throw notFound("Pipeline");
  const stages = await db
    .select(stageColumns)
    .from(pipelineStages)
    .where(and(eq(pipelineStages.orgId, orgId), eq(pipelineStages.pipelineId, id)))
    .orderBy(asc(pipelineStages.position), asc(pipelineStages.id));
  return { ...pipeline, stages };
}

/**
 * Every stage of a pipeline locked `FOR UPDATE`, in id order: the order deal moves and closes take
 * their stages in (before the deal), so a change that goes on to the deals cannot deadlock with them.
 */
function lockStages(db: Parameters<typeof findStage>[0], orgId: string, pipelineId: string) {
  return db
    .select()
    .from(pipelineStages)
    .where(and(eq(pipelineStages.orgId, orgId), eq(pipelineStages.pipelineId, pipelineId)))
    .orderBy(asc(pipelineStages.id))
    .for("update");
}

export const pipelinesRouter = {
  /** Every pipeline of the organization with its stages in order. */
  list: permissionProcedure("pipelines.read").query(async ({ ctx }) => {
    const [all, stages] = await Promise.all([
      ctx.db
        .select(pipelineColumns)
        .from(pipelines)
        .where(eq(pipelines.orgId, ctx.orgId))
        .orderBy(asc(pipelines.position), asc(pipelines.id)),
      ctx.db
        .select(stageColumns)
        .from(pipelineStages)
        .where(eq(pipelineStages.orgId, ctx.orgId))
        .orderBy(asc(pipelineStages.position), asc(pipelineStages.id)),
    ]);
    return all.map((p) => ({ ...p, stages: stages.filter((s) => s.pipelineId === p.id) }));
  }),

  get: permissionProcedure("pipelines.read")
    .input(byId("pipeline"))
    .query(({ ctx, input }) => pipelineWithStages(ctx.db, ctx.orgId, input.id)),

  create: permissionProcedure("pipelines.manage")
    .input(createPipelineInput)
    .mutation(({ ctx, input }) =>
      ctx.db.transaction(async (tx) => {
        const [last] = await tx
          .select({ max: sql<number>`coalesce(max(${pipelines.position}), -1)::int` })
          .from(pipelines)
          .where(eq(pipelines.orgId, ctx.orgId));
        const pipeline = firstOrThrow(
          await tx
            .insert(pipelines)
            .values({ orgId: ctx.orgId, name: input.name, position: (last?.max ?? -1) + 1 })
            .returning({ id: pipelines.id }),
        );
        await tx.insert(pipelineStages).values(
          (input.stages ?? defaultStages).map((stage, position) => ({
            ...stage,
            orgId: ctx.orgId,
            pipelineId: pipeline.id,
            position,
          })),
        );
        return pipelineWithStages(tx, ctx.orgId, pipeline.id);
      }),
    ),

  update: permissionProcedure("pipelines.manage")
    .input(updatePipelineInput)
    .mutation(async ({ ctx, input }) => {
      const [row] = await ctx.db
        .update(pipelines)
        .set({ name: input.name })
        .where(and(eq(pipelines.orgId, ctx.orgId), eq(pipelines.id, input.id)))
        .returning(pipelineColumns);
      if (!row) throw notFound("Pipeline");
      return row;
    }),

  /** Only an empty pipeline can go (deals in the trash count: they could still be restored). */
  delete: permissionProcedure("pipelines.manage")
    .input(byId("pipeline"))
    .mutation(({ ctx, input }) =>
      ctx.db.transaction(async (tx) => {
        await pipelineWithStages(tx, ctx.orgId, input.id, true);
        // Its stages locked before the deals are counted: a deal being created or moved into one of
        // them (which holds its stage) is counted once it is in, and one that comes later waits,
        // then finds its stage gone.
        await lockStages(tx, ctx.orgId, input.id);
        const [held] = await tx
          .select({ n: count() })
          .from(deals)
          .where(and(eq(deals.orgId, ctx.orgId), eq(deals.pipelineId, input.id)));
        if ((held?.n ?? 0) > 0) {
          throw new TRPCError({
            code: "CONFLICT",
            message: "This pipeline still has deals; move or delete them first.",
          });
        }
        await tx.delete(pipelines).where(and(eq(pipelines.orgId, ctx.orgId), eq(pipelines.id, input.id)));
        return { id: input.id };
      }),
    ),

  createStage: permissionProcedure("pipelines.manage")
    .input(createStageInput)
    .mutation(({ ctx, input }) =>
      ctx.db.transaction(async (tx) => {
        const pipeline = await pipelineWithStages(tx, ctx.orgId, input.pipelineId, true);
        // reorderStages takes every stage of a pipeline in one list of at most that many.
        if (pipeline.stages.length >= MAX_STAGES) {
          throw new TRPCError({
            code: "BAD_REQUEST",
            message: `A pipeline can have at most ${MAX_STAGES} stages; delete one before adding another.`,
          });
        }
        const position = Math.min(input.position ?? pipeline.stages.length, pipeline.stages.length);
        // Make room: stages at or after the new position shift one to the right.
        await tx
          .update(pipelineStages)
          .set({ position: sql`${pipelineStages.position} + 1` })
          .where(
            and(
              eq(pipelineStages.orgId, ctx.orgId),
              eq(pipelineStages.pipelineId, input.pipelineId),
              sql`${pipelineStages.position} >= ${position}`,
            ),
          );
        const { pipelineId, position: _requested, ...fields } = input;
        return firstOrThrow(
          await tx
            .insert(pipelineStages)
            .values({ ...fields, orgId: ctx.orgId, pipelineId, position })
            .returning(stageColumns),
        );
      }),
    ),

  updateStage: permissionProcedure("pipelines.manage")
    .input(updateStageInput)
    .mutation(async ({ ctx, input }) => {
      const { id, ...changes } = input;
      if (Object.keys(changes).length === 0) throw nothingToUpdate();
      return ctx.db.transaction(async (tx) => {
        const stage = await findStage(tx, ctx.orgId, id, "update");
        if ((changes.isWon ?? stage.isWon) && (changes.isLost ?? stage.isLost)) {
          throw new TRPCError({ code: "BAD_REQUEST", message: "A stage cannot be both won and lost." });
        }
        const updated = firstOrThrow(
          await tx
            .update(pipelineStages)
            .set(changes)
            .where(and(eq(pipelineStages.orgId, ctx.orgId), eq(pipelineStages.id, id)))
            .returning(stageColumns),
        );
        // Its deals take the stage's new kind: won, lost or open again.
        if (statusIn(updated) !== statusIn(stage)) {
          await settleStageDeals(tx, { orgId: ctx.orgId, userId: ctx.userId }, stage.id, updated);
        }
        return updated;
      });
    }),

  /** Deletes a stage; its deals (if any) move to `moveDealsTo`, a stage of the same pipeline. */
  deleteStage: permissionProcedure("pipelines.manage")
    .input(deleteStageInput)
    .mutation(({ ctx, input }) =>
      ctx.db.transaction(async (tx) => {
        // The pipeline first: stage changes take turns. Then every stage of it, in id order, before
        // any deal (the deleted one, the one its deals go to, the later ones renumbered below), the
        // order deal moves and closes take them in: a move under way finishes first, and a deal
        // created in or moved into the deleted stage is counted below, or (coming second) finds the
        // stage gone.
        const { pipelineId } = await findStage(tx, ctx.orgId, input.id);
        await pipelineWithStages(tx, ctx.orgId, pipelineId, true);
        const locked = new Map((await lockStages(tx, ctx.orgId, pipelineId)).map((s) => [s.id, s]));
        const stage = locked.get(input.id);
        if (!stage) throw notFound("Stage");
        // A stage of another pipeline is refused below, once it is known to exist.
        if (input.moveDealsTo && !locked.has(input.moveDealsTo)) {
          locked.set(input.moveDealsTo, await findStage(tx, ctx.orgId, input.moveDealsTo));
        }
        const [held] = await tx
          .select({ n: count() })
          .from(deals)
          .where(and(eq(deals.orgId, ctx.orgId), eq(deals.stageId, stage.id)));
        const movedDeals = held?.n ?? 0;
        if (movedDeals > 0) {
          if (!input.moveDealsTo) {
            throw new TRPCError({
              code: "CONFLICT",
              message: "This stage still has deals; choose a stage to move them to.",
            });
          }
          const target = locked.get(input.moveDealsTo) as Awaited<ReturnType<typeof findStage>>;
          if (target.pipelineId !== stage.pipelineId || target.id === stage.id) {
            throw new TRPCError({
              code: "BAD_REQUEST",
              message: "Move the deals to another stage of the same pipeline.",
            });
          }
          await settleStageDeals(tx, { orgId: ctx.orgId, userId: ctx.userId }, stage.id, target);
        }
        await tx
          .delete(pipelineStages)
          .where(and(eq(pipelineStages.orgId, ctx.orgId), eq(pipelineStages.id, stage.id)));
        // Close the gap so positions stay 0…n-1.
        await tx
          .update(pipelineStages)
          .set({ position: sql`${pipelineStages.position} - 1` })
          .where(
            and(
              eq(pipelineStages.orgId, ctx.orgId),
              eq(pipelineStages.pipelineId, stage.pipelineId),
              sql`${pipelineStages.position} > ${stage.position}`,
            ),
          );
        return { id: stage.id, movedDeals };
      }),
    ),

  /** Puts the pipeline's stages in the given order; the list must name each stage exactly once. */
  reorderStages: permissionProcedure("pipelines.manage")
    .input(reorderStagesInput)
    .mutation(({ ctx, input }) =>
      ctx.db.transaction(async (tx) => {
        const pipeline = await pipelineWithStages(tx, ctx.orgId, input.pipelineId, true);
        const current = pipeline.stages.map((s) => s.id).sort();
        const wanted = [...input.stageIds].sort();
        if (JSON.stringify(current) !== JSON.stringify(wanted)) {
          throw new TRPCError({ code: "BAD_REQUEST", message: "List every stage of the pipeline exactly once." });
        }
        await tx
          .update(pipelineStages)
          .set({
            position: sql`case ${pipelineStages.id} ${sql.join(
              input.stageIds.map((id, position) => sql`when ${id}::uuid then ${position}::int`),
              sql` `,
            )} end`,
          })
          .where(and(eq(pipelineStages.orgId, ctx.orgId), inArray(pipelineStages.id, input.stageIds)));
        return pipelineWithStages(tx, ctx.orgId, input.pipelineId);
      }),
    ),
} satisfies TRPCRouterRecord;
