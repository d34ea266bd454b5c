import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMemoryRateLimiter, createRedisRateLimiter, type RateLimiter } from "./rate-limit";
import { connectRedis, type RedisConnection } from "./redis-connection";
import { deleteKeys, inspectRedis, redisUrl, silentLog, uniqueKeyPrefix } from "./testing";

const rule = { limit: 3, windowSeconds: 60 };

function behavesAsAFixedWindow(limiter: () => RateLimiter) {
  it("lets `limit` attempts through, then refuses with the time left in the window", async () => {
    const key = `user-${crypto.randomUUID()}`;
    for (let i = 0; i < rule.limit; i++) expect(await limiter().consume("search", key, rule)).toEqual({ ok: true });
    const refused = await limiter().consume("search", key, rule);
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
      expect(refused.retryAfterSeconds).toBeLessThanOrEqual(rule.windowSeconds);
    }
    // Another key and another bucket have their own counts.
    expect(await limiter().consume("search", `${key}-other`, rule)).toEqual({ ok: true });
    expect(await limiter().consume("export", key, rule)).toEqual({ ok: true });
  });

  it("peeks without counting", async () => {
    const key = `user-${crypto.randomUUID()}`;
    for (let i = 0; i < rule.limit - 1; i++) await limiter().consume("search", key, rule);
    expect(await limiter().peek("search", key, rule)).toEqual({ ok: true });
    expect(await limiter().peek("search", key, rule)).toEqual({ ok: true });
    await limiter().consume("search", key, rule);
    expect((await limiter().peek("search", key, rule)).ok).toBe(false);
  });
}

describe("memory rate limiter", () => {
  const limiter = createMemoryRateLimiter();
  afterAll(() => limiter.close());
  behavesAsAFixedWindow(() => limiter);
});

describe.runIf(redisUrl)("Redis rate limiter", () => {
  const keyPrefix = uniqueKeyPrefix();
  let connection: RedisConnection;
  let limiter: RateLimiter;
  let redis: Redis;

  beforeAll(async () => {
    connection = connectRedis({ url: redisUrl ?? "", log: silentLog });
    await connection.ready;
    limiter = createRedisRateLimiter({ connection, keyPrefix });
    redis = inspectRedis(redisUrl ?? "");
  });

  afterAll(async () => {
    await deleteKeys(redis, keyPrefix);
    redis.disconnect();
    await connection.close();
  });

  behavesAsAFixedWindow(() => limiter);

  it("keeps its counters under the key prefix, each with the window as its expiry", async () => {
    await limiter.consume("import", "someone@example.com", { limit: 5, windowSeconds: 3600 });
    const keys = await redis.keys(`${keyPrefix}rate:import:*`);
    expect(keys).toHaveLength(1);
    // A digest, not the address itself.
    expect(keys[0]).not.toContain("someone");
    const ttl = await redis.pttl(keys[0] as string);
    expect(ttl).toBeGreaterThan(3_500_000);
    expect(ttl).toBeLessThanOrEqual(3_600_000);
  });
});
