import { and, contacts, desc, eq, isNotNull, isNull } from "@nexo/db";
import { orgProcedure, type TRPCRouterRecord } from "@nexo/trpc";
import { z } from "zod";
import { trashInput } from "./common.schemas";
import { contactColumns, contactTrackedFields, listContacts } from "./contacts.queries";
import { firstOrThrow, notFound, nothingToUpdate } from "./errors";
import { recordChanges, recordEvent } from "./history";
import { cursorId, cursorTime, decodeCursor, pageOf, rowAfter } from "./keyset";
import { mergeContactsProcedure } from "./merge";
import { assertCompany } from "./references";
import { contactIdInput, createContactInput, listContactsInput, updateContactInput } from "./schemas";
import { withTags } from "./tags.queries";
import { moveToTrash, restoreFromTrash } from "./trash";

export const contactsRouter = {
  list: orgProcedure.input(listContactsInput).query(({ ctx, input }) => listContacts(ctx.db, ctx.orgId, input)),

  get: orgProcedure.input(contactIdInput).query(async ({ ctx, input }) => {
    const [row] = await ctx.db
      .select(contactColumns)
      .from(contacts)
      .where(and(eq(contacts.orgId, ctx.orgId), eq(contacts.id, input.id), isNull(contacts.deletedAt)));
    if (!row) throw notFound("Contact");
    const [tagged] = await withTags(ctx.db, ctx.orgId, "contact", [row]);
    return tagged ?? { ...row, tags: [] };
  }),

  create: orgProcedure.input(createContactInput).mutation(async ({ ctx, input }) => {
    const actor = { orgId: ctx.orgId, userId: ctx.userId };
    return ctx.db.transaction(async (tx) => {
      await assertCompany(tx, ctx.orgId, input.companyId);
      const row = firstOrThrow(
        await tx
          .insert(contacts)
          .values({ ...input, orgId: ctx.orgId, createdBy: ctx.userId })
          .returning(contactColumns),
      );
      await recordEvent(tx, actor, "contact", row.id, "created");
      return { ...row, tags: [] };
    });
  }),

  /** Changes the given fields; each changed field is recorded in the history in the same transaction. */
  update: orgProcedure.input(updateContactInput).mutation(async ({ ctx, input }) => {
    const { id, ...changes } = input;
    if (Object.keys(changes).length === 0) throw nothingToUpdate();
    const actor = { orgId: ctx.orgId, userId: ctx.userId };
    const updated = await ctx.db.transaction(async (tx) => {
      const where = and(eq(contacts.orgId, ctx.orgId), eq(contacts.id, id), isNull(contacts.deletedAt));
      const [before] = await tx.select(contactColumns).from(contacts).where(where).for("update");
      if (!before) throw notFound("Contact");
      await assertCompany(tx, ctx.orgId, changes.companyId);
      const after = firstOrThrow(await tx.update(contacts).set(changes).where(where).returning(contactColumns));
      await recordChanges(tx, actor, "contact", id, before, after, contactTrackedFields);
      return after;
    });
    const [tagged] = await withTags(ctx.db, ctx.orgId, "contact", [updated]);
    return tagged ?? { ...updated, tags: [] };
  }),

  /** Moves the contact to the trash; `restore` brings it back until the trash is purged. */
  delete: orgProcedure
    .input(contactIdInput)
    .mutation(({ ctx, input }) => moveToTrash(ctx.db, { orgId: ctx.orgId, userId: ctx.userId }, "contact", input.id)),

  restore: orgProcedure
    .input(contactIdInput)
    .mutation(({ ctx, input }) =>
      restoreFromTrash(ctx.db, { orgId: ctx.orgId, userId: ctx.userId }, "contact", input.id),
    ),

  trash: orgProcedure.input(trashInput).query(async ({ ctx, input }) => {
    const after = input.cursor
      ? rowAfter([contacts.deletedAt, contacts.id], decodeCursor(input.cursor, z.tuple([cursorTime, cursorId])), "desc")
      : undefined;
    const rows = await ctx.db
      .select(contactColumns)
      .from(contacts)
      .where(and(eq(contacts.orgId, ctx.orgId), isNotNull(contacts.deletedAt), after))
      .orderBy(desc(contacts.deletedAt), desc(contacts.id))
      .limit(input.limit + 1);
    return pageOf(rows, input.limit, (c) => [c.deletedAt, c.id]);
  }),

  /** Moves the duplicate's activities, deals, tags and history to the survivor (see merge.ts). */
  merge: mergeContactsProcedure,
} satisfies TRPCRouterRecord;
