import { and, contacts, eq } from "@nexo/db";
import { permissionProcedure, TRPCError, type TRPCRouterRecord } from "@nexo/trpc";
import { contactColumns, listContacts, visibleContacts } from "./contacts.queries";
import { contactIdInput, createContactInput, listContactsInput, updateContactInput } from "./schemas";

const notFound = () => new TRPCError({ code: "NOT_FOUND", message: "Contact not found." });

export const contactsRouter = {
  list: permissionProcedure("contacts.read")
    .input(listContactsInput)
    .query(({ ctx, input }) => listContacts(ctx.db, ctx, input)),

  get: permissionProcedure("contacts.read")
    .input(contactIdInput)
    .query(async ({ ctx, input }) => {
      const [row] = await ctx.db
        .select(contactColumns)
        .from(contacts)
        .where(and(visibleContacts(ctx), eq(contacts.id, input.id)));
      if (!row) throw notFound();
      return row;
    }),

  create: permissionProcedure("contacts.write")
    .input(createContactInput)
    .mutation(async ({ ctx, input }) => {
      const [row] = await ctx.db
        .insert(contacts)
        .values({ ...input, orgId: ctx.orgId, createdBy: ctx.userId, ownerId: ctx.userId })
        .returning(contactColumns);
      if (!row) throw new Error("insert returned no row");
      return row;
    }),

  update: permissionProcedure("contacts.write")
    .input(updateContactInput)
    .mutation(async ({ ctx, input }) => {
      const { id, ...changes } = input;
      if (Object.keys(changes).length === 0) {
        throw new TRPCError({ code: "BAD_REQUEST", message: "Nothing to update." });
      }
      const [row] = await ctx.db
        .update(contacts)
        .set(changes)
        .where(and(visibleContacts(ctx), eq(contacts.id, id)))
        .returning(contactColumns);
      if (!row) throw notFound();
      return row;
    }),

  delete: permissionProcedure("contacts.write")
    .input(contactIdInput)
    .mutation(async ({ ctx, input }) => {
      const [row] = await ctx.db
        .delete(contacts)
        .where(and(visibleContacts(ctx), eq(contacts.id, input.id)))
        .returning({ id: contacts.id });
      if (!row) throw notFound();
      return row;
    }),
} satisfies TRPCRouterRecord;
