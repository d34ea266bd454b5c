import { and, asc, customFieldDefinitions, type EntityType, eq, or, savedViews } from "@nexo/db";
import { can, permissionProcedure, TRPCError, type TRPCRouterRecord } from "@nexo/trpc";
import { z } from "zod";
import { byId } from "./common.schemas";
import { customFieldCondition } from "./customFields.queries";
import type { customFieldFilter } from "./customFields.schemas";
import { firstOrThrow, notFound, nothingToUpdate } from "./errors";
import type { DbOrTx } from "./history";
import { assertCompany, assertContacts, assertMember, assertPipeline, assertTags, findStage } from "./references";
import { createViewInput, listViewsInput, updateViewInput, viewQueries } from "./views.schemas";
import { recordTables, type Viewer } from "./visibility";

const viewColumns = {
  id: savedViews.id,
  entityType: savedViews.entityType,
  name: savedViews.name,
  filters: savedViews.filters,
  sort: savedViews.sort,
  columns: savedViews.columns,
  shared: savedViews.shared,
  userId: savedViews.userId,
  createdAt: savedViews.createdAt,
  updatedAt: savedViews.updatedAt,
};

/** The caller's own views and the ones shared in the organization. */
const visibleViews = (viewer: Viewer) =>
  and(eq(savedViews.orgId, viewer.orgId), or(eq(savedViews.userId, viewer.userId), eq(savedViews.shared, true)));

/**
 * A view the caller may change: their own, or a shared one when they may manage shared views.
 * Someone else's private view (or another organization's) is NOT_FOUND.
 */
async function changeableView(db: DbOrTx, viewer: Viewer, id: string) {
  const [view] = await db
    .select(viewColumns)
    .from(savedViews)
    .where(and(visibleViews(viewer), eq(savedViews.id, id)))
    .for("update");
  if (!view) throw notFound("View");
  if (view.userId !== viewer.userId && !can(viewer.role, "views.manageShared")) {
    throw new TRPCError({ code: "FORBIDDEN", message: "Only its owner or an admin may change a shared view." });
  }
  return view;
}

/**
 * The ids a view's filters name must be records the caller could link to (their organization's,
 * and visible to them), else NOT_FOUND: a saved view must not reveal, or keep, another's ids.
 */
async function assertFilterIds(
  db: DbOrTx,
  viewer: Viewer,
  filters: Partial<Record<"ownerId" | "companyId" | "contactId" | "tagId" | "pipelineId" | "stageId", string>>,
) {
  await assertMember(db, viewer.orgId, filters.ownerId);
  await assertCompany(db, viewer, filters.companyId);
  await assertContacts(db, viewer, filters.contactId ? [filters.contactId] : []);
  await assertTags(db, viewer.orgId, filters.tagId ? [filters.tagId] : []);
  await assertPipeline(db, viewer.orgId, filters.pipelineId);
  if (filters.stageId) await findStage(db, viewer.orgId, filters.stageId);
}

/**
 * A custom field filter must name a field of that kind of record and fit its type, as its list checks
 * it. The field is share-locked until the view is saved: a deletion of the field meanwhile waits, and
 * then finds this view to drop the filter from (or, deleted first, the field is not found here).
 */
async function assertCustomFieldFilter(
  db: DbOrTx,
  viewer: Viewer,
  entityType: EntityType,
  filters: { customField?: z.output<typeof customFieldFilter> },
) {
  if (!filters.customField) return;
  await db
    .select({ id: customFieldDefinitions.id })
    .from(customFieldDefinitions)
    .where(
      and(
        eq(customFieldDefinitions.orgId, viewer.orgId),
        eq(customFieldDefinitions.entityType, entityType),
        eq(customFieldDefinitions.key, filters.customField.key),
      ),
    )
    .for("share");
  await customFieldCondition(db, viewer.orgId, entityType, recordTables[entityType].id, filters.customField);
}

export const viewsRouter = {
  list: permissionProcedure("views.save")
    .input(listViewsInput)
    .query(({ ctx, input }) =>
      ctx.db
        .select(viewColumns)
        .from(savedViews)
        .where(and(visibleViews(ctx), eq(savedViews.entityType, input.entityType)))
        .orderBy(asc(savedViews.name), asc(savedViews.id)),
    ),

  create: permissionProcedure("views.save")
    .input(createViewInput)
    .mutation(({ ctx, input }) =>
      ctx.db.transaction(async (tx) => {
        await assertFilterIds(tx, ctx, input.filters);
        await assertCustomFieldFilter(tx, ctx, input.entityType, input.filters);
        return firstOrThrow(
          await tx
            .insert(savedViews)
            .values({ ...input, columns: input.columns ?? null, orgId: ctx.orgId, userId: ctx.userId })
            .returning(viewColumns),
        );
      }),
    ),

  /** New filters and sort must suit the list of the view's kind of record. */
  update: permissionProcedure("views.save")
    .input(updateViewInput)
    .mutation(({ ctx, input }) => {
      const { id, filters, sort, ...changes } = input;
      if (Object.keys(changes).length === 0 && filters === undefined && sort === undefined) throw nothingToUpdate();
      return ctx.db.transaction(async (tx) => {
        const view = await changeableView(tx, ctx, id);
        const query = viewQueries[view.entityType];
        const checked = z
          .object({ filters: query.filters.optional(), sort: query.sort.optional() })
          .safeParse({ filters, sort });
        if (!checked.success) {
          throw new TRPCError({
            code: "BAD_REQUEST",
            message: "This view's filters are not valid.",
            cause: checked.error,
          });
        }
        if (checked.data.filters) {
          // Only ids the update brings: one the view already held may since be trashed or hidden,
          // and the view, sent back whole with another change, stays savable.
          const held = (view.filters ?? {}) as Record<string, unknown>;
          const brought = Object.fromEntries(
            Object.entries(checked.data.filters).filter(([key, value]) => held[key] !== value),
          );
          await assertFilterIds(tx, ctx, brought);
          await assertCustomFieldFilter(tx, ctx, view.entityType, checked.data.filters);
        }
        return firstOrThrow(
          await tx
            .update(savedViews)
            .set({
              ...changes,
              // Only what the call brings: the list's defaults (sort "newest") must not overwrite.
              ...(filters !== undefined && checked.data.filters ? { filters: checked.data.filters } : {}),
              ...(sort !== undefined && checked.data.sort ? { sort: checked.data.sort } : {}),
            })
            .where(and(eq(savedViews.orgId, ctx.orgId), eq(savedViews.id, id)))
            .returning(viewColumns),
        );
      });
    }),

  delete: permissionProcedure("views.save")
    .input(byId("view"))
    .mutation(({ ctx, input }) =>
      ctx.db.transaction(async (tx) => {
        await changeableView(tx, ctx, input.id);
        await tx.delete(savedViews).where(and(eq(savedViews.orgId, ctx.orgId), eq(savedViews.id, input.id)));
        return { id: input.id };
      }),
    ),
} satisfies TRPCRouterRecord;
