import { activities, and, contacts, eq, sql } from "@nexo/db";
import { permissionProcedure, TRPCError, type TRPCRouterRecord } from "@nexo/trpc";
import { activityColumns, namesForChanges, timeline } from "./activities.queries";
import {
  type ActivityKind,
  completeActivityInput,
  createActivityInput,
  listTasksInput,
  misplacedFields,
  timelineInput,
  updateActivityInput,
} from "./activities.schemas";
import { byId } from "./common.schemas";
import { firstOrThrow, invalidInput, notFound, nothingToUpdate } from "./errors";
import type { DbOrTx } from "./history";
import { assertMember, assertRecord } from "./references";
import { listTasks } from "./tasks.queries";
import { type Viewer, visibleActivities } from "./visibility";

/** A contact's last-activity time only ever moves forward. */
async function touchContact(db: DbOrTx, orgId: string, contactId: string | null, at: Date) {
  if (!contactId) return;
  await db
    .update(contacts)
    .set({ lastActivityAt: sql`greatest(${contacts.lastActivityAt}, ${at.toISOString()}::timestamptz)` })
    .where(and(eq(contacts.orgId, orgId), eq(contacts.id, contactId)));
}

/** The kind of an activity the caller may see, its row locked for the write that follows; NOT_FOUND otherwise. */
async function kindOf(tx: DbOrTx, viewer: Viewer, id: string): Promise<ActivityKind> {
  const [row] = await tx
    .select({ kind: activities.kind })
    .from(activities)
    .where(and(visibleActivities(viewer), eq(activities.id, id)))
    .for("update");
  if (!row) throw notFound("Activity");
  return row.kind;
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
        const kind = await kindOf(tx, ctx, id);
        const misplaced = misplacedFields(kind, changes);
        if (misplaced.length > 0) throw invalidInput(misplaced[0]?.message ?? "", misplaced);
        await assertMember(tx, ctx.orgId, changes.assigneeId);
        const row = firstOrThrow(
          await tx
            .update(activities)
            .set(changes)
            .where(and(eq(activities.orgId, ctx.orgId), eq(activities.id, id)))
            .returning(activityColumns),
        );
        if (changes.occurredAt) await touchContact(tx, ctx.orgId, row.contactId, row.occurredAt);
        return row;
      });
    }),

  /** Marks a task done (or not done again). */
  complete: permissionProcedure("activities.write")
    .input(completeActivityInput)
    .mutation(({ ctx, input }) =>
      ctx.db.transaction(async (tx) => {
        if ((await kindOf(tx, ctx, input.id)) !== "task") {
          throw new TRPCError({ code: "BAD_REQUEST", message: "Only tasks can be marked done." });
        }
        return firstOrThrow(
          await tx
            .update(activities)
            .set({ doneAt: input.done ? new Date() : null })
            .where(and(eq(activities.orgId, ctx.orgId), eq(activities.id, input.id)))
            .returning(activityColumns),
        );
      }),
    ),

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

  /**
   * Open tasks by due date (soonest first, undated last), optionally for one assignee and one due
   * bucket, with the names of the records they are attached to.
   */
  tasks: permissionProcedure("activities.read")
    .input(listTasksInput)
    .query(({ ctx, input }) => listTasks(ctx.db, ctx, input)),

  /**
   * A contact's, company's or deal's activities and field changes, newest first, with the names of
   * the companies and contacts those changes refer to (`names`, by id).
   */
  timeline: permissionProcedure("activities.read")
    .input(timelineInput)
    .query(async ({ ctx, input }) => {
      // A record the viewer may see shows all of its activities and changes.
      await assertRecord(ctx.db, ctx, input.entityType, input.entityId);
      const page = await timeline(ctx.db, ctx.orgId, input);
      const changes = page.items.flatMap((entry) => (entry.type === "change" ? [entry.change] : []));
      return { ...page, names: await namesForChanges(ctx.db, ctx, changes) };
    }),
} satisfies TRPCRouterRecord;
