import { roleEnum } from "@nexo/db";
import type { Log } from "@nexo/trpc";
import { z } from "zod";
import { connectRedis, type RedisConnection } from "./redis-connection";
import type { SessionCache } from "./session-cache";
import type { SessionStore, StoredSession } from "./session-store";

// Entries written by another release (rolling deploys) or by hand are treated as absent, not trusted.
const sessionData = z.object({
  userId: z.string(),
  orgId: z.string(),
  role: z.enum(roleEnum.enumValues),
  createdAt: z.number(),
  lastSeenAt: z.number(),
  expiresAt: z.number(),
  ip: z.string(),
  userAgent: z.string(),
});

function parseSessionData(json: string) {
  try {
    return sessionData.safeParse(JSON.parse(json)).data ?? null;
  } catch {
    return null;
  }
}

// The session key and its user's index change together. The index is a sorted set scored by each
// session's expiry; its own TTL is stretched to the furthest one, so every key carries a TTL.
// ARGV: id, json, ttlMs, nowMs, onlyIfExists ("1"/"0").
const SET_SCRIPT = `
if ARGV[5] == "1" and redis.call("EXISTS", KEYS[1]) == 0 then return 0 end
local ttl = tonumber(ARGV[3])
redis.call("SET", KEYS[1], ARGV[2], "PX", ttl)
redis.call("ZADD", KEYS[2], tonumber(ARGV[4]) + ttl, ARGV[1])
if redis.call("PTTL", KEYS[2]) < ttl then redis.call("PEXPIRE", KEYS[2], ttl) end
return 1`;

// KEYS: session key; ARGV: id, index key prefix. Reads the owner from the entry to unindex it.
const DELETE_SCRIPT = `
local json = redis.call("GET", KEYS[1])
redis.call("DEL", KEYS[1])
if json then
  local ok, data = pcall(cjson.decode, json)
  if ok and type(data) == "table" and type(data.userId) == "string" then
    redis.call("ZREM", ARGV[2] .. data.userId, ARGV[1])
  end
end
return 1`;

// DELETE_SCRIPT that also hands back what it removed: GET, PTTL and DEL in one script, so two
// concurrent rotations of the same session cannot both read it before either deletes it.
// KEYS: session key; ARGV: id, index key prefix. Returns nil, or { json, pttl }.
const TAKE_SCRIPT = `
local json = redis.call("GET", KEYS[1])
if not json then return false end
local ttl = redis.call("PTTL", KEYS[1])
redis.call("DEL", KEYS[1])
local ok, data = pcall(cjson.decode, json)
if ok and type(data) == "table" and type(data.userId) == "string" then
  redis.call("ZREM", ARGV[2] .. data.userId, ARGV[1])
end
return { json, ttl }`;

/** What the Redis key of every session starts with (the session id follows). */
export const sessionKeyPrefix = (keyPrefix: string) => `${keyPrefix}session:`;

/**
 * Sessions in Redis. With `cache` (a SessionCache over the same Redis and `sessionKeyPrefix`), an
 * entry once read is served from the process until Redis announces a change to it.
 */
export function createRedisSessionStore(
  options: { keyPrefix: string; cache?: SessionCache } & ({ url: string; log: Log } | { connection: RedisConnection }),
): SessionStore {
  const ownsConnection = !("connection" in options);
  const connection = "connection" in options ? options.connection : connectRedis(options);
  const { client: redis, ready } = connection;
  const { cache } = options;
  const key = (id: string) => sessionKeyPrefix(options.keyPrefix) + id;
  const indexPrefix = `${options.keyPrefix}user-sessions:`;

  /**
   * Runs a change of the entry, dropping it from the cache before (reads in flight are not kept) and
   * after (a read sent between the two saw the old entry): from then on this process reads it anew.
   */
  async function changing<T>(id: string, change: () => Promise<T>): Promise<T> {
    cache?.forget(key(id));
    try {
      return await change();
    } finally {
      cache?.forget(key(id));
    }
  }

  async function write(id: string, data: StoredSession["data"], ttlSeconds: number, onlyIfExists: boolean) {
    await ready;
    await changing(id, () =>
      redis.eval(
        SET_SCRIPT,
        2,
        key(id),
        indexPrefix + data.userId,
        id,
        JSON.stringify(data),
        ttlSeconds * 1000,
        Date.now(),
        onlyIfExists ? "1" : "0",
      ),
    );
  }

  async function read(id: string): Promise<StoredSession | null> {
    // Sent back to back, so one round trip.
    const [json, ttlMs] = await Promise.all([redis.get(key(id)), redis.pttl(key(id))]);
    // -2: the key expired or was deleted between the two commands.
    if (json === null || ttlMs === -2) return null;
    const data = parseSessionData(json);
    // -1 (no TTL) cannot come from `set`; reporting 0 makes the caller restore the TTL.
    return data ? { id, data, ttlMs: Math.max(ttlMs, 0) } : null;
  }

  return {
    kind: "redis",
    set: (id, data, ttlSeconds) => write(id, data, ttlSeconds, false),
    async get(id) {
      const cached = cache?.get(key(id));
      if (cached) return cached;
      await ready;
      const pending = cache?.begin(key(id));
      let found: StoredSession | null = null;
      try {
        found = await read(id);
        return found;
      } finally {
        if (pending) cache?.keep(pending, found);
      }
    },
    touch: (id, data, ttlSeconds) => write(id, data, ttlSeconds, true),
    async delete(id) {
      await ready;
      await changing(id, () => redis.eval(DELETE_SCRIPT, 1, key(id), id, indexPrefix));
    },
    async take(id) {
      await ready;
      const taken = (await changing(id, () => redis.eval(TAKE_SCRIPT, 1, key(id), id, indexPrefix))) as
        | [string, number]
        | null;
      if (!taken) return null;
      const data = parseSessionData(taken[0]);
      return data ? { id, data, ttlMs: Math.max(taken[1], 0) } : null;
    },
    async listByUser(userId) {
      await ready;
      const index = indexPrefix + userId;
      await redis.zremrangebyscore(index, "-inf", Date.now());
      const ids = await redis.zrange(index, 0, -1);
      const found = await Promise.all(ids.map(read));
      const gone = ids.filter((_, i) => !found[i]);
      if (gone.length > 0) await redis.zrem(index, ...gone);
      return found
        .filter((s): s is StoredSession => s !== null && s.data.userId === userId)
        .sort((a, b) => a.data.createdAt - b.data.createdAt);
    },
    async ping() {
      await ready;
      await redis.ping();
    },
    async close() {
      await cache?.close();
      if (ownsConnection) await connection.close();
    },
  };
}
