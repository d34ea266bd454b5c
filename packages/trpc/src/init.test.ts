import { getTRPCErrorShape } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { Context } from "./context";
import {
  createCallerFactory,
  orgProcedure,
  permissionProcedure,
  protectedProcedure,
  publicProcedure,
  router,
  t,
} from "./init";
import { isUniqueViolation } from "./pg-errors";

const testRouter = router({
  echo: publicProcedure.input(z.object({ email: z.email(), age: z.number().int() })).query(({ input }) => input),
  whoami: protectedProcedure.query(({ ctx }) => ctx.session.userId),
  scope: orgProcedure.query(({ ctx }) => ({ orgId: ctx.orgId, userId: ctx.userId, role: ctx.role })),
  invite: permissionProcedure("members.manage")
    .input(z.object({ email: z.email() }))
    .mutation(({ ctx, input }) => `${ctx.role} invites ${input.email}`),
  rotate: permissionProcedure("members.manage")
    .meta({ browserOnly: true })
    .mutation(({ ctx }) => ctx.userId),
  boom: publicProcedure.query(() => {
    throw new Error('relation "secret_table" does not exist');
  }),
});

const silentLog = { debug() {}, info() {}, warn() {}, error() {} };
function context(session: Context["session"]): Context {
  return {
    db: {} as Context["db"],
    log: silentLog,
    requestId: "r",
    headers: new Headers(),
    ip: "127.0.0.1",
    resHeaders: new Headers(),
    session,
  } as Context;
}
const call = createCallerFactory(testRouter);

async function shapeOf(promise: Promise<unknown>) {
  const error = await promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (e: unknown) => e,
  );
  return getTRPCErrorShape({
    config: t._config,
    error: error as never,
    type: "query",
    path: "test",
    input: undefined,
    ctx: undefined,
  });
}

describe("the shared tRPC setup", () => {
  it("flattens zod issues per field on BAD_REQUEST", async () => {
    const shape = await shapeOf(call(context(null)).echo({ email: "nope", age: 1.5 }));
    expect(shape.data.code).toBe("BAD_REQUEST");
    expect(Object.keys(shape.data.zodError?.fieldErrors ?? {}).sort()).toEqual(["age", "email"]);
  });

  it("hides internal details and stacks from clients", async () => {
    const shape = await shapeOf(call(context(null)).boom());
    expect(shape.data.code).toBe("INTERNAL_SERVER_ERROR");
    expect(shape.message).not.toContain("secret_table");
    expect(JSON.stringify(shape)).not.toContain("secret_table");
    expect("stack" in shape.data).toBe(false);
  });

  it("requires a session for protected procedures", async () => {
    const shape = await shapeOf(call(context(null)).whoami());
    expect(shape.data.code).toBe("UNAUTHORIZED");
    const session = { id: "s", userId: "u1", orgId: "o1", role: "member" as const, via: "cookie" as const };
    expect(await call(context(session)).whoami()).toBe("u1");
  });

  it("scopes org procedures to the session's organization", async () => {
    const session = { id: "s", userId: "u1", orgId: "o1", role: "admin" as const, via: "cookie" as const };
    expect(await call(context(session)).scope()).toEqual({ orgId: "o1", userId: "u1", role: "admin" });
    expect((await shapeOf(call(context(null)).scope())).data.code).toBe("UNAUTHORIZED");
  });

  it("checks a procedure's permission before its input, and a browser session where one is needed", async () => {
    const as = (role: "owner" | "member", via: "cookie" | "token" = "cookie") =>
      call(context({ id: "s", userId: "u1", orgId: "o1", role, via }));
    expect(await as("owner").invite({ email: "ada@example.com" })).toBe("owner invites ada@example.com");
    // A role without the permission learns nothing from validation: FORBIDDEN, not BAD_REQUEST.
    expect((await shapeOf(as("member").invite({ email: "not an email" }))).data.code).toBe("FORBIDDEN");
    expect((await shapeOf(as("owner").invite({ email: "not an email" }))).data.code).toBe("BAD_REQUEST");
    expect((await shapeOf(call(context(null)).invite({ email: "ada@example.com" }))).data.code).toBe("UNAUTHORIZED");
    expect(await as("owner").rotate()).toBe("u1");
    expect((await shapeOf(as("owner", "token").rotate())).data.code).toBe("FORBIDDEN");
    expect((await shapeOf(as("member").rotate())).data.code).toBe("FORBIDDEN");
  });
});

describe("isUniqueViolation", () => {
  it("finds a unique violation through driver wrappers, optionally by constraint", () => {
    const driverError = { code: "23505", constraint_name: "users_email_key" };
    const wrapped = new Error("Failed query", { cause: driverError });
    expect(isUniqueViolation(wrapped)).toBe(true);
    expect(isUniqueViolation(wrapped, "users_email_key")).toBe(true);
    expect(isUniqueViolation(wrapped, "other_key")).toBe(false);
    expect(isUniqueViolation(new Error("x", { cause: { code: "23503" } }))).toBe(false);
    expect(isUniqueViolation(undefined)).toBe(false);
  });
});

describe("the service guard", () => {
  const slowRouter = router({
    slow: publicProcedure.query(() => new Promise<string>((resolve) => setTimeout(() => resolve("late"), 500))),
    down: publicProcedure.query(() => {
      throw new Error("Failed query", { cause: { code: "ECONNREFUSED" } });
    }),
    failing: publicProcedure.input(z.string()).query(({ input }) => {
      throw new Error("Failed query", { cause: { code: input } });
    }),
  });
  const callSlow = createCallerFactory(slowRouter);

  it("answers GATEWAY_TIMEOUT past the request deadline", async () => {
    const shape = await shapeOf(callSlow({ ...context(null), deadlineMs: 20 }).slow());
    expect(shape.data.code).toBe("GATEWAY_TIMEOUT");
    expect(await callSlow({ ...context(null), deadlineMs: 5_000 }).slow()).toBe("late");
  });

  it("answers SERVICE_UNAVAILABLE when a backing service is down", async () => {
    const shape = await shapeOf(callSlow(context(null)).down());
    expect(shape.data.code).toBe("SERVICE_UNAVAILABLE");
    expect(shape.message).toMatch(/temporarily unavailable/);
  });

  it("answers what Postgres refused for the input or for a concurrent change as a client error", async () => {
    const answers = [];
    for (const code of ["22021", "22008", "22007", "23503", "40P01", "40001", "42P01"]) {
      const shape = await shapeOf(callSlow(context(null)).failing(code));
      answers.push([code, shape.data.code]);
    }
    expect(answers).toEqual([
      ["22021", "BAD_REQUEST"],
      ["22008", "BAD_REQUEST"],
      ["22007", "BAD_REQUEST"],
      ["23503", "CONFLICT"],
      ["40P01", "CONFLICT"],
      ["40001", "CONFLICT"],
      // Anything else stays a server error, its details hidden.
      ["42P01", "INTERNAL_SERVER_ERROR"],
    ]);
  });
});
