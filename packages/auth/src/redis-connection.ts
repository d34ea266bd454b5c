import type { Log } from "@nexo/trpc";
import { Redis } from "ioredis";

export interface RedisConnection {
  client: Redis;
  /** Settles once the first connection attempt is over, whatever its outcome. */
  ready: Promise<void>;
  close(): Promise<void>;
}

/** One ioredis client per process, shared by the session store and the rate limiter. */
export function connectRedis(options: { url: string; log: Log }): RedisConnection {
  const { log } = options;
  const client = new Redis(options.url, {
    lazyConnect: true,
    // While Redis is unreachable a command fails at once instead of queueing: requests error quickly
    // rather than piling up behind reconnect attempts.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 2,
    connectTimeout: 2_000,
    commandTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(attempt * 100, 1_000),
  });
  // Without an 'error' listener, ioredis' error events would crash the process. Report each outage once
  // rather than on every reconnect attempt. Only the message: the URL may hold a password.
  let healthy = true;
  client.on("error", (error: Error) => {
    if (!healthy) return;
    healthy = false;
    log.error({ err: error.message }, "Redis connection error");
  });
  client.on("ready", () => {
    if (healthy) return;
    healthy = true;
    log.info({}, "Redis connection restored");
  });
  // Only the first connection is waited for, so requests that arrive while the process starts are not
  // turned away. ioredis keeps reconnecting whether or not it succeeds.
  const ready = client.connect().catch(() => {});
  return {
    client,
    ready,
    async close() {
      // QUIT lets pending replies arrive; with no connection there is nothing to wait for.
      if (client.status === "ready") await client.quit().catch(() => client.disconnect());
      else client.disconnect();
    },
  };
}
