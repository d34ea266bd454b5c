import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { createServer, type Server, type Socket, connect as tcpConnect } from "node:net";
import type { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { connectRedis, type RedisConnection } from "./redis-connection";
import { createRedisSessionStore, sessionKeyPrefix } from "./redis-session-store";
import { createSessionCache, SESSION_CACHE_MAX_SILENCE_MS, type SessionCache } from "./session-cache";
import type { SessionData, SessionStore, StoredSession } from "./session-store";
import {
  deleteKeys,
  inspectRedis,
  newSessionId,
  redisUrl,
  sessionFixture,
  silentLog,
  uniqueKeyPrefix,
} from "./testing";

const data: SessionData = { ...sessionFixture, role: "member" };
const newId = newSessionId;
const soon = { timeout: 2_000, interval: 5 };

/**
 * A TCP relay in front of Redis whose answers can be held back: the connection then looks alive
 * (nothing closes) but delivers nothing, as behind a router that dropped it.
 */
async function blackholeProxy(target: URL) {
  let holding = false;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = tcpConnect(Number(target.port || 6379), target.hostname);
    sockets.add(client).add(upstream);
    client.on("data", (chunk) => upstream.write(chunk));
    upstream.on("data", (chunk) => {
      if (!holding) client.write(chunk);
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on("close", end).on("error", end);
    upstream.on("close", end).on("error", end);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as { port: number };
  return {
    url: `redis://127.0.0.1:${port}`,
    hold: (value: boolean) => {
      holding = value;
    },
    async close() {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}

// Two gateways sharing one Redis: `cached` remembers sessions, `other` changes them behind its back.
describe.runIf(redisUrl)("session cache (Redis key tracking)", () => {
  const url = redisUrl ?? "";
  const keyPrefix = uniqueKeyPrefix();
  const keyOf = (id: string) => sessionKeyPrefix(keyPrefix) + id;
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

  /** Reads until the cache holds the entry (the notice of the write that made it may come late). */
  async function readIntoCache(id: string) {
    await vi.waitFor(async () => {
      expect(await cached.get(id)).not.toBeNull();
      expect(cache.get(keyOf(id))).not.toBeNull();
    }, soon);
  }

  it("answers a session it has read without asking Redis again", async () => {
    expect(cache.active).toBe(true);
    const id = newId();
    await other.set(id, data, 600);
    await readIntoCache(id);
    const reads = redisReads();
    expect((await cached.get(id))?.data).toEqual(data);
    const again = await cached.get(id);
    expect(reads).not.toHaveBeenCalled();
    expect(again?.ttlMs).toBeGreaterThan(590_000);
    expect(again?.ttlMs).toBeLessThanOrEqual(600_000);
    // Shared between requests, so nobody may change it.
    expect(Object.isFrozen(again?.data)).toBe(true);
  });

  it("stops answering a session another process deleted, once Redis announces it", async () => {
    const id = newId();
    await other.set(id, data, 600);
    await readIntoCache(id);
    await other.delete(id);
    await vi.waitFor(async () => expect(await cached.get(id)).toBeNull(), soon);
  });

  it("sees another process's change of a session", async () => {
    const id = newId();
    await other.set(id, data, 600);
    await readIntoCache(id);
    await other.touch(id, { ...data, role: "admin" }, 600);
    await vi.waitFor(async () => expect((await cached.get(id))?.data.role).toBe("admin"), soon);
  });

  it("keeps no entry past the expiry Redis gave it", async () => {
    const id = newId();
    await other.set(id, data, 60);
    await readIntoCache(id);
    const reads = redisReads();
    const now = Date.now();
    vi.spyOn(Date, "now").mockReturnValue(now + 61_000);
    // Redis still holds it (no real time passed), so the store reads it again rather than serve it.
    expect(await cached.get(id)).not.toBeNull();
    expect(reads).toHaveBeenCalledTimes(1);
  });

  it("does not keep a read that a notice for its key overtook", async () => {
    const id = newId();
    await other.set(id, data, 600);
    const read = cache.begin(keyOf(id));
    expect(read).not.toBeNull();
    if (!read) return;
    const seen = await other.get(id);
    await other.touch(id, { ...data, role: "viewer" }, 600);
    await vi.waitFor(() => expect(read.stale).toBe(true), soon);
    cache.keep(read, seen);
    expect(cache.get(keyOf(id))).toBeNull();
  });

  it("serves nothing while its connection is down, and starts afresh after reconnecting", async () => {
    const id = newId();
    await other.set(id, data, 600);
    await readIntoCache(id);
    const before = cache.begin(keyOf(id));
    const seen = await other.get(id);
    const clients = (await redis.call("CLIENT", "LIST")) as string;
    const line = clients.split("\n").find((l) => l.includes(`name=${connectionName} `));
    const listenerId = line?.match(/^id=(\d+)/)?.[1];
    expect(listenerId).toBeDefined();
    await redis.call("CLIENT", "KILL", "ID", String(listenerId));
    await vi.waitFor(() => expect(cache.active).toBe(false), soon);
    expect(cache.get(keyOf(id))).toBeNull();
    await vi.waitFor(() => expect(cache.active).toBe(true), { timeout: 5_000, interval: 10 });
    // A read begun before the outage is not kept: notices may have been missed meanwhile.
    if (before) cache.keep(before, seen);
    expect(cache.get(keyOf(id))).toBeNull();
    // What was kept before the outage is gone: the next read goes to Redis.
    const reads = redisReads();
    expect(await cached.get(id)).not.toBeNull();
    expect(reads).toHaveBeenCalledTimes(1);
    // And notices flow again.
    await other.delete(id);
    await vi.waitFor(async () => expect(await cached.get(id)).toBeNull(), soon);
  });

  it("stops serving when its connection goes silent, and recovers", async () => {
    const proxy = await blackholeProxy(new URL(url));
    const silent = createSessionCache({ url: proxy.url, prefix: sessionKeyPrefix(keyPrefix), log: silentLog });
    try {
      await silent.ready;
      expect(silent.active).toBe(true);
      const id = newId();
      // The notice of this write must have come before the entry is kept, or it would drop it.
      const written = silent.begin(keyOf(id));
      await other.set(id, data, 600);
      await vi.waitFor(() => expect(written?.stale).toBe(true), soon);
      const read = silent.begin(keyOf(id));
      if (read) silent.keep(read, await other.get(id));
      expect(silent.get(keyOf(id))).not.toBeNull();
      // Answers stop coming, the connection stays open: a deletion's notice never arrives.
      proxy.hold(true);
      const held = performance.now();
      await other.delete(id);
      expect(silent.get(keyOf(id))).not.toBeNull();
      await vi.waitFor(() => expect(silent.get(keyOf(id))).toBeNull(), { timeout: 5_000, interval: 20 });
      // Not a notice: the silence. At most the silence allowed plus one heartbeat after the hold.
      const waited = performance.now() - held;
      expect(waited).toBeGreaterThan(SESSION_CACHE_MAX_SILENCE_MS - 1_000);
      expect(waited).toBeLessThan(SESSION_CACHE_MAX_SILENCE_MS + 1_500);
      proxy.hold(false);
      // The unanswered heartbeat drops the connection; a new one serves again.
      await vi.waitFor(
        () => {
          const read = silent.begin(keyOf(id));
          const value: StoredSession = { id, data, ttlMs: 600_000 };
          if (read) silent.keep(read, value);
          expect(silent.get(keyOf(id))).not.toBeNull();
        },
        { timeout: 10_000, interval: 50 },
      );
    } finally {
      await silent.close();
      await proxy.close();
    }
  });

  it("holds at most its limit of entries", async () => {
    const small = createSessionCache({ url, prefix: sessionKeyPrefix(keyPrefix), log: silentLog, maxEntries: 2 });
    try {
      await small.ready;
      const keys = [newId(), newId(), newId()].map(keyOf);
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

// The store's own part: what it changes, it drops from the cache itself, before any notice.
describe.runIf(redisUrl)("cached Redis session store without notices", () => {
  const url = redisUrl ?? "";
  const keyPrefix = uniqueKeyPrefix();
  // A cache that never hears from Redis: only the store's own forget can drop an entry.
  const entries = new Map<string, StoredSession>();
  const deaf: SessionCache = {
    active: true,
    ready: Promise.resolve(),
    get: (key) => entries.get(key) ?? null,
    begin: (key) => ({ key, generation: 0, startedAt: Date.now(), stale: false }),
    keep: (read, value) => {
      if (value) entries.set(read.key, value);
    },
    forget: (key) => {
      entries.delete(key);
    },
    close: async () => {},
  };
  const store = createRedisSessionStore({ url, keyPrefix, log: silentLog, cache: deaf });
  let redis: Redis;
  beforeAll(() => {
    redis = inspectRedis(url);
  });
  afterAll(async () => {
    await store.close();
    await deleteKeys(redis, keyPrefix);
    redis.disconnect();
  });

  it("drops what it deletes, takes and rewrites", async () => {
    const deleted = newId();
    await store.set(deleted, data, 600);
    expect(await store.get(deleted)).not.toBeNull();
    await store.delete(deleted);
    expect(await store.get(deleted)).toBeNull();

    const taken = newId();
    await store.set(taken, data, 600);
    expect(await store.get(taken)).not.toBeNull();
    expect(await store.take(taken)).not.toBeNull();
    expect(await store.get(taken)).toBeNull();

    const touched = newId();
    await store.set(touched, data, 600);
    expect((await store.get(touched))?.data.role).toBe("member");
    await store.touch(touched, { ...data, role: "admin" }, 600);
    expect((await store.get(touched))?.data.role).toBe("admin");
  });
});
