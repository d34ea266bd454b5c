import { and, apiTokens, desc, eq } from "@nexo/db";
import { permissionProcedure, TRPCError, type TRPCRouterRecord } from "@nexo/trpc";
import { generateApiToken } from "./api-tokens";
import { recordAudit } from "./audit";
import { apiTokenIdInput, createApiTokenInput } from "./schemas";

const DAY_MS = 24 * 60 * 60 * 1000;

const tokenColumns = {
  id: apiTokens.id,
  name: apiTokens.name,
  prefix: apiTokens.prefix,
  createdAt: apiTokens.createdAt,
  expiresAt: apiTokens.expiresAt,
  lastUsedAt: apiTokens.lastUsedAt,
};

// Managing tokens needs a browser session: a leaked token must not be able to mint more.
const tokenProcedure = permissionProcedure("apiTokens.manage").meta({ browserOnly: true });

/** The caller's own personal API tokens in the session's organization. */
export const apiTokensRouter = {
  list: tokenProcedure.query(({ ctx }) =>
    ctx.db
      .select(tokenColumns)
      .from(apiTokens)
      .where(and(eq(apiTokens.orgId, ctx.orgId), eq(apiTokens.userId, ctx.userId)))
      .orderBy(desc(apiTokens.id)),
  ),

  /** Creates a token; `token` is returned this once and only its hash is kept. */
  create: tokenProcedure.input(createApiTokenInput).mutation(({ ctx, input }) =>
    ctx.db.transaction(async (tx) => {
      const { token, tokenHash, prefix } = generateApiToken();
      const [row] = await tx
        .insert(apiTokens)
        .values({
          orgId: ctx.orgId,
          userId: ctx.userId,
          name: input.name,
          tokenHash,
          prefix,
          expiresAt: input.expiresInDays ? new Date(Date.now() + input.expiresInDays * DAY_MS) : null,
        })
        .returning(tokenColumns);
      if (!row) throw new Error("INSERT … RETURNING returned no row");
      await recordAudit(tx, ctx, {
        event: "token.created",
        orgId: ctx.orgId,
        actorId: ctx.userId,
        target: { type: "token", id: row.id },
        details: { name: input.name, expiresAt: row.expiresAt?.toISOString() ?? null },
      });
      return { token, apiToken: row };
    }),
  ),

  revoke: tokenProcedure.input(apiTokenIdInput).mutation(({ ctx, input }) =>
    ctx.db.transaction(async (tx) => {
      const [row] = await tx
        .delete(apiTokens)
        .where(and(eq(apiTokens.orgId, ctx.orgId), eq(apiTokens.userId, ctx.userId), eq(apiTokens.id, input.id)))
        .returning(tokenColumns);
      if (!row) throw new TRPCError({ code: "NOT_FOUND", message: "API token not found." });
      await recordAudit(tx, ctx, {
        event: "token.revoked",
        orgId: ctx.orgId,
        actorId: ctx.userId,
        target: { type: "token", id: row.id },
        details: { name: row.name },
      });
      return { id: row.id };
    }),
  ),
} satisfies TRPCRouterRecord;
