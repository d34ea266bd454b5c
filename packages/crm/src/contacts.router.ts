import { and, contacts, desc, eq, isNotNull, isNull } from "@nexo/db";
import { permissionProcedure, type TRPCRouterRecord } from "@nexo/trpc";
import { z } from "zod";
import { bulkAssignOwner, bulkRestore, bulkTrash } from "./bulk";
import { bulkAssignOwnerInput, bulkIdsInput } from "./bulk.schemas";
import { trashInput } from "./common.schemas";
import { contactColumns, contactTrackedFields, listContacts } from "./contacts.queries";
import { customFieldsColumn, saveCustomFields, withCustomFields } from "./customFields.queries";
import { firstOrThrow, notFound, nothingToUpdate } from "./errors";
import { recordChanges, recordEvent } from "./history";
import { cursorId, cursorTime, decodeCursor, pageOf, rowAfter } from "./keyset";
import { mergeContactsProcedure } from "./merge";
import { assertCompany, assertMember } from "./references";
import { recordById } from "./reuse";
import { contactIdInput, createContactInput, listContactsInput, updateContactInput } from "./schemas";
import { tagsColumn, withTags } from "./tags.queries";
import { moveToTrash, restoreFromTrash } from "./trash";
import { visibleContacts } from "./visibility";

export const contactsRouter = {
  list: permissionProcedure("contacts.read")
    .input(listContactsInput)
    .query(({ ctx, input }) => listContacts(ctx.db, ctx, input)),

  get: permissionProcedure("contacts.read")
    .input(contactIdInput)
    .query(async ({ ctx, input }) => {
      const [row] = await recordById(ctx, "contact", input.id, (where) =>
        ctx.db
          .select({
            ...contactColumns,
            tags: tagsColumn("contact", contacts),
            customFields: customFieldsColumn("contact", contacts),
          })
          .from(contacts)
          .where(where),
      );
      if (!row) throw notFound("Contact");
      return row;
    }),

  /** The creator owns the new contact (record visibility "own" shows members their own). */
  create: permissionProcedure("contacts.write")
    .input(createContactInput)
    .mutation(async ({ ctx, input }) => {
      const { customFields, ...fields } = input;
      return ctx.db.transaction(async (tx) => {
        await assertCompany(tx, ctx, fields.companyId);
        const row = firstOrThrow(
          await tx
            .insert(contacts)
            .values({ ...fields, orgId: ctx.orgId, createdBy: ctx.userId, ownerId: ctx.userId })
            .returning(contactColumns),
        );
        await recordEvent(tx, ctx, "contact", row.id, "created");
        await saveCustomFields(tx, ctx, "contact", row.id, customFields);
        const [withValues] = await withCustomFields(tx, ctx.orgId, "contact", [row]);
        return { ...row, tags: [], customFields: withValues?.customFields ?? {} };
      });
    }),

  /**
   * Changes the given fields; each changed field is recorded in the history in the same transaction.
   * A new `ownerId` must be a member of the organization (else NOT_FOUND, as for a foreign id).
   */
  update: permissionProcedure("contacts.write")
    .input(updateContactInput)
    .mutation(async ({ ctx, input }) => {
      const { id, customFields, ...changes } = input;
      const changesFields = Object.keys(changes).length > 0;
      if (!changesFields && customFields === undefined) throw nothingToUpdate();
      const updated = await ctx.db.transaction(async (tx) => {
        const where = and(visibleContacts(ctx), eq(contacts.id, id), isNull(contacts.deletedAt));
        const [before] = await tx.select(contactColumns).from(contacts).where(where).for("update");
        if (!before) throw notFound("Contact");
        await assertCompany(tx, ctx, changes.companyId);
        await assertMember(tx, ctx.orgId, changes.ownerId);
        // By id alone now that the row is locked: a member handing their contact to someone else
        // no longer matches "own" afterwards, and the update must still return it.
        // Setting only custom fields still marks the contact as updated.
        const after = firstOrThrow(
          await tx
            .update(contacts)
            .set(changesFields ? changes : { updatedAt: new Date() })
            .where(and(eq(contacts.orgId, ctx.orgId), eq(contacts.id, id)))
            .returning(contactColumns),
        );
        await recordChanges(tx, ctx, "contact", id, before, after, contactTrackedFields);
        await saveCustomFields(tx, ctx, "contact", id, customFields);
        return after;
      });
      const [[tagged], [withValues]] = await Promise.all([
        withTags(ctx.db, ctx.orgId, "contact", [updated]),
        withCustomFields(ctx.db, ctx.orgId, "contact", [updated]),
      ]);
      return { ...updated, tags: tagged?.tags ?? [], customFields: withValues?.customFields ?? {} };
    }),

  /** Moves the contact to the trash; `restore` brings it back until the trash is purged. */
  delete: permissionProcedure("contacts.write")
    .input(contactIdInput)
    .mutation(({ ctx, input }) => moveToTrash(ctx.db, ctx, "contact", input.id)),

  restore: permissionProcedure("contacts.write")
    .input(contactIdInput)
    .mutation(({ ctx, input }) => restoreFromTrash(ctx.db, ctx, "contact", input.id)),

  trash: permissionProcedure("contacts.read")
    .input(trashInput)
    .query(async ({ ctx, input }) => {
      const after = input.cursor
        ? rowAfter(
            [contacts.deletedAt, contacts.id],
            decodeCursor(input.cursor, z.tuple([cursorTime, cursorId])),
            "desc",
          )
        : undefined;
      const rows = await ctx.db
        .select(contactColumns)
        .from(contacts)
        .where(and(visibleContacts(ctx), isNotNull(contacts.deletedAt), after))
        .orderBy(desc(contacts.deletedAt), desc(contacts.id))
        .limit(input.limit + 1);
      return pageOf(rows, input.limit, (c) => [c.deletedAt, c.id]);
    }),

  /** Moves the duplicate's activities, deals, tags and history to the survivor (see merge.ts). */
  merge: mergeContactsProcedure,
  /** Moves many contacts to the trash at once (see bulk.ts); `bulkRestore` is its Undo. */
  bulkDelete: permissionProcedure("contacts.write")
    .input(bulkIdsInput)
    .mutation(({ ctx, input }) => bulkTrash(ctx.db, ctx, "contact", input.ids)),

  bulkRestore: permissionProcedure("contacts.write")
    .input(bulkIdsInput)
    .mutation(({ ctx, input }) => bulkRestore(ctx.db, ctx, "contact", input.ids)),

  /** Hands many contacts to one member of the organization. */
  bulkAssignOwner: permissionProcedure("contacts.write")
    .input(bulkAssignOwnerInput)
    .mutation(({ ctx, input }) => bulkAssignOwner(ctx.db, ctx, "contact", input.ids, input.ownerId)),
} satisfies TRPCRouterRecord;
