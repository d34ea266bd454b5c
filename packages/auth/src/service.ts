import type { Log } from "@nexo/trpc";
import { z } from "zod";
import { createSessionCookie } from "./cookies";
import { createMemorySessionStore } from "./memory-session-store";
import { createRedisSessionStore } from "./redis-session-store";
import type { SessionStore } from "./session-store";
import { createSessions, type Sessions } from "./sessions";
import { createSessionTokens } from "./tokens";

export interface AuthConfig {
  /** HS256 key for session tokens, at least 32 characters. */
  secret: string;
  /** The app's public URL; https turns on `Secure` and the `__Host-` cookie prefix. */
  appUrl: string;
  /** ioredis URL. Without it sessions live in this process's memory (dev, tests). */
  redisUrl?: string;
  /** Prefix of every Redis key. Default "nexo:"; tests use a unique one. */
  keyPrefix?: string;
  /** Sliding session lifetime. Default 7 days. */
  sessionTtlSeconds?: number;
  /** Where session-store connection problems are reported. Default: the console. */
  log?: Log;
}

export interface AuthService extends Sessions {
  readonly storeKind: SessionStore["kind"];
  /** Redis PING, for readiness probes; a no-op for the memory store. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

declare module "@nexo/trpc" {
  interface ContextServices {
    auth: AuthService;
  }
}

const settingsSchema = z.object({
  secret: z.string().min(32, { error: "The auth secret must be at least 32 characters." }),
  appUrl: z.url({ protocol: /^https?$/ }),
  redisUrl: z.url({ protocol: /^rediss?$/ }).optional(),
  keyPrefix: z.string().min(1).default("nexo:"),
  sessionTtlSeconds: z
    .number()
    .int()
    .positive()
    .default(7 * 24 * 60 * 60),
});

const consoleLog: Log = {
  debug: () => {},
  info: (obj, msg) => console.info(msg, obj),
  warn: (obj, msg) => console.warn(msg, obj),
  error: (obj, msg) => console.error(msg, obj),
};

export function createAuth(config: AuthConfig): AuthService {
  const { log = consoleLog, ...rest } = config;
  const { secret, appUrl, redisUrl, keyPrefix, sessionTtlSeconds: ttlSeconds } = settingsSchema.parse(rest);
  const store = redisUrl ? createRedisSessionStore({ url: redisUrl, keyPrefix, log }) : createMemorySessionStore();
  const sessions = createSessions({
    store,
    tokens: createSessionTokens({ secret, ttlSeconds }),
    cookie: createSessionCookie({ secure: new URL(appUrl).protocol === "https:", ttlSeconds }),
    ttlSeconds,
  });
  return {
    ...sessions,
    storeKind: store.kind,
    ping: () => store.ping(),
    close: () => store.close(),
  };
}
