import { and, desc, eq, importJobs, lt } from "@nexo/db";
import { permissionProcedure, type TRPCRouterRecord } from "@nexo/trpc";
import { z } from "zod";
import { idOf } from "./common.schemas";
import { notFound } from "./errors";

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

  /** The organization's imports, newest first. */
  list: permissionProcedure("import.run")
    .input(z.object({ cursor: idOf("import").nullish(), limit: z.number().int().min(1).max(100).default(20) }))
    .query(async ({ ctx, input }) => {
      const rows = await ctx.db
        .select(jobColumns)
        .from(importJobs)
        .where(and(eq(importJobs.orgId, ctx.orgId), input.cursor ? lt(importJobs.id, input.cursor) : undefined))
        .orderBy(desc(importJobs.id))
        .limit(input.limit + 1);
      const items = rows.slice(0, input.limit);
      return { items, nextCursor: rows.length > input.limit ? (items.at(-1)?.id ?? null) : null };
    }),
} satisfies TRPCRouterRecord;
