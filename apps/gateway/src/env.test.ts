import { describe, expect, it } from "vitest";
import { EnvError, loadEnv } from "./env";

describe("loadEnv", () => {
  it("defaults to the embedded mode", () => {
    const env = loadEnv({});
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.REDIS_URL).toBeUndefined();
    expect(env.PORT).toBe(4000);
    expect(env.SESSION_SECRET.length).toBeGreaterThanOrEqual(32);
    expect(env.sessionSecretGenerated).toBe(true);
  });

  it("names every bad variable", () => {
    expect(() => loadEnv({ DATABASE_URL: "mysql://x", PORT: "eighty", APP_URL: "ftp://x" })).toThrowError(EnvError);
    const bad = { DATABASE_URL: "mysql://x", PORT: "eighty" };
    expect(() => loadEnv(bad)).toThrowError(/DATABASE_URL: DATABASE_URL must be a postgres:\/\/ URL/);
    expect(() => loadEnv(bad)).toThrowError(/PORT: PORT must be a whole number/);
  });

  it("reads the session lifetimes and SMTP, and refuses an absolute lifetime below the idle timeout", () => {
    const env = loadEnv({
      SESSION_IDLE_TIMEOUT_SECONDS: "900",
      SESSION_ABSOLUTE_LIFETIME_SECONDS: "86400",
      SMTP_URL: "smtps://user:pass@mail.example.com:465",
    });
    expect(env.SESSION_IDLE_TIMEOUT_SECONDS).toBe(900);
    expect(env.SESSION_ABSOLUTE_LIFETIME_SECONDS).toBe(86_400);
    expect(env.SMTP_URL).toBe("smtps://user:pass@mail.example.com:465");
    expect(loadEnv({}).SESSION_ABSOLUTE_LIFETIME_SECONDS).toBe(30 * 86_400);
    expect(() =>
      loadEnv({ SESSION_IDLE_TIMEOUT_SECONDS: "7200", SESSION_ABSOLUTE_LIFETIME_SECONDS: "3600" }),
    ).toThrowError(/SESSION_ABSOLUTE_LIFETIME_SECONDS must not be shorter/);
    expect(() => loadEnv({ SMTP_URL: "http://mail" })).toThrowError(/SMTP_URL must be/);
  });

  it("reads the trash retention: 30 days unless set, whole days from 1", () => {
    expect(loadEnv({}).TRASH_RETENTION_DAYS).toBe(30);
    expect(loadEnv({ TRASH_RETENTION_DAYS: "7" }).TRASH_RETENTION_DAYS).toBe(7);
    expect(() => loadEnv({ TRASH_RETENTION_DAYS: "0" })).toThrowError(/TRASH_RETENTION_DAYS must be at least 1/);
    expect(() => loadEnv({ TRASH_RETENTION_DAYS: "a week" })).toThrowError(
      /TRASH_RETENTION_DAYS must be a whole number/,
    );
  });

  it("reads the limits on expensive work: the shipped ones unless set", () => {
    const shipped = loadEnv({});
    expect([
      shipped.RATE_LIMIT_SEARCH_PER_USER,
      shipped.RATE_LIMIT_IMPORT_PER_USER,
      shipped.RATE_LIMIT_IMPORT_PER_ORG,
      shipped.RATE_LIMIT_EXPORT_PER_USER,
    ]).toEqual([120, 20, 60, 30]);
    const raised = loadEnv({ RATE_LIMIT_SEARCH_PER_USER: "1000", RATE_LIMIT_IMPORT_PER_ORG: "500" });
    expect([raised.RATE_LIMIT_SEARCH_PER_USER, raised.RATE_LIMIT_IMPORT_PER_ORG]).toEqual([1000, 500]);
    expect(() => loadEnv({ RATE_LIMIT_EXPORT_PER_USER: "0" })).toThrowError(/RATE_LIMIT_EXPORT_PER_USER/);
  });

  it("derives how long an import may go without progress from the upload timeouts, and refuses less", () => {
    expect(loadEnv({}).IMPORT_STALE_AFTER_MS).toBe(10_000 + 30_000 + 60_000);
    expect(loadEnv({ HTTP_REQUEST_TIMEOUT_MS: "300000" }).IMPORT_STALE_AFTER_MS).toBe(370_000);
    expect(loadEnv({ IMPORT_STALE_AFTER_MS: "120000" }).IMPORT_STALE_AFTER_MS).toBe(120_000);
    expect(() => loadEnv({ IMPORT_STALE_AFTER_MS: "40000" })).toThrowError(
      /IMPORT_STALE_AFTER_MS must be longer than HTTP_HEADERS_TIMEOUT_MS \+ HTTP_REQUEST_TIMEOUT_MS \(40000\)/,
    );
  });

  it("requires a session secret in production", () => {
    expect(() => loadEnv({ NODE_ENV: "production" })).toThrowError(/SESSION_SECRET is required/);
    const env = loadEnv({ NODE_ENV: "production", SESSION_SECRET: "s".repeat(40), TRUST_PROXY: "true" });
    expect(env.sessionSecretGenerated).toBe(false);
    expect(env.TRUST_PROXY).toBe(true);
  });
});
