import { randomBytes, randomUUID } from "node:crypto";
import type { Log } from "@nexo/trpc";
import { Redis } from "ioredis";
import type { SessionData } from "./session-store";

/** Set in CI and on machines with a Redis server; without it the Redis cases are skipped. */
export const redisUrl = process.env.REDIS_URL;

export const silentLog: Log = { debug() {}, info() {}, warn() {}, error() {} };

/** A key prefix of its own per test file, so parallel files and leftover keys never meet. */
export function uniqueKeyPrefix(): string {
  return `nexo-test:${randomUUID()}:`;
}

/** A plain client, to look at keys from outside the code under test. */
export function inspectRedis(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: 2 });
}

export async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== "0");
}

/** A stored session's data, for the session store and cache tests. */
export const sessionFixture: SessionData = {
  userId: "0190f0d8-0000-7000-8000-000000000001",
  orgId: "0190f0d8-0000-7000-8000-000000000002",
  role: "admin",
  createdAt: 1_700_000_000_000,
  lastSeenAt: 1_700_000_000_000,
  expiresAt: 1_700_000_000_000 + 30 * 86_400_000,
  ip: "203.0.113.7",
  userAgent: "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
};

/** A session id as the store gets them: 256 random bits. */
export const newSessionId = () => randomBytes(32).toString("base64url");
