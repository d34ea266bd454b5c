import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { ZodError, z } from "zod";
import type { Context } from "./context";
import { can, type Permission } from "./permissions";

/** Procedure metadata; the permission a procedure needs is readable from the router itself. */
export interface Meta {
  permission?: Permission;
  /** Callable without a session (sign-up, sign-in, invite and reset links). */
  public?: boolean;
  /** Needs a browser session: an API token may not manage sessions, tokens or passwords. */
  browserOnly?: boolean;
}

export const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
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

export const publicProcedure = t.procedure.meta({ public: true });

/** Requires a live session (cookie or API token); UNAUTHORIZED otherwise. */
export const protectedProcedure = t.procedure.use(({ ctx, next, meta }) => {
  if (!ctx.session) throw new TRPCError({ code: "UNAUTHORIZED", message: "Please sign in." });
  if (meta?.browserOnly && ctx.session.via !== "cookie") {
    throw new TRPCError({ code: "FORBIDDEN", message: "This needs a signed-in browser session, not an API token." });
  }
  return next({ ctx: { session: ctx.session } });
});

/** A signed-in browser session; API tokens are refused. */
export const browserProcedure = protectedProcedure.meta({ browserOnly: true });

/**
 * Scoped to the session's organization: every CRM query filters by `ctx.orgId`, which comes from
 * the session and never from input.
 */
export const orgProcedure = protectedProcedure.use(({ ctx, next }) =>
  next({ ctx: { orgId: ctx.session.orgId, userId: ctx.session.userId, role: ctx.session.role } }),
);

/**
 * An org procedure that needs `permission` (see permissions.ts). The check runs before the input is
 * parsed, so a role without the permission learns nothing from validation errors either.
 */
export function permissionProcedure(permission: Permission) {
  return orgProcedure.meta({ permission }).use(({ ctx, next }) => {
    if (!can(ctx.role, permission)) {
      throw new TRPCError({ code: "FORBIDDEN", message: `Your role (${ctx.role}) does not allow this.` });
    }
    return next();
  });
}
