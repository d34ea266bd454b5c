import { createHash } from "node:crypto";
import { TRPCError } from "@nexo/trpc";
import type { RedisConnection } from "./redis-connection";

export interface RateRule {
  limit: number;
  windowSeconds: number;
}

export type RateResult = { ok: true } | { ok: false; retryAfterSeconds: number };

/** Fixed-window counters: Redis when configured (shared by every gateway), else process memory. */
export interface RateLimiter {
  /** Counts one attempt for `key` in `bucket`; refuses once `rule.limit` attempts fell in the window. */
  consume(bucket: string, key: string, rule: RateRule): Promise<RateResult>;
  close(): Promise<void>;
}

// INCR and the window's expiry in one step: a crash between them can never leave a counter without TTL.
const CONSUME_SCRIPT = `
local n = redis.call("INCR", KEYS[1])
local ttl = redis.call("PTTL", KEYS[1])
if ttl < 0 then
  redis.call("PEXPIRE", KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return { n, ttl }`;

// Keys hold a digest, not the email or IP itself.
const digest = (key: string) => createHash("sha256").update(key).digest("base64url").slice(0, 22);

function result(count: number, limit: number, ttlMs: number): RateResult {
  return count <= limit ? { ok: true } : { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(ttlMs / 1000)) };
}

export function createRedisRateLimiter(options: { connection: RedisConnection; keyPrefix: string }): RateLimiter {
  const { client, ready } = options.connection;
  return {
    async consume(bucket, key, rule) {
      await ready;
      const [count, ttlMs] = (await client.eval(
        CONSUME_SCRIPT,
        1,
        `${options.keyPrefix}rate:${bucket}:${digest(key)}`,
        rule.windowSeconds * 1000,
      )) as [number, number];
      return result(count, rule.limit, ttlMs);
    },
    async close() {},
  };
}

export function createMemoryRateLimiter(): RateLimiter {
  const windows = new Map<string, { count: number; resetAt: number }>();
  const sweep = setInterval(() => {
    const now = Date.now();
    for (const [key, window] of windows) if (window.resetAt <= now) windows.delete(key);
  }, 60_000);
  sweep.unref();
  return {
    async consume(bucket, key, rule) {
      const now = Date.now();
      const id = `${bucket}:${digest(key)}`;
      let window = windows.get(id);
      if (!window || window.resetAt <= now) {
        window = { count: 0, resetAt: now + rule.windowSeconds * 1000 };
        windows.set(id, window);
      }
      window.count += 1;
      return result(window.count, rule.limit, window.resetAt - now);
    },
    async close() {
      clearInterval(sweep);
      windows.clear();
    },
  };
}

/** The limits every deployment gets unless configured otherwise. */
export const defaultRateLimits = {
  loginPerIp: { limit: 50, windowSeconds: 15 * 60 },
  loginPerAccount: { limit: 10, windowSeconds: 15 * 60 },
  registerPerIp: { limit: 20, windowSeconds: 60 * 60 },
  resetPerIp: { limit: 20, windowSeconds: 60 * 60 },
  resetPerAccount: { limit: 5, windowSeconds: 60 * 60 },
  apiToken: { limit: 600, windowSeconds: 60 },
} satisfies Record<string, RateRule>;

export type RateLimits = typeof defaultRateLimits;

/** Consumes every check (so each counter sees the attempt) and refuses with the longest wait. */
export async function enforceRateLimits(
  limiter: RateLimiter,
  checks: Array<{ bucket: string; key: string; rule: RateRule }>,
): Promise<void> {
  const results = await Promise.all(checks.map((c) => limiter.consume(c.bucket, c.key, c.rule)));
  const wait = Math.max(0, ...results.map((r) => (r.ok ? 0 : r.retryAfterSeconds)));
  if (wait > 0) {
    throw new TRPCError({
      code: "TOO_MANY_REQUESTS",
      message: `Too many attempts. Try again in ${wait} second${wait === 1 ? "" : "s"}.`,
    });
  }
}
