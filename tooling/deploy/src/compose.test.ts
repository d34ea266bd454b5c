import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { composeCommand, readRepoFile, repoRoot, run } from "./repo";

const compose = composeCommand();
const dir = mkdtempSync(join(tmpdir(), "nexo-deploy-compose-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const secrets = {
  POSTGRES_PASSWORD: "a".repeat(48),
  REDIS_PASSWORD: "b".repeat(48),
  SESSION_SECRET: "c".repeat(64),
  APP_URL: "https://crm.example.com",
};

function config(env: Record<string, string>, ...extra: string[]) {
  if (!compose) throw new Error("no docker-compose / docker compose: install docker-compose (apt) or Docker");
  const envFile = join(dir, `env-${Object.keys(env).length}`);
  writeFileSync(
    envFile,
    Object.entries(env)
      .map(([k, v]) => `${k}=${v}\n`)
      .join(""),
  );
  // Only PATH/HOME from the environment: a developer's own .env or exported secrets must not leak in.
  return run(
    [...compose, "--project-directory", repoRoot, "--env-file", envFile, "-f", "compose.rpi.yml", "config", ...extra],
    { env: { PATH: process.env.PATH, HOME: process.env.HOME, DOCKER_HOST: process.env.DOCKER_HOST } },
  );
}

/** "512m" (v1) or 536870912 (v2) → bytes. */
function bytes(value: unknown): number {
  if (typeof value === "number") return value;
  const match = /^(\d+(?:\.\d+)?)([bkmg]?)b?$/i.exec(String(value));
  if (!match) throw new Error(`not a size: ${String(value)}`);
  const unit = { "": 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[
    match[2]!.toLowerCase() as "" | "b" | "k" | "m" | "g"
  ];
  return Number(match[1]) * unit;
}

interface Service {
  image?: string;
  ports?: unknown[];
  expose?: unknown[];
  healthcheck?: { test: string[] | string };
  depends_on?: Record<string, { condition: string }>;
  mem_limit?: string | number;
  cpus?: number | string;
  restart?: string;
  logging?: { driver: string; options?: Record<string, string> };
  environment?: Record<string, string>;
  command?: string[];
  volumes?: unknown[];
  deploy?: { resources?: { limits?: { memory?: string | number; cpus?: string | number } } };
}

describe("compose.rpi.yml", () => {
  it("passes `config -q` with the secrets .env provides", () => {
    const result = config(secrets, "-q");
    expect(result.stderr).not.toMatch(/error|invalid/i);
    expect(result.status).toBe(0);
  });

  it("refuses to render without the secrets", () => {
    const result = config({ APP_URL: secrets.APP_URL }, "-q");
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/POSTGRES_PASSWORD|REDIS_PASSWORD|SESSION_SECRET|setup/);
  });

  const rendered = () => {
    const result = config(secrets);
    expect(result.status).toBe(0);
    return (parse(result.stdout) as { services: Record<string, Service> }).services;
  };

  it("runs Postgres, Redis, the gateway and the web app", () => {
    expect(Object.keys(rendered()).sort()).toEqual(["gateway", "postgres", "redis", "web"]);
  });

  it("publishes only the web port", () => {
    const services = rendered();
    for (const [name, service] of Object.entries(services)) {
      if (name === "web") expect(service.ports?.length).toBe(1);
      else expect(service.ports ?? []).toEqual([]);
    }
  });

  it("gives every service a health check, a restart policy, rotated logs and limits", () => {
    for (const [name, service] of Object.entries(rendered())) {
      expect(service.healthcheck?.test, name).toBeDefined();
      expect(JSON.stringify(service.healthcheck?.test), name).not.toMatch(/curl|wget/);
      expect(service.restart, name).toBe("unless-stopped");
      expect(service.logging?.options?.["max-size"], name).toBeDefined();
      expect(service.logging?.options?.["max-file"], name).toBeDefined();
      expect(service.mem_limit ?? service.deploy?.resources?.limits?.memory, name).toBeDefined();
      expect(service.cpus ?? service.deploy?.resources?.limits?.cpus, name).toBeDefined();
    }
  });

  it("leaves at least 2 GB of a 4 GB Pi free and keeps Postgres within 512 MB", () => {
    const services = rendered();
    const limit = (s: Service) => bytes(s.mem_limit ?? s.deploy?.resources?.limits?.memory);
    const total = Object.values(services).reduce((sum, s) => sum + limit(s), 0);
    expect(total).toBeLessThanOrEqual(2 * 1024 ** 3);
    expect(limit(services.postgres!)).toBeLessThanOrEqual(512 * 1024 ** 2);
  });

  it("starts services only when what they need is healthy", () => {
    const services = rendered();
    // Compose v2 adds `required`/`restart` to each entry; v1 renders the condition alone.
    expect(Object.keys(services.gateway?.depends_on ?? {}).sort()).toEqual(["postgres", "redis"]);
    expect(services.gateway?.depends_on).toMatchObject({
      postgres: { condition: "service_healthy" },
      redis: { condition: "service_healthy" },
    });
    expect(Object.keys(services.web?.depends_on ?? {})).toEqual(["gateway"]);
    expect(services.web?.depends_on).toMatchObject({ gateway: { condition: "service_healthy" } });
  });

  it("configures the gateway for production behind the web app, with secrets from .env", () => {
    const env = rendered().gateway?.environment ?? {};
    expect(env.NODE_ENV).toBe("production");
    expect(env.TRUST_PROXY).toBe("true");
    expect(env.SESSION_SECRET).toBe(secrets.SESSION_SECRET);
    expect(env.DATABASE_URL).toBe(`postgres://nexo:${secrets.POSTGRES_PASSWORD}@postgres:5432/nexo`);
    expect(env.REDIS_URL).toBe(`redis://:${secrets.REDIS_PASSWORD}@redis:6379`);
    expect(rendered().web?.environment?.GATEWAY_URL).toBe("http://gateway:4000");
  });

  it("sizes Postgres' connections to the gateway pool and its memory to the limit", () => {
    const conf = Object.fromEntries(
      readRepoFile("docker/postgres/postgresql.conf")
        .split("\n")
        .map((line) => /^\s*(\w+)\s*=\s*'?([^'#\s]+)'?/.exec(line))
        .filter((m): m is RegExpExecArray => m !== null)
        .map((m) => [m[1]!, m[2]!]),
    );
    const pool = Number(rendered().gateway?.environment?.DB_POOL_SIZE);
    const maxConnections = Number(conf.max_connections);
    // Two gateways during an upgrade, the migration lock, reserved superuser slots.
    expect(maxConnections).toBeGreaterThanOrEqual(2 * pool + 1 + Number(conf.superuser_reserved_connections));
    const mb = (v: string | undefined) => bytes(String(v).replace(/B$/, "")) / 1024 ** 2;
    // Shared buffers plus a few sorts per connection stay well inside the 512 MB limit.
    expect(mb(conf.shared_buffers) + maxConnections * 2 * mb(conf.work_mem)).toBeLessThanOrEqual(384);
    expect(mb(conf.effective_cache_size)).toBeLessThanOrEqual(512);
  });

  it("keeps sessions in Redis without eviction, on an append-only file", () => {
    const conf = readRepoFile("docker/redis/redis.conf");
    expect(conf).toMatch(/^maxmemory-policy noeviction$/m);
    expect(conf).toMatch(/^maxmemory \d+mb$/m);
    expect(conf).toMatch(/^appendonly yes$/m);
    expect(conf).toMatch(/^appendfsync everysec$/m);
    const redis = rendered().redis!;
    expect(redis.command?.slice(0, 2)).toEqual(["redis-server", "/usr/local/etc/redis/redis.conf"]);
    expect(bytes(`${/^maxmemory (\d+)mb$/m.exec(conf)?.[1]}m`)).toBeLessThan(bytes(redis.mem_limit));
  });
});
