import { randomBytes } from "node:crypto";
import { defaultRateLimits } from "@nexo/auth";
import { z } from "zod";

const booleanString = z
  .enum(["true", "false", "1", "0"])
  .default("false")
  .transform((v) => v === "true" || v === "1");

const schema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    HOST: z.string().min(1).default("127.0.0.1"),
    PORT: z.coerce.number({ error: "PORT must be a whole number" }).int().min(0).max(65535).default(4000),
    APP_URL: z
      .url({ protocol: /^https?$/, error: "APP_URL must be an http(s) URL, e.g. https://crm.example.com" })
      .default("http://localhost:3000"),
    DATABASE_URL: z
      .url({ protocol: /^postgres(ql)?$/, error: "DATABASE_URL must be a postgres:// URL" })
      .optional()
      .or(z.literal("").transform(() => undefined)),
    DB_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
    PGLITE_DIR: z.string().min(1).default(".data/pglite"),
    REDIS_URL: z
      .url({ protocol: /^rediss?$/, error: "REDIS_URL must be a redis:// URL" })
      .optional()
      .or(z.literal("").transform(() => undefined)),
    REDIS_KEY_PREFIX: z.string().min(1).default("nexo:"),
    SESSION_SECRET: z.string().min(32, "SESSION_SECRET must be at least 32 characters").optional(),
    SESSION_IDLE_TIMEOUT_SECONDS: z.coerce
      .number({ error: "SESSION_IDLE_TIMEOUT_SECONDS must be a whole number of seconds" })
      .int()
      .min(60, "SESSION_IDLE_TIMEOUT_SECONDS must be at least 60")
      .default(7 * 24 * 3600),
    SESSION_ABSOLUTE_LIFETIME_SECONDS: z.coerce
      .number({ error: "SESSION_ABSOLUTE_LIFETIME_SECONDS must be a whole number of seconds" })
      .int()
      .min(60, "SESSION_ABSOLUTE_LIFETIME_SECONDS must be at least 60")
      .default(30 * 24 * 3600),
    SMTP_URL: z
      .url({ protocol: /^smtps?$/, error: "SMTP_URL must be an smtp:// or smtps:// URL" })
      .optional()
      .or(z.literal("").transform(() => undefined)),
    MAIL_FROM: z.string().min(3).default("Nexo CRM <no-reply@localhost>"),
    /** Attempts one address may make per window; raise them when many people share one address (NAT, tests). */
    RATE_LIMIT_LOGIN_PER_IP: z.coerce.number().int().min(1).default(defaultRateLimits.loginPerIp.limit),
    RATE_LIMIT_REGISTER_PER_IP: z.coerce.number().int().min(1).default(defaultRateLimits.registerPerIp.limit),
    RATE_LIMIT_RESET_PER_IP: z.coerce.number().int().min(1).default(defaultRateLimits.resetPerIp.limit),
    /** Expensive work per user (search per minute, imports and exports per hour) and imports per organization. */
    RATE_LIMIT_SEARCH_PER_USER: z.coerce.number().int().min(1).default(defaultRateLimits.searchPerUser.limit),
    RATE_LIMIT_IMPORT_PER_USER: z.coerce.number().int().min(1).default(defaultRateLimits.importPerUser.limit),
    RATE_LIMIT_IMPORT_PER_ORG: z.coerce.number().int().min(1).default(defaultRateLimits.importPerOrg.limit),
    RATE_LIMIT_EXPORT_PER_USER: z.coerce.number().int().min(1).default(defaultRateLimits.exportPerUser.limit),
    TRUST_PROXY: booleanString,
    MAX_BODY_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .default(1024 * 1024),
    /** Largest CSV file POST /import/:kind accepts. */
    IMPORT_MAX_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .default(50 * 1024 * 1024),
    DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).default(15_000),
    /** A procedure answering later than this gets GATEWAY_TIMEOUT (a full pool waits no longer). */
    REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).default(20_000),
    /** A client must send its request headers within this, and the whole request within the next. */
    HTTP_HEADERS_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
    HTTP_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
    SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
    /**
     * A running import with no progress for this long was abandoned by a gateway that stopped, and is
     * marked failed. Default: the longest an upload may take (headers + request timeouts) plus a minute.
     */
    IMPORT_STALE_AFTER_MS: z.coerce.number().int().min(1000).optional(),
    /** Trashed contacts, companies and deals are deleted for good after this many days. */
    TRASH_RETENTION_DAYS: z.coerce
      .number({ error: "TRASH_RETENTION_DAYS must be a whole number of days" })
      .int("TRASH_RETENTION_DAYS must be a whole number of days")
      .min(1, "TRASH_RETENTION_DAYS must be at least 1")
      .max(3650)
      .default(30),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  })
  .superRefine((env, ctx) => {
    // A slow upload may go that long between two batches: a shorter period would fail live imports.
    const upload = env.HTTP_HEADERS_TIMEOUT_MS + env.HTTP_REQUEST_TIMEOUT_MS;
    if (env.IMPORT_STALE_AFTER_MS !== undefined && env.IMPORT_STALE_AFTER_MS <= upload) {
      ctx.addIssue({
        code: "custom",
        path: ["IMPORT_STALE_AFTER_MS"],
        message: `IMPORT_STALE_AFTER_MS must be longer than HTTP_HEADERS_TIMEOUT_MS + HTTP_REQUEST_TIMEOUT_MS (${upload})`,
      });
    }
    if (env.SESSION_ABSOLUTE_LIFETIME_SECONDS < env.SESSION_IDLE_TIMEOUT_SECONDS) {
      ctx.addIssue({
        code: "custom",
        path: ["SESSION_ABSOLUTE_LIFETIME_SECONDS"],
        message: "SESSION_ABSOLUTE_LIFETIME_SECONDS must not be shorter than SESSION_IDLE_TIMEOUT_SECONDS",
      });
    }
    if (env.NODE_ENV === "production" && !env.SESSION_SECRET) {
      ctx.addIssue({
        code: "custom",
        path: ["SESSION_SECRET"],
        message: "SESSION_SECRET is required in production (openssl rand -base64 48)",
      });
    }
  });

export type Env = z.output<typeof schema> & {
  SESSION_SECRET: string;
  sessionSecretGenerated: boolean;
  IMPORT_STALE_AFTER_MS: number;
};

/** Validates the environment once; a bad value ends the process with a message naming the variable. */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  - ${i.path.join(".") || "env"}: ${i.message}`);
    throw new EnvError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const secret = parsed.data.SESSION_SECRET;
  // Outside production a missing secret gets a random one: sessions then last until a restart.
  return {
    ...parsed.data,
    SESSION_SECRET: secret ?? randomBytes(48).toString("base64url"),
    sessionSecretGenerated: !secret,
    IMPORT_STALE_AFTER_MS:
      parsed.data.IMPORT_STALE_AFTER_MS ??
      parsed.data.HTTP_HEADERS_TIMEOUT_MS + parsed.data.HTTP_REQUEST_TIMEOUT_MS + 60_000,
  };
}

export class EnvError extends Error {}
