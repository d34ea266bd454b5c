import { and, asc, customFieldDefinitions, eq, inArray, savedViews, sql } from "@nexo/db";
import { permissionProcedure, TRPCError, type TRPCRouterRecord } from "@nexo/trpc";
import { byId } from "./common.schemas";
import { customFieldColumns } from "./customFields.queries";
import {
  createCustomFieldInput,
  listCustomFieldsInput,
  reorderCustomFieldsInput,
  updateCustomFieldInput,
} from "./customFields.schemas";
import { conflictOn, firstOrThrow, invalidInput, notFound, nothingToUpdate } from "./errors";

const duplicateKey = "A custom field with this key already exists for this kind of record.";

/** Definitions are organization-wide configuration: everyone reads them, owners and admins change them. */
export const customFieldsRouter = {
  /** In display order, per kind of record. */
  list: permissionProcedure("customFields.read")
    .input(listCustomFieldsInput)
    .query(({ ctx, input }) =>
      ctx.db
        .select(customFieldColumns)
        .from(customFieldDefinitions)
        .where(
          and(
            eq(customFieldDefinitions.orgId, ctx.orgId),
            input?.entityType ? eq(customFieldDefinitions.entityType, input.entityType) : undefined,
          ),
        )
        .orderBy(
          asc(customFieldDefinitions.entityType),
          asc(customFieldDefinitions.position),
          asc(customFieldDefinitions.id),
        ),
    ),

  /** Added after the existing fields of its kind of record. */
  create: permissionProcedure("customFields.manage")
    .input(createCustomFieldInput)
    .mutation(({ ctx, input }) =>
      conflictOn("custom_field_definitions_org_key", duplicateKey, async () =>
        firstOrThrow(
          await ctx.db
            .insert(customFieldDefinitions)
            .values({
              ...input,
              options: input.options ?? null,
              orgId: ctx.orgId,
              position: sql`(select coalesce(max(${customFieldDefinitions.position}) + 1, 0) from ${customFieldDefinitions} where ${customFieldDefinitions.orgId} = ${ctx.orgId} and ${customFieldDefinitions.entityType} = ${input.entityType})`,
            })
            .returning(customFieldColumns),
        ),
      ),
    ),

  /**
   * Renames a field or replaces a select field's options. Stored values that are no longer an
   * option stay until the record is edited; a filter on them still finds them.
   */
  update: permissionProcedure("customFields.manage")
    .input(updateCustomFieldInput)
    .mutation(({ ctx, input }) => {
      const { id, ...changes } = input;
      if (Object.keys(changes).length === 0) throw nothingToUpdate();
      return ctx.db.transaction(async (tx) => {
        const scope = and(eq(customFieldDefinitions.orgId, ctx.orgId), eq(customFieldDefinitions.id, id));
        const [field] = await tx.select(customFieldColumns).from(customFieldDefinitions).where(scope).for("update");
        if (!field) throw notFound("Custom field");
        if (changes.options && field.type !== "select" && field.type !== "multi_select") {
          throw invalidInput("Only select fields have options.", [
            { path: ["options"], message: "Only select fields have options." },
          ]);
        }
        return firstOrThrow(
          await tx.update(customFieldDefinitions).set(changes).where(scope).returning(customFieldColumns),
        );
      });
    }),

  /** Deletes the field and every value stored for it. */
  delete: permissionProcedure("customFields.manage")
    .input(byId("custom field"))
    .mutation(({ ctx, input }) =>
      ctx.db.transaction(async (tx) => {
        const [row] = await tx
          .delete(customFieldDefinitions)
          .where(and(eq(customFieldDefinitions.orgId, ctx.orgId), eq(customFieldDefinitions.id, input.id)))
          .returning({
            id: customFieldDefinitions.id,
            key: customFieldDefinitions.key,
            entityType: customFieldDefinitions.entityType,
          });
        if (!row) throw notFound("Custom field");
        // Saved views that filtered on it drop that filter: a view stays an input its list accepts.
        await tx
          .update(savedViews)
          .set({ filters: sql`${savedViews.filters} - 'customField'` })
          .where(
            and(
              eq(savedViews.orgId, ctx.orgId),
              eq(savedViews.entityType, row.entityType),
              sql`${savedViews.filters} -> 'customField' ->> 'key' = ${row.key}`,
            ),
          );
        return { id: row.id };
      }),
    ),

  /** Puts every field of one kind of record in the given order. */
  reorder: permissionProcedure("customFields.manage")
    .input(reorderCustomFieldsInput)
    .mutation(({ ctx, input }) =>
      ctx.db.transaction(async (tx) => {
        const scope = and(
          eq(customFieldDefinitions.orgId, ctx.orgId),
          eq(customFieldDefinitions.entityType, input.entityType),
        );
        const current = await tx
          .select({ id: customFieldDefinitions.id })
          .from(customFieldDefinitions)
          .where(scope)
          .for("update");
        const known = new Set(current.map((f) => f.id));
        if (input.ids.some((id) => !known.has(id))) throw notFound("Custom field");
        if (new Set(input.ids).size !== input.ids.length || input.ids.length !== known.size) {
          throw new TRPCError({ code: "BAD_REQUEST", message: "List every field of this kind exactly once." });
        }
        await tx
          .update(customFieldDefinitions)
          .set({
            position: sql`case ${customFieldDefinitions.id} ${sql.join(
              input.ids.map((id, position) => sql`when ${id}::uuid then ${position}::int`),
              sql` `,
            )} end`,
          })
          .where(and(scope, inArray(customFieldDefinitions.id, input.ids)));
        return tx
          .select(customFieldColumns)
          .from(customFieldDefinitions)
          .where(scope)
          .orderBy(asc(customFieldDefinitions.position), asc(customFieldDefinitions.id));
      }),
    ),
} satisfies TRPCRouterRecord;
