import type { Log } from "@nexo/trpc";
import type { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createMemorySessionStore } from "./memory-session-store";
import { createRedisSessionStore, sessionKeyPrefix } from "./redis-session-store";
import { createSessionCache } from "./session-cache";
import type { SessionStore } from "./session-store";
import {
  deleteKeys,
  inspectRedis,
  newSessionId,
  redisUrl,
  sessionFixture,
  silentLog,
  uniqueKeyPrefix,
} from "./testing";

const keyPrefix = uniqueKeyPrefix();
const data = sessionFixture;
const newId = newSessionId;

const kinds: Array<[string, () => { store: SessionStore; ready?: Promise<void> }]> = [
  ["memory", () => ({ store: createMemorySessionStore() })],
];
if (redisUrl) {
  const url = redisUrl;
  kinds.push(["redis", () => ({ store: createRedisSessionStore({ url, keyPrefix, log: silentLog }) })]);
  kinds.push([
    "redis (cached)",
    () => {
      const cache = createSessionCache({ url, prefix: sessionKeyPrefix(keyPrefix), log: silentLog });
      return { store: createRedisSessionStore({ url, keyPrefix, log: silentLog, cache }), ready: cache.ready };
    },
  ]);
}

describe.each(kinds)("%s session store", (_kind, create) => {
  let store: SessionStore;
  beforeAll(async () => {
    const created = create();
    store = created.store;
    await created.ready;
  });
  afterAll(async () => {
    await store.close();
  });

  it("stores and returns an entry with its remaining lifetime", async () => {
    const id = newId();
    await store.set(id, data, 600);
    const stored = await store.get(id);
    expect(stored?.data).toEqual(data);
    expect(stored?.ttlMs).toBeGreaterThan(590_000);
    expect(stored?.ttlMs).toBeLessThanOrEqual(600_000);
  });

  it("returns null for unknown and deleted ids", async () => {
    expect(await store.get(newId())).toBeNull();
    const id = newId();
    await store.set(id, data, 600);
    await store.delete(id);
    expect(await store.get(id)).toBeNull();
  });

  it("restarts the expiry on touch and never resurrects a missing entry", async () => {
    const id = newId();
    await store.set(id, data, 60);
    await store.touch(id, { ...data, lastSeenAt: data.lastSeenAt + 1 }, 600);
    const touched = await store.get(id);
    expect(touched?.ttlMs).toBeGreaterThan(590_000);
    expect(touched?.data.lastSeenAt).toBe(data.lastSeenAt + 1);
    const missing = newId();
    await store.touch(missing, data, 600);
    expect(await store.get(missing)).toBeNull();
  });

  it("lists a user's sessions, oldest first, and forgets deleted ones", async () => {
    const userId = crypto.randomUUID();
    const [first, second, other] = [newId(), newId(), newId()];
    await store.set(second, { ...data, userId, createdAt: 2 }, 600);
    await store.set(first, { ...data, userId, createdAt: 1 }, 600);
    await store.set(other, { ...data, userId: crypto.randomUUID() }, 600);
    expect((await store.listByUser(userId)).map((s) => s.id)).toEqual([first, second]);
    await store.delete(first);
    expect((await store.listByUser(userId)).map((s) => s.id)).toEqual([second]);
    expect(await store.listByUser(crypto.randomUUID())).toEqual([]);
  });

  it("takes an entry exactly once: concurrent takes get it once, and it leaves the user's index", async () => {
    const userId = crypto.randomUUID();
    const id = newId();
    await store.set(id, { ...data, userId }, 600);
    const takes = await Promise.all([store.take(id), store.take(id), store.take(id)]);
    const won = takes.filter((t) => t !== null);
    expect(won).toHaveLength(1);
    expect(won[0]?.data).toEqual({ ...data, userId });
    expect(won[0]?.ttlMs).toBeGreaterThan(590_000);
    expect(await store.get(id)).toBeNull();
    expect(await store.listByUser(userId)).toEqual([]);
    expect(await store.take(newId())).toBeNull();
  });

  it("answers ping", async () => {
    await expect(store.ping()).resolves.toBeUndefined();
  });
});

describe("memory session store expiry", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("forgets an entry once its TTL has passed", async () => {
    vi.useFakeTimers({ toFake: ["Date", "setInterval", "clearInterval"] });
    const store = createMemorySessionStore();
    const id = newId();
    await store.set(id, data, 10);
    vi.advanceTimersByTime(9_999);
    expect((await store.get(id))?.ttlMs).toBe(1);
    vi.advanceTimersByTime(1);
    expect(await store.get(id)).toBeNull();
    expect(store.size).toBe(0);
    await store.close();
  });

  it("sweeps expired entries nobody asks for", async () => {
    vi.useFakeTimers({ toFake: ["Date", "setInterval", "clearInterval"] });
    const store = createMemorySessionStore();
    await store.set(newId(), data, 10);
    await store.set(newId(), data, 3600);
    expect(store.size).toBe(2);
    vi.advanceTimersByTime(60_000);
    expect(store.size).toBe(1);
    await store.close();
  });
});

describe.runIf(redisUrl)("redis session store keys", () => {
  let store: SessionStore;
  let redis: Redis;
  beforeAll(() => {
    store = createRedisSessionStore({ url: redisUrl!, keyPrefix, log: silentLog });
    redis = inspectRedis(redisUrl!);
  });
  afterAll(async () => {
    await store.close();
    await deleteKeys(redis, keyPrefix);
    await redis.quit();
  });

  it("writes `<prefix>session:<id>` as JSON with a TTL", async () => {
    const id = newId();
    await store.set(id, data, 1);
    const key = `${keyPrefix}session:${id}`;
    expect(JSON.parse((await redis.get(key)) ?? "null")).toEqual(data);
    const pttl = await redis.pttl(key);
    expect(pttl).toBeGreaterThan(0);
    expect(pttl).toBeLessThanOrEqual(1000);
  });

  it("treats an expired key as no session", async () => {
    const id = newId();
    await store.set(id, data, 600);
    // An expiry time in the past makes Redis drop the key at once: expiry without waiting.
    await redis.pexpireat(`${keyPrefix}session:${id}`, 1);
    expect(await store.get(id)).toBeNull();
  });

  it("treats a malformed entry as no session", async () => {
    const id = newId();
    await redis.set(`${keyPrefix}session:${id}`, "{not json", "EX", 60);
    expect(await store.get(id)).toBeNull();
    await redis.set(`${keyPrefix}session:${id}`, JSON.stringify({ ...data, role: "superuser" }), "EX", 60);
    expect(await store.get(id)).toBeNull();
  });

  it("reports a key without TTL as due for refresh, and touch gives it one", async () => {
    const id = newId();
    const key = `${keyPrefix}session:${id}`;
    await redis.set(key, JSON.stringify(data));
    expect((await store.get(id))?.ttlMs).toBe(0);
    await store.touch(id, data, 600);
    expect(await redis.ttl(key)).toBeGreaterThan(0);
  });

  it("keeps a per-user index with a TTL that covers the user's longest session", async () => {
    const userId = crypto.randomUUID();
    const [short, long] = [newId(), newId()];
    await store.set(long, { ...data, userId }, 600);
    await store.set(short, { ...data, userId }, 60);
    const index = `${keyPrefix}user-sessions:${userId}`;
    expect(await redis.zrange(index, 0, -1)).toEqual(expect.arrayContaining([short, long]));
    const ttl = await redis.ttl(index);
    expect(ttl).toBeGreaterThan(590);
    expect(ttl).toBeLessThanOrEqual(600);
    // An entry that vanished by expiry drops out of the index on the next listing.
    await redis.pexpireat(`${keyPrefix}session:${short}`, 1);
    expect((await store.listByUser(userId)).map((s) => s.id)).toEqual([long]);
    expect(await redis.zrange(index, 0, -1)).toEqual([long]);
  });

  it("puts a TTL on every key it writes", async () => {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${keyPrefix}*`, "COUNT", 500);
      for (const key of keys) expect(await redis.pttl(key), key).toBeGreaterThan(0);
      cursor = next;
    } while (cursor !== "0");
  });
});

describe("redis session store without a server", () => {
  it("fails requests fast, logs the outage once and does not crash", async () => {
    const log: Log = { ...silentLog, error: vi.fn() };
    // Port 1: nothing listens, so every connection attempt is refused.
    const store = createRedisSessionStore({ url: "redis://127.0.0.1:1", keyPrefix, log });
    const started = Date.now();
    await expect(store.get(newId())).rejects.toThrow();
    await expect(store.set(newId(), data, 60)).rejects.toThrow();
    await expect(store.ping()).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(log.error).toHaveBeenCalledTimes(1);
    await store.close();
  });
});
