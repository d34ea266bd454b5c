import { roleEnum } from "@nexo/db";
import type { Log } from "@nexo/trpc";
import { Redis } from "ioredis";
import { z } from "zod";
import type { SessionStore } from "./session-store";

// Entries written by another release (rolling deploys) or by hand are treated as absent, not trusted.
const sessionData = z.object({
  userId: z.string(),
  orgId: z.string(),
  role: z.enum(roleEnum.enumValues),
  createdAt: z.number(),
});

function parseSessionData(json: string) {
  try {
    return sessionData.safeParse(JSON.parse(json)).data ?? null;
  } catch {
    return null;
  }
}

export function createRedisSessionStore(options: { url: string; keyPrefix: string; log: Log }): SessionStore {
  const { log } = options;
  const redis = new Redis(options.url, {
    lazyConnect: true,
    // While Redis is unreachable a command fails at once instead of queueing: requests error quickly
    // rather than piling up behind reconnect attempts.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 2,
    connectTimeout: 2_000,
    commandTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(attempt * 100, 1_000),
  });
  // Without an 'error' listener, ioredis' error events would crash the process. Report each outage once
  // rather than on every reconnect attempt. Only the message: the URL may hold a password.
  let healthy = true;
  redis.on("error", (error: Error) => {
    if (!healthy) return;
    healthy = false;
    log.error({ err: error.message }, "session store (Redis) connection error");
  });
  redis.on("ready", () => {
    if (healthy) return;
    healthy = true;
    log.info({}, "session store (Redis) connection restored");
  });

  // Only the first connection is waited for, so requests that arrive while the process starts are not
  // turned away. ioredis keeps reconnecting whether or not it succeeds.
  const firstConnect = redis.connect().catch(() => {});

  const key = (id: string) => `${options.keyPrefix}session:${id}`;

  return {
    kind: "redis",
    async set(id, data, ttlSeconds) {
      await firstConnect;
      await redis.set(key(id), JSON.stringify(data), "EX", ttlSeconds);
    },
    async get(id) {
      await firstConnect;
      // Sent back to back, so one round trip.
      const [json, ttlMs] = await Promise.all([redis.get(key(id)), redis.pttl(key(id))]);
      // -2: the key expired or was deleted between the two commands.
      if (json === null || ttlMs === -2) return null;
      const data = parseSessionData(json);
      // -1 (no TTL) cannot come from `set`; reporting 0 makes the caller restore the TTL.
      return data ? { data, ttlMs: Math.max(ttlMs, 0) } : null;
    },
    async touch(id, ttlSeconds) {
      await firstConnect;
      await redis.expire(key(id), ttlSeconds);
    },
    async delete(id) {
      await firstConnect;
      await redis.del(key(id));
    },
    async ping() {
      await firstConnect;
      await redis.ping();
    },
    async close() {
      // QUIT lets pending replies arrive; with no connection there is nothing to wait for.
      if (redis.status === "ready") await redis.quit().catch(() => redis.disconnect());
      else redis.disconnect();
    },
  };
}
