import type { Db } from "@nexo/db";
import { type ExpensiveAction, type Log, type Session, TRPCError } from "@nexo/trpc";
import { z } from "zod";
import { bearerToken, resolveApiToken } from "./api-tokens";
import { createSessionCookie } from "./cookies";
import { createSmtpMailer, type Mailer } from "./mailer";
import { createMemorySessionStore } from "./memory-session-store";
import {
  createMemoryRateLimiter,
  createRedisRateLimiter,
  defaultRateLimits,
  enforceRateLimits,
  limitExpensive,
  type RateLimiter,
  type RateLimits,
  throwIfLimited,
} from "./rate-limit";
import { connectRedis } from "./redis-connection";
import { createRedisSessionStore, sessionKeyPrefix } from "./redis-session-store";
import { createSessionCache } from "./session-cache";
import type { SessionStore } from "./session-store";
import { createSessions, type Sessions } from "./sessions";
import { createSessionTokens } from "./tokens";

export interface AuthConfig {
  /** HS256 key for session tokens, at least 32 characters. */
  secret: string;
  /** The app's public URL: https turns on `Secure` and the `__Host-` cookie prefix; links point here. */
  appUrl: string;
  /** ioredis URL. Without it sessions and rate limits live in this process's memory (dev, tests). */
  redisUrl?: string | undefined;
  /** Prefix of every Redis key. Default "nexo:"; tests use a unique one. */
  keyPrefix?: string;
  /** A session unused this long ends. Default 7 days. */
  idleTimeoutSeconds?: number;
  /** A session ends this long after sign-in, however active. Default 30 days. */
  absoluteLifetimeSeconds?: number;
  /** Overrides of the default rate limits. */
  rateLimits?: Partial<RateLimits>;
  /** SMTP URL for password reset mail; without it admins hand out reset links instead. */
  smtpUrl?: string | undefined;
  /** Sender of those emails. */
  mailFrom?: string;
  /** A ready mailer (tests); takes precedence over `smtpUrl`. */
  mailer?: Mailer;
  /** Where store connection problems are reported. Default: the console. */
  log?: Log;
}

export interface AuthService extends Sessions {
  readonly storeKind: SessionStore["kind"];
  readonly appUrl: string;
  readonly limiter: RateLimiter;
  readonly rateLimits: RateLimits;
  /** Null without SMTP: reset links are then issued by admins. */
  readonly mailer: Mailer | null;
  /**
   * Who the request is: an API token (`Authorization: Bearer`, rate-limited per token) or else the
   * session cookie. A bearer token that is not valid is UNAUTHORIZED rather than anonymous; an `ip`
   * that sent too many of those is TOO_MANY_REQUESTS before its tokens are even looked up.
   */
  resolveRequest(request: { headers: Headers; resHeaders: Headers; db: Db; ip?: string }): Promise<Session | null>;
  /**
   * Counts one expensive action (search, import, export) of `actor`; TOO_MANY_REQUESTS past the
   * per-user limit, or for imports the per-organization one (`retryAfterSeconds` reads the wait).
   */
  limitExpensive(action: ExpensiveAction, actor: { userId: string; orgId: string }): Promise<void>;
  /** Redis PING, for readiness probes; a no-op for the memory store. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

declare module "@nexo/trpc" {
  interface ContextServices {
    auth: AuthService;
  }
}

const settingsSchema = z
  .object({
    secret: z.string().min(32, { error: "The auth secret must be at least 32 characters." }),
    appUrl: z.url({ protocol: /^https?$/ }),
    redisUrl: z.url({ protocol: /^rediss?$/ }).optional(),
    keyPrefix: z.string().min(1).default("nexo:"),
    idleTimeoutSeconds: z
      .number()
      .int()
      .min(60)
      .default(7 * 24 * 60 * 60),
    absoluteLifetimeSeconds: z
      .number()
      .int()
      .min(60)
      .default(30 * 24 * 60 * 60),
    smtpUrl: z.url({ protocol: /^smtps?$/ }).optional(),
    mailFrom: z.string().min(3).default("Nexo CRM <no-reply@localhost>"),
  })
  .refine((s) => s.absoluteLifetimeSeconds >= s.idleTimeoutSeconds, {
    error: "The absolute session lifetime must not be shorter than the idle timeout.",
    path: ["absoluteLifetimeSeconds"],
  });

const consoleLog: Log = {
  debug: () => {},
  info: (obj, msg) => console.info(msg, obj),
  warn: (obj, msg) => console.warn(msg, obj),
  error: (obj, msg) => console.error(msg, obj),
};

export function createAuth(config: AuthConfig): AuthService {
  const { log = consoleLog, rateLimits: limitOverrides, mailer: givenMailer, ...rest } = config;
  const settings = settingsSchema.parse(rest);
  const { secret, appUrl, redisUrl, keyPrefix, idleTimeoutSeconds, absoluteLifetimeSeconds } = settings;
  const connection = redisUrl ? connectRedis({ url: redisUrl, log }) : null;
  // With Redis, sessions once read are served from the process until Redis announces a change.
  const store =
    connection && redisUrl
      ? createRedisSessionStore({
          connection,
          keyPrefix,
          cache: createSessionCache({ url: redisUrl, prefix: sessionKeyPrefix(keyPrefix), log }),
        })
      : createMemorySessionStore();
  const limiter = connection ? createRedisRateLimiter({ connection, keyPrefix }) : createMemoryRateLimiter();
  const rateLimits = { ...defaultRateLimits, ...limitOverrides };
  const mailer =
    givenMailer ?? (settings.smtpUrl ? createSmtpMailer({ url: settings.smtpUrl, from: settings.mailFrom }) : null);
  const sessions = createSessions({
    store,
    tokens: createSessionTokens({ secret, ttlSeconds: absoluteLifetimeSeconds }),
    cookie: createSessionCookie({ secure: new URL(appUrl).protocol === "https:", ttlSeconds: absoluteLifetimeSeconds }),
    idleTimeoutSeconds,
    absoluteLifetimeSeconds,
  });
  return {
    ...sessions,
    storeKind: store.kind,
    appUrl: appUrl.replace(/\/+$/, ""),
    limiter,
    rateLimits,
    mailer,
    async resolveRequest({ headers, resHeaders, db, ip = "unknown" }) {
      const bearer = bearerToken(headers);
      if (bearer === null) return sessions.resolveSession(headers, resHeaders);
      // Every well-formed bearer value costs a database lookup: an address that keeps sending ones
      // that match nothing (guessing, or a script with a revoked token) is stopped before it.
      const failures = { bucket: "bearer-failures-ip", key: ip, rule: rateLimits.bearerFailuresPerIp };
      throwIfLimited(
        [await limiter.peek(failures.bucket, failures.key, failures.rule)],
        "Too many requests with invalid API tokens from this address.",
      );
      const session = await resolveApiToken(db, bearer);
      if (!session) {
        await limiter.consume(failures.bucket, failures.key, failures.rule);
        throw new TRPCError({ code: "UNAUTHORIZED", message: "This API token is not valid (revoked or expired?)." });
      }
      await enforceRateLimits(limiter, [{ bucket: "api-token", key: session.tokenId, rule: rateLimits.apiToken }]);
      const { tokenId: _tokenId, ...rest } = session;
      return rest;
    },
    limitExpensive: (action, actor) => limitExpensive(limiter, rateLimits, action, actor),
    ping: () => store.ping(),
    async close() {
      await store.close();
      await limiter.close();
      await connection?.close();
    },
  };
}
