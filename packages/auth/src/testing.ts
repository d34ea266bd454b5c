import { randomUUID } from "node:crypto";
import type { Log } from "@nexo/trpc";
import { Redis } from "ioredis";

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
