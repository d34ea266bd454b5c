import { and, asc, eq, inArray, not, sql, taggings, tags } from "@nexo/db";
import { permissionProcedure, type TRPCRouterRecord } from "@nexo/trpc";
import { z } from "zod";
import { bulkAddTag } from "./bulk";
import { bulkAddTagInput } from "./bulk.schemas";
import { byId } from "./common.schemas";
import { conflictOn, firstOrThrow, notFound, nothingToUpdate } from "./errors";
import { recordChanges } from "./history";
import { assertRecord, assertTags } from "./references";
import { createTagInput, setTagsInput, updateTagInput } from "./tags.schemas";

const tagColumns = { id: tags.id, name: tags.name, color: tags.color, createdAt: tags.createdAt };
const duplicateName = "A tag with this name already exists.";

export const tagsRouter = {
  list: permissionProcedure("tags.read")
    .input(z.object({}).optional())
    .query(({ ctx }) =>
      ctx.db
        .select(tagColumns)
        .from(tags)
        .where(eq(tags.orgId, ctx.orgId))
        .orderBy(asc(sql`lower(${tags.name})`)),
    ),

  create: permissionProcedure("tags.manage")
    .input(createTagInput)
    .mutation(({ ctx, input }) =>
      conflictOn("tags_org_name_key", duplicateName, async () =>
        firstOrThrow(
          await ctx.db
            .insert(tags)
            .values({ ...input, orgId: ctx.orgId })
            .returning(tagColumns),
        ),
      ),
    ),

  update: permissionProcedure("tags.manage")
    .input(updateTagInput)
    .mutation(async ({ ctx, input }) => {
      const { id, ...changes } = input;
      if (Object.keys(changes).length === 0) throw nothingToUpdate();
      const [row] = await conflictOn("tags_org_name_key", duplicateName, () =>
        ctx.db
          .update(tags)
          .set(changes)
          .where(and(eq(tags.orgId, ctx.orgId), eq(tags.id, id)))
          .returning(tagColumns),
      );
      if (!row) throw notFound("Tag");
      return row;
    }),

  delete: permissionProcedure("tags.manage")
    .input(byId("tag"))
    .mutation(async ({ ctx, input }) => {
      const [row] = await ctx.db
        .delete(tags)
        .where(and(eq(tags.orgId, ctx.orgId), eq(tags.id, input.id)))
        .returning({ id: tags.id });
      if (!row) throw notFound("Tag");
      return row;
    }),

  /** Replaces the tags of one contact, company or deal; the change is recorded in its history. */
  set: permissionProcedure("tags.apply")
    .input(setTagsInput)
    .mutation(async ({ ctx, input }) => {
      const actor = { orgId: ctx.orgId, userId: ctx.userId };
      const tagIds = [...new Set(input.tagIds)];
      return ctx.db.transaction(async (tx) => {
        // The record locked until this commits: two calls replace its tags one after the other,
        // and a merge or trash that got there first leaves nothing to tag (NOT_FOUND).
        await assertRecord(tx, ctx, input.entityType, input.entityId, "no key update");
        await assertTags(tx, ctx.orgId, tagIds);
        const scope = and(
          eq(taggings.orgId, ctx.orgId),
          eq(taggings.entityType, input.entityType),
          eq(taggings.entityId, input.entityId),
        );
        const before = await tx.select({ tagId: taggings.tagId }).from(taggings).where(scope);
        await tx.delete(taggings).where(tagIds.length > 0 ? and(scope, not(inArray(taggings.tagId, tagIds))) : scope);
        if (tagIds.length > 0) {
          await tx
            .insert(taggings)
            .values(
              tagIds.map((tagId) => ({
                orgId: ctx.orgId,
                tagId,
                entityType: input.entityType,
                entityId: input.entityId,
              })),
            )
            .onConflictDoNothing();
        }
        const old = before.map((b) => b.tagId).sort();
        const now = [...tagIds].sort();
        await recordChanges(tx, actor, input.entityType, input.entityId, { tags: old }, { tags: now }, ["tags"]);
        return { entityId: input.entityId, tagIds: now };
      });
    }),
  /** Adds one tag to many contacts, companies or deals at once, keeping their other tags (see bulk.ts). */
  bulkAdd: permissionProcedure("tags.apply")
    .input(bulkAddTagInput)
    .mutation(({ ctx, input }) => bulkAddTag(ctx.db, ctx, input.entityType, input.ids, input.tagId)),
} satisfies TRPCRouterRecord;
