import { activities, and, asc, contacts, eq, isNull, type SQL, sql } from "@nexo/db";
import { permissionProcedure, type TRPCRouterRecord } from "@nexo/trpc";
import { z } from "zod";
import { activityColumns, timeline } from "./activities.queries";
import {
  completeActivityInput,
  createActivityInput,
  listTasksInput,
  timelineInput,
  updateActivityInput,
} from "./activities.schemas";
import { byId } from "./common.schemas";
import { firstOrThrow, notFound, nothingToUpdate } from "./errors";
import type { DbOrTx } from "./history";
import { cursorId, cursorTime, decodeCursor, pageOf } from "./keyset";
import { assertMember, assertRecord } from "./references";
import { visibleActivities } from "./visibility";

/** A contact's last-activity time only ever moves forward. */
async function touchContact(db: DbOrTx, orgId: string, contactId: string | null, at: Date) {
  if (!contactId) return;
  await db
    .update(contacts)
    .set({ lastActivityAt: sql`greatest(${contacts.lastActivityAt}, ${at.toISOString()}::timestamptz)` })
    .where(and(eq(contacts.orgId, orgId), eq(contacts.id, contactId)));
}

function startOfTodayUtc(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

export const activitiesRouter = {
  create: permissionProcedure("activities.write")
    .input(createActivityInput)
    .mutation(({ ctx, input }) =>
      ctx.db.transaction(async (tx) => {
        if (input.contactId) await assertRecord(tx, ctx, "contact", input.contactId);
        if (input.companyId) await assertRecord(tx, ctx, "company", input.companyId);
        if (input.dealId) await assertRecord(tx, ctx, "deal", input.dealId);
        await assertMember(tx, ctx.orgId, input.assigneeId);
        const row = firstOrThrow(
          await tx
            .insert(activities)
            .values({ ...input, occurredAt: input.occurredAt ?? new Date(), orgId: ctx.orgId, createdBy: ctx.userId })
            .returning(activityColumns),
        );
        await touchContact(tx, ctx.orgId, row.contactId, row.occurredAt);
        return row;
      }),
    ),

  get: permissionProcedure("activities.read")
    .input(byId("activity"))
    .query(async ({ ctx, input }) => {
      const [row] = await ctx.db
        .select(activityColumns)
        .from(activities)
        .where(and(visibleActivities(ctx), eq(activities.id, input.id)));
      if (!row) throw notFound("Activity");
      return row;
    }),

  update: permissionProcedure("activities.write")
    .input(updateActivityInput)
    .mutation(async ({ ctx, input }) => {
      const { id, ...changes } = input;
      if (Object.keys(changes).length === 0) throw nothingToUpdate();
      return ctx.db.transaction(async (tx) => {
        await assertMember(tx, ctx.orgId, changes.assigneeId);
        const [row] = await tx
          .update(activities)
          .set(changes)
          .where(and(visibleActivities(ctx), eq(activities.id, id)))
          .returning(activityColumns);
        if (!row) throw notFound("Activity");
        if (changes.occurredAt) await touchContact(tx, ctx.orgId, row.contactId, row.occurredAt);
        return row;
      });
    }),

  /** Marks a task done (or not done again). */
  complete: permissionProcedure("activities.write")
    .input(completeActivityInput)
    .mutation(async ({ ctx, input }) => {
      const [row] = await ctx.db
        .update(activities)
        .set({ doneAt: input.done ? new Date() : null })
        .where(and(visibleActivities(ctx), eq(activities.id, input.id)))
        .returning(activityColumns);
      if (!row) throw notFound("Activity");
      return row;
    }),

  delete: permissionProcedure("activities.write")
    .input(byId("activity"))
    .mutation(async ({ ctx, input }) => {
      const [row] = await ctx.db
        .delete(activities)
        .where(and(visibleActivities(ctx), eq(activities.id, input.id)))
        .returning({ id: activities.id });
      if (!row) throw notFound("Activity");
      return row;
    }),

  /** Open tasks by due date (soonest first, undated last), optionally for one assignee. */
  tasks: permissionProcedure("activities.read")
    .input(listTasksInput)
    .query(async ({ ctx, input }) => {
      const now = new Date();
      const today = startOfTodayUtc(now);
      const tomorrow = new Date(today.getTime() + 86_400_000);
      const filters: (SQL | undefined)[] = [
        visibleActivities(ctx),
        eq(activities.kind, "task"),
        isNull(activities.doneAt),
      ];
      if (input.assigneeId) filters.push(eq(activities.assigneeId, input.assigneeId));
      if (input.due === "overdue") filters.push(sql`${activities.dueAt} < ${now.toISOString()}::timestamptz`);
      if (input.due === "today") {
        filters.push(
          sql`${activities.dueAt} >= ${today.toISOString()}::timestamptz and ${activities.dueAt} < ${tomorrow.toISOString()}::timestamptz`,
        );
      }
      if (input.due === "upcoming") filters.push(sql`${activities.dueAt} >= ${now.toISOString()}::timestamptz`);
      if (input.cursor) {
        const [dueAt, id] = decodeCursor(input.cursor, z.tuple([cursorTime.nullable(), cursorId]));
        filters.push(
          dueAt === null
            ? sql`(${activities.dueAt} is null and ${activities.id} > ${id}::uuid)`
            : sql`(${activities.dueAt} is null or (${activities.dueAt}, ${activities.id}) > (${dueAt}::timestamptz, ${id}::uuid))`,
        );
      }
      const rows = await ctx.db
        .select(activityColumns)
        .from(activities)
        .where(and(...filters))
        .orderBy(sql`${activities.dueAt} asc nulls last`, asc(activities.id))
        .limit(input.limit + 1);
      return pageOf(rows, input.limit, (t) => [t.dueAt, t.id]);
    }),

  /** A contact's, company's or deal's activities and field changes, newest first. */
  timeline: permissionProcedure("activities.read")
    .input(timelineInput)
    .query(async ({ ctx, input }) => {
      // A record the viewer may see shows all of its activities and changes.
      await assertRecord(ctx.db, ctx, input.entityType, input.entityId);
      return timeline(ctx.db, ctx.orgId, input);
    }),
} satisfies TRPCRouterRecord;
