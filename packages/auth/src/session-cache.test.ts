import { randomBytes, randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { connectRedis, type RedisConnection } from "./redis-connection";
import { createRedisSessionStore, sessionKeyPrefix } from "./redis-session-store";
import { createSessionCache, type SessionCache } from "./session-cache";
import type { SessionData, SessionStore } from "./session-store";
import { deleteKeys, inspectRedis, redisUrl, silentLog, uniqueKeyPrefix } from "./testing";

const data: SessionData = {
  userId: "0190f0d8-0000-7000-8000-000000000001",
  orgId: "0190f0d8-0000-7000-8000-000000000002",
  role: "member",
  createdAt: 1_700_000_000_000,
  lastSeenAt: 1_700_000_000_000,
  expiresAt: 1_700_000_000_000 + 30 * 86_400_000,
  ip: "203.0.113.7",
  userAgent: "test",
};
const newId = () => randomBytes(32).toString("base64url");

// Two gateways sharing one Redis: `cached` remembers sessions, `other` changes them behind its back.
describe.runIf(redisUrl)("session cache (Redis key tracking)", () => {
  const url = redisUrl ?? "";
  const keyPrefix = uniqueKeyPrefix();
  const connectionName = `nexo-test-cache-${randomUUID()}`;
  let connection: RedisConnection;
  let cache: SessionCache;
  let cached: SessionStore;
  let other: SessionStore;
  let redis: Redis;

  beforeAll(async () => {
    connection = connectRedis({ url, log: silentLog });
    cache = createSessionCache({ url, prefix: sessionKeyPrefix(keyPrefix), log: silentLog, connectionName });
    cached = createRedisSessionStore({ connection, keyPrefix, cache });
    other = createRedisSessionStore({ url, keyPrefix, log: silentLog });
    redis = inspectRedis(url);
    await cache.ready;
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });
  afterAll(async () => {
    await cached.close();
    await connection.close();
    await other.close();
    await deleteKeys(redis, keyPrefix);
    redis.disconnect();
  });

  /** Counts the reads that reach Redis through the cached store's connection. */
  const redisReads = () => vi.spyOn(connection.client, "get");

  it("answers a session it has read without asking Redis again", async () => {
    expect(cache.active).toBe(true);
    const id = newId();
    await other.set(id, data, 600);
    const reads = redisReads();
    expect((await cached.get(id))?.data).toEqual(data);
    expect((await cached.get(id))?.data).toEqual(data);
    const third = await cached.get(id);
    expect(reads).toHaveBeenCalledTimes(1);
    expect(third?.ttlMs).toBeGreaterThan(590_000);
    expect(third?.ttlMs).toBeLessThanOrEqual(600_000);
  });

  it("stops answering a session another process deleted, once Redis announces it", async () => {
    const id = newId();
    await other.set(id, data, 600);
    expect(await cached.get(id)).not.toBeNull();
    await other.delete(id);
    await vi.waitFor(async () => expect(await cached.get(id)).toBeNull(), { timeout: 2_000, interval: 5 });
  });

  it("sees another process's change of a session", async () => {
    const id = newId();
    await other.set(id, data, 600);
    expect((await cached.get(id))?.data.role).toBe("member");
    await other.touch(id, { ...data, role: "admin" }, 600);
    await vi.waitFor(async () => expect((await cached.get(id))?.data.role).toBe("admin"), {
      timeout: 2_000,
      interval: 5,
    });
  });

  it("forgets at once what it changed itself", async () => {
    const id = newId();
    await other.set(id, data, 600);
    expect(await cached.get(id)).not.toBeNull();
    await cached.delete(id);
    expect(await cached.get(id)).toBeNull();

    const taken = newId();
    await other.set(taken, data, 600);
    expect(await cached.get(taken)).not.toBeNull();
    expect(await cached.take(taken)).not.toBeNull();
    expect(await cached.get(taken)).toBeNull();
  });

  it("keeps no entry past the expiry Redis gave it", async () => {
    const id = newId();
    await other.set(id, data, 60);
    expect(await cached.get(id)).not.toBeNull();
    const reads = redisReads();
    const now = Date.now();
    vi.spyOn(Date, "now").mockReturnValue(now + 61_000);
    // Redis still holds it (no real time passed), so the store reads it again rather than serve it.
    expect(await cached.get(id)).not.toBeNull();
    expect(reads).toHaveBeenCalledTimes(1);
  });

  it("does not keep a read that a notice for its key overtook", async () => {
    const id = newId();
    const key = sessionKeyPrefix(keyPrefix) + id;
    await other.set(id, data, 600);
    const read = cache.begin(key);
    expect(read).not.toBeNull();
    if (!read) return;
    const seen = await cached.get(id);
    await other.touch(id, { ...data, role: "viewer" }, 600);
    await vi.waitFor(() => expect(read.stale).toBe(true), { timeout: 2_000, interval: 5 });
    cache.keep(read, seen);
    expect(cache.get(key)).toBeNull();
  });

  it("serves nothing while its connection is down, and starts afresh after reconnecting", async () => {
    const id = newId();
    await other.set(id, data, 600);
    expect(await cached.get(id)).not.toBeNull();
    const clients = (await redis.call("CLIENT", "LIST")) as string;
    const line = clients.split("\n").find((l) => l.includes(`name=${connectionName} `));
    const listenerId = line?.match(/^id=(\d+)/)?.[1];
    expect(listenerId).toBeDefined();
    await redis.call("CLIENT", "KILL", "ID", String(listenerId));
    await vi.waitFor(() => expect(cache.active).toBe(false), { timeout: 2_000, interval: 5 });
    expect(cache.get(sessionKeyPrefix(keyPrefix) + id)).toBeNull();
    // Reads still work, from Redis.
    expect((await cached.get(id))?.data).toEqual(data);
    await vi.waitFor(() => expect(cache.active).toBe(true), { timeout: 5_000, interval: 10 });
    // What was kept before the outage is gone: the next read goes to Redis.
    const reads = redisReads();
    expect(await cached.get(id)).not.toBeNull();
    expect(reads).toHaveBeenCalledTimes(1);
    // And notices flow again.
    await other.delete(id);
    await vi.waitFor(async () => expect(await cached.get(id)).toBeNull(), { timeout: 2_000, interval: 5 });
  });

  it("holds at most its limit of entries", async () => {
    const small = createSessionCache({ url, prefix: sessionKeyPrefix(keyPrefix), log: silentLog, maxEntries: 2 });
    try {
      await small.ready;
      const keys = [newId(), newId(), newId()].map((id) => sessionKeyPrefix(keyPrefix) + id);
      for (const key of keys) {
        const read = small.begin(key);
        if (read) small.keep(read, { id: key, data, ttlMs: 600_000 });
      }
      expect(small.get(keys[0] ?? "")).toBeNull();
      expect(small.get(keys[1] ?? "")).not.toBeNull();
      expect(small.get(keys[2] ?? "")).not.toBeNull();
    } finally {
      await small.close();
    }
  });
});
