import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AuthService, createAuth } from "./service";
import { deleteKeys, inspectRedis, redisUrl, silentLog, uniqueKeyPrefix } from "./testing";

const secret = "a-test-secret-that-is-long-enough-for-hs256";
const grant = {
  userId: "0190f0d8-0000-7000-8000-000000000001",
  orgId: "0190f0d8-0000-7000-8000-000000000002",
  role: "owner",
} as const;

async function startSession(auth: AuthService) {
  const resHeaders = new Headers();
  const session = await auth.startSession(grant, { headers: new Headers(), resHeaders });
  const [setCookie] = resHeaders.getSetCookie();
  return { session, setCookie: setCookie! };
}

describe("createAuth", () => {
  it("uses memory sessions and a plain cookie for an http app without Redis", async () => {
    const auth = createAuth({ secret, appUrl: "http://localhost:3000", log: silentLog });
    expect(auth.storeKind).toBe("memory");
    await expect(auth.ping()).resolves.toBeUndefined();
    const { session, setCookie } = await startSession(auth);
    expect(setCookie).toMatch(/^nexo_session=.+; HttpOnly; Path=\/; SameSite=Lax; Max-Age=2592000$/);
    expect(await auth.resolveSession(new Headers({ cookie: setCookie.split(";")[0]! }))).toEqual(session);
    await auth.close();
  });

  it("sets a Secure __Host- cookie when the app is served over https", async () => {
    const auth = createAuth({
      secret,
      appUrl: "https://crm.example.com",
      idleTimeoutSeconds: 900,
      absoluteLifetimeSeconds: 900,
      log: silentLog,
    });
    const { session, setCookie } = await startSession(auth);
    expect(setCookie).toMatch(/^__Host-nexo_session=.+; HttpOnly; Path=\/; SameSite=Lax; Secure; Max-Age=900$/);
    const token = setCookie.slice(setCookie.indexOf("=") + 1, setCookie.indexOf(";"));
    expect(await auth.resolveSession(new Headers({ cookie: `__Host-nexo_session=${token}` }))).toEqual(session);
    // The unprefixed name could have been planted by a sibling subdomain: it is not read.
    expect(await auth.resolveSession(new Headers({ cookie: `nexo_session=${token}` }))).toBeNull();
    await auth.close();
  });

  it("refuses a weak secret or a malformed URL at startup", () => {
    expect(() => createAuth({ secret: "short", appUrl: "http://localhost:3000" })).toThrow(/at least 32/);
    expect(() => createAuth({ secret, appUrl: "localhost:3000" })).toThrow();
    expect(() => createAuth({ secret, appUrl: "http://localhost:3000", redisUrl: "localhost:6379" })).toThrow();
  });
});

describe.runIf(redisUrl)("createAuth with Redis", () => {
  const keyPrefix = uniqueKeyPrefix();
  let redis: Redis;
  let auth: AuthService;
  beforeAll(() => {
    redis = inspectRedis(redisUrl!);
    auth = createAuth({ secret, appUrl: "http://localhost:3000", redisUrl, keyPrefix, log: silentLog });
  });
  afterAll(async () => {
    await auth.close();
    await deleteKeys(redis, keyPrefix);
    await redis.quit();
  });

  it("keeps sessions in Redis under the key prefix, each with a TTL", async () => {
    expect(auth.storeKind).toBe("redis");
    await expect(auth.ping()).resolves.toBeUndefined();
    const { session, setCookie } = await startSession(auth);
    const ttl = await redis.ttl(`${keyPrefix}session:${session.id}`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(604_800);
    expect(await auth.resolveSession(new Headers({ cookie: setCookie.split(";")[0]! }))).toEqual(session);
  });
});
