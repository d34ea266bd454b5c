import { and, desc, eq, importJobs, lt, sql } from "@nexo/db";
import { can, permissionProcedure, type TRPCRouterRecord } from "@nexo/trpc";
import { z } from "zod";
import { idOf } from "./common.schemas";
import { definitionsOf } from "./customFields.queries";
import { notFound } from "./errors";
import { entityTypeOf, importKinds, importTargets } from "./import.fields";

declare module "@nexo/trpc" {
  interface ContextServices {
    /** Largest CSV file the HTTP import accepts, set by the server that runs it. */
    importMaxBytes?: number;
  }
}

const DEFAULT_IMPORT_MAX_BYTES = 50 * 1024 * 1024;

/** What a job reports; the stored errors are fetched as the CSV report instead. */
const jobColumns = {
  id: importJobs.id,
  entityType: importJobs.entityType,
  status: importJobs.status,
  processedRows: importJobs.processedRows,
  committedThroughRow: importJobs.committedThroughRow,
  inserted: importJobs.inserted,
  updated: importJobs.updated,
  skipped: importJobs.skipped,
  failed: importJobs.failed,
  message: importJobs.message,
  /** Rows per committed batch (null for imports older than this field). */
  batchSize: sql<number | null>`(${importJobs.options}->>'batchSize')::int`,
  userId: importJobs.userId,
  createdAt: importJobs.createdAt,
  updatedAt: importJobs.updatedAt,
  finishedAt: importJobs.finishedAt,
};

/**
 * Imports run over HTTP (`POST /import/:kind`, streamed); these follow them while they run and
 * afterwards: every committed batch advances the counts in the same transaction as its rows.
 */
export const importsRouter = {
  /**
   * What a column of a `kind` import may fill (the record's fields, its tags, the organization's
   * custom fields) and the largest file accepted.
   */
  fields: permissionProcedure("import.run")
    .input(z.object({ kind: z.enum(importKinds, "Choose contacts, companies or deals.") }))
    .query(async ({ ctx, input }) => {
      const customFields = await definitionsOf(ctx.db, ctx.orgId, entityTypeOf[input.kind]);
      return {
        kind: input.kind,
        maxBytes: ctx.importMaxBytes ?? DEFAULT_IMPORT_MAX_BYTES,
        targets: importTargets(input.kind, customFields, { canCreateTags: can(ctx.session.role, "tags.manage") }),
      };
    }),

  get: permissionProcedure("import.run")
    .input(z.object({ id: idOf("import") }))
    .query(async ({ ctx, input }) => {
      const [job] = await ctx.db
        .select(jobColumns)
        .from(importJobs)
        .where(and(eq(importJobs.orgId, ctx.orgId), eq(importJobs.id, input.id)));
      if (!job) throw notFound("Import");
      return job;
    }),

  /**
   * The organization's imports, newest first. `uploadId` finds the caller's own import started with
   * that key, while its upload still runs.
   */
  list: permissionProcedure("import.run")
    .input(
      z.object({
        cursor: idOf("import").nullish(),
        limit: z.number().int().min(1).max(100).default(20),
        uploadId: z
          .string()
          .regex(/^[\w-]{8,64}$/, "Not a valid upload id.")
          .optional(),
      }),
    )
    .query(async ({ ctx, input }) => {
      const rows = await ctx.db
        .select(jobColumns)
        .from(importJobs)
        .where(
          and(
            eq(importJobs.orgId, ctx.orgId),
            input.cursor ? lt(importJobs.id, input.cursor) : undefined,
            input.uploadId
              ? and(eq(importJobs.userId, ctx.userId), sql`${importJobs.options}->>'uploadId' = ${input.uploadId}`)
              : undefined,
          ),
        )
        .orderBy(desc(importJobs.id))
        .limit(input.limit + 1);
      const items = rows.slice(0, input.limit);
      return { items, nextCursor: rows.length > input.limit ? (items.at(-1)?.id ?? null) : null };
    }),
} satisfies TRPCRouterRecord;
