import { randomUUID } from "node:crypto";
import { type DbHandle, eq, memberships, organizations, users } from "@nexo/db";
import { createTestDb } from "@nexo/db/testing";
import { type Context, createCallerFactory, router, TRPCError } from "@nexo/trpc";
import { getTRPCErrorShape } from "@trpc/server";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authRouter } from "./auth.router";
import { type AuthService, createAuth } from "./service";
import { deleteKeys, inspectRedis, redisUrl, silentLog, uniqueKeyPrefix } from "./testing";

const appRouter = router({ auth: authRouter });
const createCaller = createCallerFactory(appRouter);
const keyPrefix = uniqueKeyPrefix();

let handle: DbHandle;
let auth: AuthService;

beforeAll(async () => {
  handle = await createTestDb();
  auth = createAuth({
    secret: "a-test-secret-that-is-long-enough-for-hs256",
    appUrl: "http://localhost:3000",
    redisUrl,
    keyPrefix,
    log: silentLog,
  });
});

afterAll(async () => {
  await auth?.close();
  await handle?.close();
});

/**
 * Plays the browser and the gateway: sends the cookie it holds, resolves the session from it before
 * each call, and keeps whatever Set-Cookie the response carries.
 */
function browser(cookie: string | null = null) {
  return {
    get cookie() {
      return cookie;
    },
    async call<T>(procedure: (caller: ReturnType<typeof createCaller>) => Promise<T>): Promise<T> {
      const headers = new Headers(cookie ? { cookie } : {});
      const resHeaders = new Headers();
      const ctx: Context = {
        db: handle.db,
        log: silentLog,
        requestId: randomUUID(),
        headers,
        ip: "127.0.0.1",
        resHeaders,
        session: await auth.resolveSession(headers, resHeaders),
        auth,
      };
      try {
        return await procedure(createCaller(ctx));
      } finally {
        for (const setCookie of resHeaders.getSetCookie()) {
          const pair = setCookie.split(";")[0]!;
          cookie = / Max-Age=0(;|$)/.test(setCookie) ? null : pair;
        }
      }
    },
  };
}

let emails = 0;
function newAccount() {
  emails += 1;
  return {
    name: "Ada Lovelace",
    email: `ada${emails}@example.com`,
    password: "correct horse battery",
    organizationName: "Analytical Engines",
  };
}

/** The rejection of `promise`, as the error formatter shapes it for the client. */
async function clientError(promise: Promise<unknown>, path: string, input?: unknown) {
  const error = await promise.then(
    () => {
      throw new Error("expected the call to fail");
    },
    (cause: unknown) => cause,
  );
  expect(error).toBeInstanceOf(TRPCError);
  return getTRPCErrorShape({
    config: appRouter._def._config,
    error: error as TRPCError,
    type: "unknown",
    path,
    input,
    ctx: undefined,
  });
}

describe("auth.register", () => {
  it("creates the user, the organization and an owner membership, and signs in", async () => {
    const alice = browser();
    const input = { ...newAccount(), name: "  Ada Lovelace ", email: `  ${newAccount().email.toUpperCase()} ` };
    const result = await alice.call((c) => c.auth.register(input));
    expect(result).toEqual({
      user: { id: expect.any(String), name: "Ada Lovelace", email: input.email.trim().toLowerCase() },
      organization: { id: expect.any(String), name: "Analytical Engines" },
      role: "owner",
    });
    expect(alice.cookie).toMatch(/^nexo_session=/);
    expect(await alice.call((c) => c.auth.me())).toEqual(result);

    const [stored] = await handle.db.select().from(users).where(eq(users.id, result.user.id));
    expect(stored?.passwordHash).toMatch(/^\$argon2id\$/);
    const owned = await handle.db.select().from(memberships).where(eq(memberships.userId, result.user.id));
    expect(owned).toEqual([expect.objectContaining({ orgId: result.organization.id, role: "owner" })]);
  });

  it("refuses an email that already has an account, whatever its case", async () => {
    const input = newAccount();
    await browser().call((c) => c.auth.register(input));
    for (const email of [input.email, input.email.toUpperCase()]) {
      const shape = await clientError(
        browser().call((c) => c.auth.register({ ...newAccount(), email, organizationName: "Duplicate Ltd" })),
        "auth.register",
      );
      expect(shape.data.code).toBe("CONFLICT");
      expect(shape.message).toBe("An account with this email already exists.");
    }
    // The failed transactions left nothing behind.
    const orgs = await handle.db.select().from(organizations).where(eq(organizations.name, "Duplicate Ltd"));
    expect(orgs).toEqual([]);
  });

  it("lets exactly one of two simultaneous sign-ups with the same email through", async () => {
    const input = newAccount();
    const results = await Promise.allSettled([
      browser().call((c) => c.auth.register({ ...input, organizationName: "Race Ltd" })),
      browser().call((c) => c.auth.register({ ...input, organizationName: "Race Ltd" })),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.find((r) => r.status === "rejected");
    expect((rejected as PromiseRejectedResult).reason).toMatchObject({ code: "CONFLICT" });
    const orgs = await handle.db.select().from(organizations).where(eq(organizations.name, "Race Ltd"));
    expect(orgs).toHaveLength(1);
  });

  it("answers invalid input with BAD_REQUEST and the issues per field", async () => {
    const input = { name: "   ", email: "not-an-email", password: "short", organizationName: "x".repeat(101) };
    const shape = await clientError(
      browser().call((c) => c.auth.register(input)),
      "auth.register",
      input,
    );
    expect(shape.data.code).toBe("BAD_REQUEST");
    expect(shape.data.httpStatus).toBe(400);
    // The formatter's ZodError is untyped, so fieldErrors comes out as `{}`: view it as a plain record.
    const fieldErrors: Record<string, string[] | undefined> = shape.data.zodError?.fieldErrors ?? {};
    expect(Object.keys(fieldErrors).sort()).toEqual(["email", "name", "organizationName", "password"]);
    expect(fieldErrors.password).toEqual(["Use at least 10 characters."]);
  });
});

describe("auth.login", () => {
  it("signs in with a new session and returns the user's oldest organization", async () => {
    const input = newAccount();
    const registered = await browser().call((c) => c.auth.register(input));
    const [later] = await handle.db.insert(organizations).values({ name: "Joined later" }).returning();
    await handle.db.insert(memberships).values({
      orgId: later!.id,
      userId: registered.user.id,
      role: "member",
      createdAt: new Date(Date.now() + 60_000),
    });

    const bob = browser();
    const result = await bob.call((c) =>
      c.auth.login({ email: ` ${input.email.toUpperCase()}`, password: input.password }),
    );
    expect(result).toEqual(registered);
    expect(await bob.call((c) => c.auth.me())).toEqual(registered);
  });

  it("rotates the session: the cookie from before login stops working", async () => {
    const input = newAccount();
    const carol = browser();
    await carol.call((c) => c.auth.register(input));
    const before = carol.cookie!;
    await carol.call((c) => c.auth.login({ email: input.email, password: input.password }));
    expect(carol.cookie).not.toBe(before);
    expect(await auth.resolveSession(new Headers({ cookie: before }))).toBeNull();
    expect(await auth.resolveSession(new Headers({ cookie: carol.cookie! }))).not.toBeNull();
  });

  it("gives a wrong password and an unknown email the same answer", async () => {
    const input = newAccount();
    await browser().call((c) => c.auth.register(input));
    const wrongPassword = await clientError(
      browser().call((c) => c.auth.login({ email: input.email, password: "not the password" })),
      "auth.login",
    );
    const unknownEmail = await clientError(
      browser().call((c) => c.auth.login({ email: `nobody-${randomUUID()}@example.com`, password: input.password })),
      "auth.login",
    );
    expect(wrongPassword).toEqual(unknownEmail);
    expect(wrongPassword.data.code).toBe("UNAUTHORIZED");
    expect(wrongPassword.message).toBe("Invalid email or password.");
  });
});

describe("auth.logout", () => {
  it("ends the session: the same cookie is rejected on the next request", async () => {
    const dave = browser();
    await dave.call((c) => c.auth.register(newAccount()));
    const cookie = dave.cookie!;
    expect(await dave.call((c) => c.auth.logout())).toEqual({ ok: true });
    expect(dave.cookie).toBeNull();
    expect(await auth.resolveSession(new Headers({ cookie }))).toBeNull();
    const replayed = await clientError(
      browser(cookie).call((c) => c.auth.me()),
      "auth.me",
    );
    expect(replayed.data.code).toBe("UNAUTHORIZED");
  });
});

describe("auth.me", () => {
  it("is UNAUTHORIZED without a session", async () => {
    const shape = await clientError(
      browser().call((c) => c.auth.me()),
      "auth.me",
    );
    expect(shape.data.code).toBe("UNAUTHORIZED");
  });

  it("is UNAUTHORIZED once the user has been deleted, and ends the session", async () => {
    const erin = browser();
    const { user } = await erin.call((c) => c.auth.register(newAccount()));
    const cookie = erin.cookie!;
    await handle.db.delete(users).where(eq(users.id, user.id));
    const shape = await clientError(
      erin.call((c) => c.auth.me()),
      "auth.me",
    );
    expect(shape.data.code).toBe("UNAUTHORIZED");
    expect(erin.cookie).toBeNull();
    expect(await auth.resolveSession(new Headers({ cookie }))).toBeNull();
  });
});

describe.runIf(redisUrl)("sessions in Redis", () => {
  let redis: Redis;
  beforeAll(() => {
    redis = inspectRedis(redisUrl!);
  });
  afterAll(async () => {
    await deleteKeys(redis, keyPrefix);
    await redis.quit();
  });

  it("are stored under the key prefix, every key with a TTL", async () => {
    await browser().call((c) => c.auth.register(newAccount()));
    const keys = await redis.keys(`${keyPrefix}*`);
    for (const kind of ["session:", "user-sessions:", "rate:"]) {
      expect(keys.some((k) => k.startsWith(keyPrefix + kind))).toBe(true);
    }
    for (const key of keys) expect(await redis.ttl(key)).toBeGreaterThan(0);
  });
});
