import { and, asc, companies, dealContacts, deals, desc, eq, isNotNull, isNull, pipelineStages, sql } from "@nexo/db";
import { permissionProcedure, TRPCError, type TRPCRouterRecord } from "@nexo/trpc";
import { z } from "zod";
import { bulkAssignOwner, bulkRestore, bulkTrash } from "./bulk";
import { bulkAssignOwnerInput, bulkIdsInput } from "./bulk.schemas";
import { byId, trashInput } from "./common.schemas";
import { customFieldsByRecord, customFieldsColumn, saveCustomFields } from "./customFields.queries";
import { type CloseDetails, positionInStage, recordStageMoves, statusIn, statusOnEntering } from "./deals.moves";
import {
  boardCardColumns,
  companyOfDeal,
  contactIdsOf,
  dealBoard,
  dealColumns,
  dealTrackedFields,
  listDeals,
} from "./deals.queries";
import {
  boardInput,
  closeDealInput,
  createDealInput,
  isKnownCurrency,
  listDealsInput,
  moveDealInput,
  stagePageInput,
  unknownCurrency,
  updateDealInput,
} from "./deals.schemas";
import { firstOrThrow, invalidInput, notFound, nothingToUpdate } from "./errors";
import { type DbOrTx, type HistoryActor, recordChanges, recordEvent } from "./history";
import { cursorId, decodeCursor, pageOf, rowAfter } from "./keyset";
import { assertCompany, assertContacts, assertMember, findStage } from "./references";
import { recordById } from "./reuse";
import { tagsColumn } from "./tags.queries";
import { moveToTrash, restoreFromTrash } from "./trash";
import { type Viewer, visibleDeals } from "./visibility";

async function liveDeal(db: DbOrTx, viewer: Viewer, id: string) {
  const [deal] = await db
    .select(dealColumns)
    .from(deals)
    .where(and(visibleDeals(viewer), eq(deals.id, id), isNull(deals.deletedAt)))
    .for("update");
  if (!deal) throw notFound("Deal");
  return deal;
}

async function setContacts(db: DbOrTx, orgId: string, dealId: string, contactIds: readonly string[]) {
  await db.delete(dealContacts).where(and(eq(dealContacts.orgId, orgId), eq(dealContacts.dealId, dealId)));
  const unique = [...new Set(contactIds)];
  if (unique.length > 0) {
    await db.insert(dealContacts).values(unique.map((contactId) => ({ orgId, dealId, contactId })));
  }
  return unique.sort();
}

type Stage = Awaited<ReturnType<typeof findStage>>;

/** How often a move looks again when the deal or its target changed under it. */
const MAX_LOCK_ATTEMPTS = 5;

/**
 * Locks a deal for a move or a close, after the stages the move involves, so that it takes its locks
 * in the order a stage change (kind, delete, a pipeline's delete) does: stages, in id order, then
 * deals. The target stage is held `FOR SHARE` (its kind and existence stay put); the stage the deal
 * is in `FOR KEY SHARE`, as the move's history row (`from_stage_id`) would take it. `targetOf` names
 * the target once the deal's stage is known (null: no move). A deal moved by someone else in the
 * meantime is locked again with its new stage.
 */
async function lockDealWithStages(
  db: DbOrTx,
  viewer: Viewer,
  dealId: string,
  targetOf: () => Promise<string | null>,
  fits: (target: Stage) => boolean = () => true,
): Promise<{ deal: Awaited<ReturnType<typeof liveDeal>>; target: Stage | null }> {
  for (let attempt = 0; attempt < MAX_LOCK_ATTEMPTS; attempt++) {
    const [seen] = await db
      .select({ stageId: deals.stageId })
      .from(deals)
      .where(and(visibleDeals(viewer), eq(deals.id, dealId), isNull(deals.deletedAt)));
    if (!seen) throw notFound("Deal");
    const targetId = await targetOf();
    let target: Stage | null = null;
    let sourceHeld = false;
    for (const id of [...new Set([seen.stageId, targetId ?? seen.stageId])].sort()) {
      const [stage] = await db
        .select()
        .from(pipelineStages)
        .where(and(eq(pipelineStages.orgId, viewer.orgId), eq(pipelineStages.id, id)))
        .for(id === targetId ? "share" : "key share");
      if (id === targetId) {
        if (!stage) throw notFound("Stage");
        target = stage;
      }
      if (id === seen.stageId) sourceHeld = stage !== undefined;
    }
    const deal = await liveDeal(db, viewer, dealId);
    // Moved (or its stage deleted) between the first read and the locks, or the target changed kind
    // before it was locked: look again.
    if (sourceHeld && deal.stageId === seen.stageId && (!target || fits(target))) return { deal, target };
  }
  throw new TRPCError({ code: "CONFLICT", message: "This deal kept changing while being moved. Please try again." });
}

/** Moves a deal to a stage and position, recording the move and the changes; see lockDealWithStages. */
async function moveDeal(
  db: DbOrTx,
  actor: HistoryActor,
  deal: Awaited<ReturnType<typeof liveDeal>>,
  stage: Awaited<ReturnType<typeof findStage>>,
  afterDealId: string | null | undefined,
  close?: CloseDetails,
) {
  if (stage.pipelineId !== deal.pipelineId) {
    throw new TRPCError({ code: "BAD_REQUEST", message: "Move the deal to a stage of its own pipeline." });
  }
  const position = await positionInStage(db, actor.orgId, stage.id, afterDealId, deal.id);
  const after = firstOrThrow(
    await db
      .update(deals)
      .set({ stageId: stage.id, position, ...statusOnEntering(stage, deal.status, close) })
      .where(and(eq(deals.orgId, actor.orgId), eq(deals.id, deal.id)))
      .returning(dealColumns),
  );
  if (deal.stageId !== stage.id) {
    await recordStageMoves(db, actor, [{ dealId: deal.id, fromStageId: deal.stageId, toStageId: stage.id }]);
  }
  await recordChanges(db, actor, "deal", deal.id, deal, after, dealTrackedFields);
  return after;
}

export const dealsRouter = {
  list: permissionProcedure("deals.read")
    .input(listDealsInput)
    .query(({ ctx, input }) => listDeals(ctx.db, ctx, input)),

  get: permissionProcedure("deals.read")
    .input(byId("deal"))
    .query(async ({ ctx, input }) => {
      // One statement: the deal with its tags, contacts and custom field values. The subquery names
      // the deal's table itself: Drizzle leaves a one-table select unqualified.
      const dealTable = sql.identifier("deals");
      const [deal] = await recordById(ctx, "deal", input.id, (where) =>
        ctx.db
          .select({
            ...dealColumns,
            tags: tagsColumn("deal", deals),
            contactIds: sql<string[]>`coalesce((
              select json_agg(dc.contact_id order by dc.contact_id) from ${dealContacts} dc
              where dc.org_id = ${dealTable}.org_id and dc.deal_id = ${dealTable}.id
            ), '[]'::json)`,
            customFields: customFieldsColumn("deal", deals),
          })
          .from(deals)
          .where(where),
      );
      if (!deal) throw notFound("Deal");
      return deal;
    }),

  /** A pipeline's board: stages in order, each with its first deals and its totals. */
  board: permissionProcedure("deals.read")
    .input(boardInput)
    .query(async ({ ctx, input }) => {
      const board = await dealBoard(ctx.db, ctx, input);
      if (!board) throw notFound("Pipeline");
      return board;
    }),

  /** More deals of one board column (as board cards), by position. */
  stagePage: permissionProcedure("deals.read")
    .input(stagePageInput)
    .query(async ({ ctx, input }) => {
      await findStage(ctx.db, ctx.orgId, input.stageId);
      const after = input.cursor
        ? rowAfter([deals.position, deals.id], decodeCursor(input.cursor, z.tuple([z.number(), cursorId])), "asc")
        : undefined;
      const rows = await ctx.db
        .select(boardCardColumns)
        .from(deals)
        .leftJoin(companies, companyOfDeal(ctx))
        .where(and(visibleDeals(ctx), eq(deals.stageId, input.stageId), isNull(deals.deletedAt), after))
        .orderBy(asc(deals.position), asc(deals.id))
        .limit(input.limit + 1);
      return pageOf(rows, input.limit, (d) => [d.position, d.id]);
    }),

  create: permissionProcedure("deals.write")
    .input(createDealInput)
    .mutation(({ ctx, input }) => {
      const actor = { orgId: ctx.orgId, userId: ctx.userId };
      const { contactIds, customFields, ...fields } = input;
      return ctx.db.transaction(async (tx) => {
        const stage = await findStage(tx, ctx.orgId, input.stageId, "share");
        await assertMember(tx, ctx.orgId, input.ownerId);
        await assertCompany(tx, ctx, input.companyId);
        await assertContacts(tx, ctx, contactIds);
        const status = statusIn(stage);
        const deal = firstOrThrow(
          await tx
            .insert(deals)
            .values({
              ...fields,
              orgId: ctx.orgId,
              pipelineId: stage.pipelineId,
              ownerId: input.ownerId ?? ctx.userId,
              position: await positionInStage(tx, ctx.orgId, stage.id, null),
              status,
              closedAt: status === "open" ? null : new Date(),
              createdBy: ctx.userId,
            })
            .returning(dealColumns),
        );
        const linked = await setContacts(tx, ctx.orgId, deal.id, contactIds ?? []);
        await recordStageMoves(tx, actor, [{ dealId: deal.id, fromStageId: null, toStageId: stage.id }]);
        await recordEvent(tx, actor, "deal", deal.id, "created");
        await saveCustomFields(tx, actor, "deal", deal.id, customFields);
        const values = await customFieldsByRecord(tx, ctx.orgId, "deal", [deal.id]);
        return { ...deal, contactIds: linked, customFields: values.get(deal.id) ?? {} };
      });
    }),

  update: permissionProcedure("deals.write")
    .input(updateDealInput)
    .mutation(({ ctx, input }) => {
      const { id, contactIds, customFields, ...changes } = input;
      if (Object.keys(changes).length === 0 && contactIds === undefined && customFields === undefined) {
        throw nothingToUpdate();
      }
      const actor = { orgId: ctx.orgId, userId: ctx.userId };
      return ctx.db.transaction(async (tx) => {
        const before = await liveDeal(tx, ctx, id);
        // A code stored before currencies were checked may be sent back as it is (with an amount).
        if (
          changes.currency !== undefined &&
          changes.currency !== before.currency &&
          !isKnownCurrency(changes.currency)
        ) {
          throw invalidInput(unknownCurrency, [{ path: ["currency"], message: unknownCurrency }]);
        }
        await assertMember(tx, ctx.orgId, changes.ownerId);
        await assertCompany(tx, ctx, changes.companyId);
        await assertContacts(tx, ctx, contactIds);
        const beforeContacts = await contactIdsOf(tx, ctx.orgId, id);
        const after =
          Object.keys(changes).length > 0
            ? firstOrThrow(
                await tx
                  .update(deals)
                  .set(changes)
                  .where(and(eq(deals.orgId, ctx.orgId), eq(deals.id, id)))
                  .returning(dealColumns),
              )
            : before;
        const afterContacts =
          contactIds === undefined ? beforeContacts : await setContacts(tx, ctx.orgId, id, contactIds);
        await recordChanges(
          tx,
          actor,
          "deal",
          id,
          { ...before, contactIds: beforeContacts },
          { ...after, contactIds: afterContacts },
          dealTrackedFields,
        );
        await saveCustomFields(tx, actor, "deal", id, customFields);
        const values = await customFieldsByRecord(tx, ctx.orgId, "deal", [id]);
        return { ...after, contactIds: afterContacts, customFields: values.get(id) ?? {} };
      });
    }),

  /** Moves a deal to a stage of its pipeline, after `afterDealId` (or on top); recorded as a stage move. */
  move: permissionProcedure("deals.write")
    .input(moveDealInput)
    .mutation(({ ctx, input }) =>
      ctx.db.transaction(async (tx) => {
        const { deal, target } = await lockDealWithStages(tx, ctx, input.id, async () => input.stageId);
        return moveDeal(tx, { orgId: ctx.orgId, userId: ctx.userId }, deal, target as Stage, input.afterDealId);
      }),
    ),

  /**
   * Marks a deal won or lost with a reason and a date. It moves to the pipeline's won (or lost)
   * stage when there is one; otherwise it stays where it is.
   */
  close: permissionProcedure("deals.write")
    .input(closeDealInput)
    .mutation(({ ctx, input }) =>
      ctx.db.transaction(async (tx) => {
        const actor = { orgId: ctx.orgId, userId: ctx.userId };
        const closedAt = input.closedAt ?? new Date();
        const reason = input.reason ?? null;
        // The pipeline's first won (or lost) stage, if it has one: the deal's pipeline is read
        // without a lock, as a deal never leaves its pipeline.
        const { deal, target } = await lockDealWithStages(
          tx,
          ctx,
          input.id,
          async () => {
            const [first] = await tx
              .select({ id: pipelineStages.id })
              .from(pipelineStages)
              .where(
                and(
                  eq(pipelineStages.orgId, ctx.orgId),
                  sql`${pipelineStages.pipelineId} = (select ${deals.pipelineId} from ${deals} where ${and(eq(deals.orgId, ctx.orgId), eq(deals.id, input.id))})`,
                  input.outcome === "won" ? eq(pipelineStages.isWon, true) : eq(pipelineStages.isLost, true),
                ),
              )
              .orderBy(asc(pipelineStages.position), asc(pipelineStages.id))
              .limit(1);
            return first?.id ?? null;
          },
          (stage) => (input.outcome === "won" ? stage.isWon : stage.isLost),
        );
        if (target) return moveDeal(tx, actor, deal, target, null, { reason, closedAt });
        const after = firstOrThrow(
          await tx
            .update(deals)
            .set({ status: input.outcome, closeReason: reason, closedAt })
            .where(and(eq(deals.orgId, ctx.orgId), eq(deals.id, deal.id)))
            .returning(dealColumns),
        );
        await recordChanges(tx, actor, "deal", deal.id, deal, after, dealTrackedFields);
        return after;
      }),
    ),

  delete: permissionProcedure("deals.write")
    .input(byId("deal"))
    .mutation(({ ctx, input }) => moveToTrash(ctx.db, ctx, "deal", input.id)),

  restore: permissionProcedure("deals.write")
    .input(byId("deal"))
    .mutation(({ ctx, input }) => restoreFromTrash(ctx.db, ctx, "deal", input.id)),

  trash: permissionProcedure("deals.read")
    .input(trashInput)
    .query(async ({ ctx, input }) => {
      const after = input.cursor
        ? rowAfter([deals.id], decodeCursor(input.cursor, z.tuple([cursorId])), "desc")
        : undefined;
      const rows = await ctx.db
        .select(dealColumns)
        .from(deals)
        .where(and(visibleDeals(ctx), isNotNull(deals.deletedAt), after))
        .orderBy(desc(deals.id))
        .limit(input.limit + 1);
      return pageOf(rows, input.limit, (d) => [d.id]);
    }),
  /** Moves many deals to the trash at once (see bulk.ts); `bulkRestore` is its Undo. */
  bulkDelete: permissionProcedure("deals.write")
    .input(bulkIdsInput)
    .mutation(({ ctx, input }) => bulkTrash(ctx.db, ctx, "deal", input.ids)),

  bulkRestore: permissionProcedure("deals.write")
    .input(bulkIdsInput)
    .mutation(({ ctx, input }) => bulkRestore(ctx.db, ctx, "deal", input.ids)),

  /** Hands many deals to one member of the organization. */
  bulkAssignOwner: permissionProcedure("deals.write")
    .input(bulkAssignOwnerInput)
    .mutation(({ ctx, input }) => bulkAssignOwner(ctx.db, ctx, "deal", input.ids, input.ownerId)),
} satisfies TRPCRouterRecord;
