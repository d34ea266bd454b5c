import { and, companies, desc, eq, isNotNull } from "@nexo/db";
import { permissionProcedure, type TRPCRouterRecord } from "@nexo/trpc";
import { z } from "zod";
import { bulkAssignOwner, bulkRestore, bulkTrash } from "./bulk";
import { bulkAssignOwnerInput, bulkIdsInput } from "./bulk.schemas";
import { byId, trashInput } from "./common.schemas";
import { companyColumns, companyOverview, companyTrackedFields, listCompanies } from "./companies.queries";
import { createCompanyInput, listCompaniesInput, updateCompanyInput } from "./companies.schemas";
import { customFieldsByRecord, customFieldsColumn, saveCustomFields, withCustomFields } from "./customFields.queries";
import { conflictOn, firstOrThrow, notFound, nothingToUpdate } from "./errors";
import { recordChanges, recordEvent } from "./history";
import { cursorId, cursorTime, decodeCursor, pageOf, rowAfter } from "./keyset";
import { mergeCompaniesProcedure } from "./merge";
import { assertMember } from "./references";
import { recordById } from "./reuse";
import { tagsColumn, withTags } from "./tags.queries";
import { moveToTrash, restoreFromTrash } from "./trash";
import { visibleCompanies } from "./visibility";

const duplicateDomain = "Another company in your organization already has this domain.";

export const companiesRouter = {
  list: permissionProcedure("companies.read")
    .input(listCompaniesInput)
    .query(({ ctx, input }) => listCompanies(ctx.db, ctx, input)),

  get: permissionProcedure("companies.read")
    .input(byId("company"))
    .query(async ({ ctx, input }) => {
      // One statement: the company with its tags and custom field values.
      const [company] = await recordById(ctx, "company", input.id, (where) =>
        ctx.db
          .select({
            ...companyColumns,
            tags: tagsColumn("company", companies),
            customFields: customFieldsColumn("company", companies),
          })
          .from(companies)
          .where(where),
      );
      if (!company) throw notFound("Company");
      return company;
    }),

  /** Everything the company page shows: the company with its tags, its contacts and its deals. */
  overview: permissionProcedure("companies.read")
    .input(byId("company"))
    .query(async ({ ctx, input }) => {
      const overview = await companyOverview(ctx.db, ctx, input.id);
      if (!overview) throw notFound("Company");
      const values = await customFieldsByRecord(ctx.db, ctx.orgId, "company", [input.id]);
      return { ...overview, company: { ...overview.company, customFields: values.get(input.id) ?? {} } };
    }),

  create: permissionProcedure("companies.write")
    .input(createCompanyInput)
    .mutation(async ({ ctx, input }) => {
      const actor = { orgId: ctx.orgId, userId: ctx.userId };
      const { customFields, ...fields } = input;
      return conflictOn("companies_org_domain_key", duplicateDomain, () =>
        ctx.db.transaction(async (tx) => {
          await assertMember(tx, ctx.orgId, fields.ownerId);
          const row = firstOrThrow(
            await tx
              .insert(companies)
              .values({ ...fields, ownerId: fields.ownerId ?? ctx.userId, orgId: ctx.orgId, createdBy: ctx.userId })
              .returning(companyColumns),
          );
          await recordEvent(tx, actor, "company", row.id, "created");
          await saveCustomFields(tx, actor, "company", row.id, customFields);
          const [withValues] = await withCustomFields(tx, ctx.orgId, "company", [row]);
          return { ...row, customFields: withValues?.customFields ?? {} };
        }),
      );
    }),

  update: permissionProcedure("companies.write")
    .input(updateCompanyInput)
    .mutation(async ({ ctx, input }) => {
      const { id, customFields, ...changes } = input;
      const changesFields = Object.keys(changes).length > 0;
      if (!changesFields && customFields === undefined) throw nothingToUpdate();
      const actor = { orgId: ctx.orgId, userId: ctx.userId };
      return conflictOn("companies_org_domain_key", duplicateDomain, () =>
        ctx.db.transaction(async (tx) => {
          const [before] = await tx
            .select(companyColumns)
            .from(companies)
            .where(and(visibleCompanies(ctx), eq(companies.id, id)))
            .for("update");
          if (!before || before.deletedAt) throw notFound("Company");
          await assertMember(tx, ctx.orgId, changes.ownerId);
          // By id alone once locked: reassigning the owner may take it out of the caller's "own" view.
          const after = firstOrThrow(
            await tx
              .update(companies)
              .set(changesFields ? changes : { updatedAt: new Date() })
              .where(and(eq(companies.orgId, ctx.orgId), eq(companies.id, id)))
              .returning(companyColumns),
          );
          await recordChanges(tx, actor, "company", id, before, after, companyTrackedFields);
          await saveCustomFields(tx, actor, "company", id, customFields);
          const [withValues] = await withCustomFields(tx, ctx.orgId, "company", [after]);
          return { ...after, customFields: withValues?.customFields ?? {} };
        }),
      );
    }),

  /** Moves the company to the trash (restorable); its contacts and deals keep their link. */
  delete: permissionProcedure("companies.write")
    .input(byId("company"))
    .mutation(({ ctx, input }) => moveToTrash(ctx.db, ctx, "company", input.id)),

  restore: permissionProcedure("companies.write")
    .input(byId("company"))
    .mutation(({ ctx, input }) => restoreFromTrash(ctx.db, ctx, "company", input.id)),

  trash: permissionProcedure("companies.read")
    .input(trashInput)
    .query(async ({ ctx, input }) => {
      const after = input.cursor
        ? rowAfter(
            [companies.deletedAt, companies.id],
            decodeCursor(input.cursor, z.tuple([cursorTime, cursorId])),
            "desc",
          )
        : undefined;
      const rows = await ctx.db
        .select(companyColumns)
        .from(companies)
        .where(and(visibleCompanies(ctx), isNotNull(companies.deletedAt), after))
        .orderBy(desc(companies.deletedAt), desc(companies.id))
        .limit(input.limit + 1);
      const page = pageOf(rows, input.limit, (c) => [c.deletedAt, c.id]);
      return { ...page, items: await withTags(ctx.db, ctx.orgId, "company", page.items) };
    }),

  /** Moves the duplicate's contacts, deals, activities, tags and history to the survivor (see merge.ts). */
  merge: mergeCompaniesProcedure,
  /** Moves many companies to the trash at once (see bulk.ts); `bulkRestore` is its Undo. */
  bulkDelete: permissionProcedure("companies.write")
    .input(bulkIdsInput)
    .mutation(({ ctx, input }) => bulkTrash(ctx.db, ctx, "company", input.ids)),

  bulkRestore: permissionProcedure("companies.write")
    .input(bulkIdsInput)
    .mutation(({ ctx, input }) => bulkRestore(ctx.db, ctx, "company", input.ids)),

  /** Hands many companies to one member of the organization. */
  bulkAssignOwner: permissionProcedure("companies.write")
    .input(bulkAssignOwnerInput)
    .mutation(({ ctx, input }) => bulkAssignOwner(ctx.db, ctx, "company", input.ids, input.ownerId)),
} satisfies TRPCRouterRecord;
