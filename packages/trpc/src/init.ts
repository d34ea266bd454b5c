import { initTRPC, TRPCError } from "@trpc/server";
import { ZodError, z } from "zod";
import type { Context, ExpensiveAction } from "./context";
import { can, type Permission } from "./permissions";
import {
  isConcurrentChange,
  isQueryTimeout,
  isServiceUnavailable,
  isUnstorableDate,
  isUnstorableText,
} from "./service-errors";
import { transformer } from "./transformer";

/** Procedure metadata; the permission a procedure needs is readable from the router itself. */
export interface Meta {
  permission?: Permission;
  /** Callable without a session (sign-up, sign-in, invite and reset links). */
  public?: boolean;
  /** Needs a browser session: an API token may not manage sessions, tokens or passwords. */
  browserOnly?: boolean;
  /** Counts against the caller's rate limit for this kind of expensive work. */
  expensive?: ExpensiveAction;
}

export const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    // superjson on the wire; responses are written by a faster walk with the same output.
    transformer,
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

/**
 * Server errors that are not the server's fault, in the order they are told apart, with what the
 * client is told instead: input Postgres refused, a concurrent change, a service that is down.
 */
const knownFailures: {
  is(error: unknown): boolean;
  code: TRPCError["code"];
  message: string;
  /** Kept for the logs (the client never sees a cause). */
  keepCause?: boolean;
}[] = [
  {
    is: isUnstorableText,
    code: "BAD_REQUEST",
    message: "The text contains characters that cannot be stored (such as a NUL character).",
  },
  { is: isUnstorableDate, code: "BAD_REQUEST", message: "A date is outside the range that can be stored." },
  {
    is: isConcurrentChange,
    code: "CONFLICT",
    message: "Someone changed these records at the same moment. Please reload and try again.",
    keepCause: true,
  },
  {
    is: isServiceUnavailable,
    code: "SERVICE_UNAVAILABLE",
    message: "The service is temporarily unavailable. Please try again in a moment.",
    keepCause: true,
  },
];

/**
 * Every procedure runs under a deadline and turns an outage of Postgres or Redis into a clear,
 * retryable answer: 503 when a service is down, 504 when the work did not finish in time (a full
 * pool, a blocked or cancelled query). The work past a deadline is left to the database's own
 * statement timeout.
 */
const serviceGuard = t.middleware(async ({ ctx, next }) => {
  let timer: NodeJS.Timeout | undefined;
  const deadline = ctx.deadlineMs
    ? new Promise<"timeout">((resolve) => {
        timer = setTimeout(() => resolve("timeout"), ctx.deadlineMs);
      })
    : undefined;
  const result = await (deadline ? Promise.race([next(), deadline]) : next()).finally(() => clearTimeout(timer));
  if (result === "timeout" || (!result.ok && isQueryTimeout(result.error))) {
    throw new TRPCError({
      code: "GATEWAY_TIMEOUT",
      message: "The server is too busy to answer in time. Please try again in a moment.",
    });
  }
  if (!result.ok && result.error.code === "INTERNAL_SERVER_ERROR") {
    const known = knownFailures.find((failure) => failure.is(result.error));
    if (known) {
      throw new TRPCError({
        code: known.code,
        message: known.message,
        ...(known.keepCause ? { cause: result.error } : {}),
      });
    }
  }
  return result;
});

const guardedProcedure = t.procedure.use(serviceGuard);

export const publicProcedure = guardedProcedure.meta({ public: true });

/** The caller's live session (cookie or API token): UNAUTHORIZED without one, FORBIDDEN for a token where a browser is needed. */
function sessionOf(ctx: Context, meta: Meta | undefined) {
  if (!ctx.session) throw new TRPCError({ code: "UNAUTHORIZED", message: "Please sign in." });
  if (meta?.browserOnly && ctx.session.via !== "cookie") {
    throw new TRPCError({ code: "FORBIDDEN", message: "This needs a signed-in browser session, not an API token." });
  }
  return ctx.session;
}

/** Requires a live session (cookie or API token); UNAUTHORIZED otherwise. */
export const protectedProcedure = guardedProcedure.use(({ ctx, next, meta }) =>
  next({ ctx: { session: sessionOf(ctx, meta) } }),
);

/** A signed-in browser session; API tokens are refused. */
export const browserProcedure = protectedProcedure.meta({ browserOnly: true });

/**
 * Scoped to the session's organization: every CRM query filters by `ctx.orgId`, which comes from
 * the session and never from input. When the procedure's metadata names a permission, the role must
 * have it (see `permissionProcedure`). One middleware does all of this: each middleware of a tRPC
 * procedure copies the call's options and context once more on every call.
 */
export const orgProcedure = guardedProcedure.use(({ ctx, next, meta }) => {
  const session = sessionOf(ctx, meta);
  if (meta?.permission && !can(session.role, meta.permission)) {
    throw new TRPCError({ code: "FORBIDDEN", message: `Your role (${session.role}) does not allow this.` });
  }
  return next({ ctx: { session, orgId: session.orgId, userId: session.userId, role: session.role } });
});

/**
 * An org procedure that needs `permission` (see permissions.ts). The check runs before the input is
 * parsed, so a role without the permission learns nothing from validation errors either.
 */
export function permissionProcedure(permission: Permission) {
  return orgProcedure.meta({ permission });
}

/**
 * A permission procedure whose every call counts against the caller's limit for `action`
 * (`ctx.limitExpensive`), checked after the permission and before the input is parsed.
 */
export function expensiveProcedure(permission: Permission, action: ExpensiveAction) {
  return permissionProcedure(permission)
    .meta({ expensive: action })
    .use(async ({ ctx, next }) => {
      await ctx.limitExpensive?.(action, { userId: ctx.userId, orgId: ctx.orgId });
      return next();
    });
}
