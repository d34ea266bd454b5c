import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { ZodError, z } from "zod";
import type { Context } from "./context";

export const t = initTRPC.context<Context>().create({
  transformer: superjson,
  // Stacks never go to clients, whatever NODE_ENV says.
  isDev: false,
  errorFormatter({ shape, error }) {
    const zodError =
      error.code === "BAD_REQUEST" && error.cause instanceof ZodError
        ? z.flattenError(error.cause as ZodError<Record<string, unknown>>)
        : null;
    const internal = error.code === "INTERNAL_SERVER_ERROR";
    return {
      ...shape,
      // Internal details (SQL, driver messages) stay in the server log.
      message: internal ? "Something went wrong on our side. Please try again." : shape.message,
      data: {
        code: shape.data.code,
        httpStatus: shape.data.httpStatus,
        path: shape.data.path,
        zodError,
      },
    };
  },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const middleware = t.middleware;

export const publicProcedure = t.procedure;

/** Requires a live session; UNAUTHORIZED otherwise. */
export const protectedProcedure = t.procedure.use(({ ctx, next }) => {
  if (!ctx.session) throw new TRPCError({ code: "UNAUTHORIZED", message: "Please sign in." });
  return next({ ctx: { session: ctx.session } });
});

/**
 * Scoped to the session's organization: every CRM query filters by `ctx.orgId`, which comes from
 * the session and never from input.
 */
export const orgProcedure = protectedProcedure.use(({ ctx, next }) =>
  next({ ctx: { orgId: ctx.session.orgId, userId: ctx.session.userId, role: ctx.session.role } }),
);
