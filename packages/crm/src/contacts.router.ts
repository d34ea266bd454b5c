import { and, contacts, eq } from "@nexo/db";
import { orgProcedure, TRPCError, type TRPCRouterRecord } from "@nexo/trpc";
import { contactColumns, listContacts } from "./contacts.queries";
import { contactIdInput, createContactInput, listContactsInput, updateContactInput } from "./schemas";

const notFound = () => new TRPCError({ code: "NOT_FOUND", message: "Contact not found." });

export const contactsRouter = {
  list: orgProcedure.input(listContactsInput).query(({ ctx, input }) => listContacts(ctx.db, ctx.orgId, input)),

  get: orgProcedure.input(contactIdInput).query(async ({ ctx, input }) => {
    const [row] = await ctx.db
      .select(contactColumns)
      .from(contacts)
      .where(and(eq(contacts.orgId, ctx.orgId), eq(contacts.id, input.id)));
    if (!row) throw notFound();
    return row;
  }),

  create: orgProcedure.input(createContactInput).mutation(async ({ ctx, input }) => {
    const [row] = await ctx.db
      .insert(contacts)
      .values({ ...input, orgId: ctx.orgId, createdBy: ctx.userId })
      .returning(contactColumns);
    if (!row) throw new Error("insert returned no row");
    return row;
  }),

  update: orgProcedure.input(updateContactInput).mutation(async ({ ctx, input }) => {
    const { id, ...changes } = input;
    if (Object.keys(changes).length === 0) {
      throw new TRPCError({ code: "BAD_REQUEST", message: "Nothing to update." });
    }
    const [row] = await ctx.db
      .update(contacts)
      .set(changes)
      .where(and(eq(contacts.orgId, ctx.orgId), eq(contacts.id, id)))
      .returning(contactColumns);
    if (!row) throw notFound();
    return row;
  }),

  delete: orgProcedure.input(contactIdInput).mutation(async ({ ctx, input }) => {
    const [row] = await ctx.db
      .delete(contacts)
      .where(and(eq(contacts.orgId, ctx.orgId), eq(contacts.id, input.id)))
      .returning({ id: contacts.id });
    if (!row) throw notFound();
    return row;
  }),
} satisfies TRPCRouterRecord;
