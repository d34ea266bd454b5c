import { createHash } from "node:crypto";
import { type ExpensiveAction, TRPCError } from "@nexo/trpc";
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
  /** Whether `key` has used up `rule.limit` attempts in the window, without counting one. */
  peek(bucket: string, key: string, rule: RateRule): Promise<RateResult>;
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

// A peek asks whether one more attempt would pass: the limit is spent once `count` reached it.
const peekResult = (count: number, limit: number, ttlMs: number) => result(count + 1, limit, ttlMs);

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
    async peek(bucket, key, rule) {
      await ready;
      const redisKey = `${options.keyPrefix}rate:${bucket}:${digest(key)}`;
      // Sent back to back, so one round trip.
      const [count, ttlMs] = await Promise.all([client.get(redisKey), client.pttl(redisKey)]);
      return peekResult(Number(count ?? 0), rule.limit, ttlMs);
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
    async peek(bucket, key, rule) {
      const now = Date.now();
      const window = windows.get(`${bucket}:${digest(key)}`);
      if (!window || window.resetAt <= now) return { ok: true };
      return peekResult(window.count, rule.limit, window.resetAt - now);
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
  // Per email: sign-up (and accepting an invite as a new account) answers CONFLICT for an email that
  // has an account, so without this one address could probe many emails (bounded per IP only).
  registerPerAccount: { limit: 5, windowSeconds: 60 * 60 },
  resetPerIp: { limit: 20, windowSeconds: 60 * 60 },
  resetPerAccount: { limit: 5, windowSeconds: 60 * 60 },
  apiToken: { limit: 600, windowSeconds: 60 },
  // Bearer tokens that match nothing, per IP: each costs a database lookup, so an address that sent
  // this many is refused before the lookup until the window ends. Valid tokens never count.
  bearerFailuresPerIp: { limit: 30, windowSeconds: 15 * 60 },
  // Expensive work (see ExpensiveAction): per user, so one person or script flooding it is refused
  // while colleagues go on; imports also per organization, since each holds the database for long.
  searchPerUser: { limit: 120, windowSeconds: 60 },
  importPerUser: { limit: 20, windowSeconds: 60 * 60 },
  importPerOrg: { limit: 60, windowSeconds: 60 * 60 },
  exportPerUser: { limit: 30, windowSeconds: 60 * 60 },
} satisfies Record<string, RateRule>;

export type RateLimits = typeof defaultRateLimits;

/** The cause of a TOO_MANY_REQUESTS from a limit: when the next attempt may pass. */
export class RetryAfter extends Error {
  constructor(readonly seconds: number) {
    super(`Retry after ${seconds} s.`);
  }
}

/** Seconds until a rate-limited request may be retried (for `Retry-After`), if `error` is one. */
export function retryAfterSeconds(error: unknown): number | undefined {
  return error instanceof TRPCError && error.cause instanceof RetryAfter ? error.cause.seconds : undefined;
}

/** TOO_MANY_REQUESTS for the longest wait among `results`, if any refused. */
export function throwIfLimited(results: RateResult[], what = "Too many attempts."): void {
  const wait = Math.max(0, ...results.map((r) => (r.ok ? 0 : r.retryAfterSeconds)));
  if (wait > 0) {
    throw new TRPCError({
      code: "TOO_MANY_REQUESTS",
      message: `${what} Try again in ${wait} second${wait === 1 ? "" : "s"}.`,
      cause: new RetryAfter(wait),
    });
  }
}

type Check = { bucket: string; key: string; rule: RateRule };

/** Consumes every check (so each counter sees the attempt) and refuses with the longest wait. */
export async function enforceRateLimits(limiter: RateLimiter, checks: Check[], what?: string): Promise<void> {
  throwIfLimited(await Promise.all(checks.map((c) => limiter.consume(c.bucket, c.key, c.rule))), what);
}

/**
 * Counts one expensive action against the user's limit and then, only if that passed, against the
 * organization's: a user refused for flooding does not use up the organization's allowance, so
 * colleagues are unaffected.
 */
export async function limitExpensive(
  limiter: RateLimiter,
  limits: RateLimits,
  action: ExpensiveAction,
  actor: { userId: string; orgId: string },
): Promise<void> {
  const stages: Record<ExpensiveAction, { what: string; checks: Check[] }> = {
    search: {
      what: "Too many searches.",
      checks: [{ bucket: "search-user", key: actor.userId, rule: limits.searchPerUser }],
    },
    import: {
      what: "Too many imports.",
      checks: [
        { bucket: "import-user", key: actor.userId, rule: limits.importPerUser },
        { bucket: "import-org", key: actor.orgId, rule: limits.importPerOrg },
      ],
    },
    export: {
      what: "Too many exports.",
      checks: [{ bucket: "export-user", key: actor.userId, rule: limits.exportPerUser }],
    },
  };
  const { what, checks } = stages[action];
  for (const check of checks) await enforceRateLimits(limiter, [check], what);
}
