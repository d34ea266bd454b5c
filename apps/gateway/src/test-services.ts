import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDb } from "@nexo/db";
import { until } from "./test-load";

/**
 * Private Postgres and Redis servers on loopback for fault tests: they can be stopped and started
 * again without disturbing the shared servers other tests use. Each keeps its data in a temporary
 * folder that `close()` removes.
 */

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === "string") throw new Error("no port");
  return address.port;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

export interface PrivateService {
  url: string;
  /** Stops the server the way an orchestrator would (clean, fast shutdown). */
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

function postgresBinDir(): string {
  const root = "/usr/lib/postgresql";
  if (existsSync(root)) {
    const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
    for (const version of versions)
      if (existsSync(join(root, version, "bin", "initdb"))) return join(root, version, "bin");
  }
  return execFileSync("pg_config", ["--bindir"], { encoding: "utf8" }).trim();
}

/** Postgres refuses to run as root; as root the server runs as the `postgres` system user. */
function postgresUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }));
  const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }));
  return { uid, gid };
}

export function canRunPrivatePostgres(): boolean {
  try {
    postgresBinDir();
    return true;
  } catch {
    return false;
  }
}

export async function startPrivatePostgres(): Promise<PrivateService> {
  const bin = postgresBinDir();
  const user = postgresUser();
  const dir = mkdtempSync(join(tmpdir(), "nexo-pg-"));
  if (user) chownSync(dir, user.uid, user.gid);
  const data = join(dir, "data");
  execFileSync(join(bin, "initdb"), ["-D", data, "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8"], {
    stdio: "ignore",
    ...user,
  });
  const port = await freePort();
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let child: ChildProcess | undefined;

  const service: PrivateService = {
    url,
    async start() {
      child = spawn(
        join(bin, "postgres"),
        ["-D", data, "-p", String(port), "-k", dir, "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"],
        { stdio: "ignore", ...user },
      );
      await until(async () => {
        const probe = await createDb({ kind: "postgres", url, poolSize: 1 });
        try {
          await probe.ping();
          return true;
        } catch {
          return false;
        } finally {
          await probe.close();
        }
      }, "private postgres");
    },
    async stop() {
      if (!child) return;
      child.kill("SIGINT");
      await exited(child);
      child = undefined;
    },
    async close() {
      await service.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await service.start();
  return service;
}

export async function startPrivateRedis(): Promise<PrivateService> {
  const dir = mkdtempSync(join(tmpdir(), "nexo-redis-"));
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  const service: PrivateService = {
    url,
    async start() {
      // AOF with fsync on every write, as a production Redis keeps sessions across a restart.
      child = spawn(
        "redis-server",
        ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "yes"].concat([
          "--appendfsync",
          "always",
          "--dir",
          dir,
        ]),
        { stdio: "ignore" },
      );
      await until(async () => {
        try {
          execFileSync("redis-cli", ["-p", String(port), "ping"], { stdio: "ignore" });
          return true;
        } catch {
          return false;
        }
      }, "private redis");
    },
    async stop() {
      if (!child) return;
      child.kill("SIGTERM");
      await exited(child);
      child = undefined;
    },
    async close() {
      await service.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await service.start();
  return service;
}

/** Deletes a test's Redis keys (everything under `prefix`) when the tests run against a real Redis. */
export async function deleteRedisKeys(prefix: string): Promise<void> {
  const url = process.env.REDIS_URL;
  if (!url) return;
  if (!/^nexo-test:[\w-]+:$/.test(prefix)) throw new Error(`refusing to delete keys under "${prefix}"`);
  const { Redis } = await import("ioredis");
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
}
