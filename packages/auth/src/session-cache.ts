import type { Log } from "@nexo/trpc";
import { Redis } from "ioredis";
import type { StoredSession } from "./session-store";

/** Sessions kept in the process at most; the least recently stored goes first. */
export const SESSION_CACHE_MAX_ENTRIES = 10_000;

/** How often the listening connection is proven alive (a PING on it, answered in order with the notices). */
export const SESSION_CACHE_HEARTBEAT_MS = 500;

/**
 * Nothing is served from the cache when the last answered heartbeat was sent longer ago than this.
 * A change confirmed to its writer before a heartbeat was sent had its notice queued before that
 * heartbeat's answer, so once the answer is in, so is the notice: a session ended elsewhere stops
 * working here within this time even if the connection silently stops delivering.
 */
export const SESSION_CACHE_MAX_SILENCE_MS = 2_000;

/** Where a read stands: it may be kept only if no notice for its key arrived while it ran. */
export interface SessionRead {
  readonly key: string;
  readonly generation: number;
  /** When the read began (epoch ms): the entry's remaining lifetime counts from here. */
  readonly startedAt: number;
  stale: boolean;
}

/**
 * Session entries read from Redis, remembered in this process until Redis says they changed, so a
 * request costs no Redis round trip for a session it has seen.
 *
 * This is Redis's client-side caching (`CLIENT TRACKING` in broadcast mode, RESP2): one connection
 * of its own asks Redis to announce every key under the sessions' prefix that any client writes or
 * deletes, or that expires, and listens for those notices on `__redis__:invalidate`. A notice drops
 * the entry here, so a session ended by any gateway stops working everywhere as soon as the notice
 * arrives (the gateway that ends it drops it at once).
 *
 * The connection is proven alive twice a second by a PING on it, whose answer arrives after the
 * notice of every change confirmed before it was sent. When no answer has come for
 * SESSION_CACHE_MAX_SILENCE_MS, nothing is served from here, and a PING unanswered for that long
 * drops the connection, which reconnects.
 *
 * While that connection is not subscribed (starting, Redis down or restarting) nothing is served
 * from here or kept: every read goes to Redis, as without the cache, and whatever was kept is
 * dropped, since notices may have been missed. A read that overlaps a notice for its key, or a
 * reconnect, is not kept either.
 */
export interface SessionCache {
  /** True while notices are being received; only then are entries served and kept. */
  readonly active: boolean;
  /** The entry with its remaining lifetime, when known and not expired. */
  get(key: string, now?: number): StoredSession | null;
  /** Starts a read from Redis of `key`; pass the result to `keep`. Null while inactive. */
  begin(key: string): SessionRead | null;
  /** Keeps what the read found, unless a notice for its key (or a reconnect) came in between. */
  keep(read: SessionRead, value: StoredSession | null): void;
  /** Drops the entry (this process changed it). */
  forget(key: string): void;
  /** Resolves once notices are being received (or the first connection attempt failed). */
  ready: Promise<void>;
  close(): Promise<void>;
}

const CHANNEL = "__redis__:invalidate";

export function createSessionCache(options: {
  url: string;
  /** Every session key starts with this. */
  prefix: string;
  log: Log;
  maxEntries?: number;
  /** How the listening connection shows in `CLIENT LIST`. */
  connectionName?: string;
}): SessionCache {
  const { log } = options;
  const maxEntries = options.maxEntries ?? SESSION_CACHE_MAX_ENTRIES;
  /** Kept entries with the time (epoch ms) their Redis entry expires at the latest. */
  const entries = new Map<string, { value: StoredSession; until: number }>();
  /** Reads in flight, by key, so that a notice can spoil them. */
  const reads = new Map<string, Set<SessionRead>>();
  let active = false;
  /** Bumped whenever notices may have been missed: reads begun before cannot be kept. */
  let generation = 0;
  let closing = false;
  /** When (performance.now()) the last answered heartbeat was sent. */
  let confirmedAt = Number.NEGATIVE_INFINITY;
  /** When the heartbeat still awaiting its answer was sent, if one is. */
  let pingSentAt: number | null = null;
  let wasActive = false;

  const fresh = () => active && performance.now() - confirmedAt <= SESSION_CACHE_MAX_SILENCE_MS;

  function deactivate() {
    if (active && !closing) log.warn({}, "session cache off until its Redis connection is back");
    active = false;
    generation += 1;
    entries.clear();
    for (const pending of reads.values()) for (const read of pending) read.stale = true;
  }

  function drop(key: string) {
    entries.delete(key);
    const pending = reads.get(key);
    if (pending) for (const read of pending) read.stale = true;
  }

  const listener = new Redis(options.url, {
    lazyConnect: true,
    connectionName: options.connectionName ?? "nexo-session-cache",
    // Tracking is switched on again by hand after each reconnect, before subscribing; nothing of a
    // dropped connection is queued or sent again on the next one.
    autoResubscribe: false,
    autoResendUnfulfilledCommands: false,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    keepAlive: 10_000,
    retryStrategy: (attempt) => Math.min(attempt * 100, 1_000),
  });
  // The main connection reports Redis errors; without a listener these would crash the process.
  listener.on("error", () => {});
  listener.on("close", deactivate);
  listener.on("reconnecting", deactivate);

  let settle: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    settle = resolve;
  });

  /** Counts connections, so that the set-up of one that has since dropped changes nothing. */
  let connection = 0;
  listener.on("ready", () => {
    connection += 1;
    const current = connection;
    pingSentAt = null;
    void (async () => {
      try {
        const id = await listener.call("CLIENT", "ID");
        // Notices go to this same connection, which then only listens.
        await listener.call("CLIENT", "TRACKING", "ON", "REDIRECT", String(id), "BCAST", "PREFIX", options.prefix);
        await listener.subscribe(CHANNEL);
        if (closing || current !== connection || listener.status !== "ready") return;
        deactivate();
        confirmedAt = performance.now();
        active = true;
        if (wasActive) log.info({}, "session cache back on");
        wasActive = true;
      } catch (error) {
        // Without tracking the cache stays off; sessions are still read from Redis.
        if (closing || current !== connection) return;
        deactivate();
        // A connection lost during the set-up is retried; a refusal is not.
        if (listener.status === "ready") {
          log.warn({ err: (error as Error).message }, "session cache off: Redis refused key tracking");
        }
      } finally {
        settle();
      }
    })();
  });

  // A PING while subscribed is answered in order with the notices: its answer proves that every
  // notice sent before it has arrived. One left unanswered too long means a dead connection.
  const heartbeat = setInterval(() => {
    if (!active || closing) return;
    const now = performance.now();
    if (pingSentAt !== null) {
      const overdue = pingSentAt;
      if (now - overdue > SESSION_CACHE_MAX_SILENCE_MS) {
        // After a stall of this process, timers run before sockets are read: let an answer that
        // already came in be read first.
        setImmediate(() => {
          if (pingSentAt !== overdue || closing) return;
          pingSentAt = null;
          deactivate();
          listener.disconnect(true);
        });
      }
      return;
    }
    const sentAt = now;
    pingSentAt = sentAt;
    const current = connection;
    listener.ping().then(
      () => {
        if (current !== connection || pingSentAt !== sentAt) return;
        pingSentAt = null;
        confirmedAt = sentAt;
      },
      () => {
        // The connection closed or failed: its close event turns the cache off.
      },
    );
  }, SESSION_CACHE_HEARTBEAT_MS);
  heartbeat.unref();

  // The payload is the changed keys, or null when the whole database was flushed.
  listener.on("messageBuffer", (channel: Buffer, keys: Buffer[] | null) => {
    if (channel.toString() !== CHANNEL) return;
    if (!Array.isArray(keys)) {
      generation += 1;
      entries.clear();
      for (const pending of reads.values()) for (const read of pending) read.stale = true;
      return;
    }
    for (const key of keys) drop(key.toString());
  });

  listener.connect().catch(() => settle());

  return {
    get active() {
      return active;
    },
    ready,
    get(key, now = Date.now()) {
      if (!fresh()) return null;
      const entry = entries.get(key);
      if (!entry) return null;
      const ttlMs = entry.until - now;
      if (ttlMs <= 0) {
        entries.delete(key);
        return null;
      }
      return { ...entry.value, ttlMs };
    },
    begin(key) {
      if (!active) return null;
      const read: SessionRead = { key, generation, startedAt: Date.now(), stale: false };
      let pending = reads.get(key);
      if (!pending) {
        pending = new Set();
        reads.set(key, pending);
      }
      pending.add(read);
      return read;
    },
    keep(read, value) {
      const pending = reads.get(read.key);
      pending?.delete(read);
      if (pending?.size === 0) reads.delete(read.key);
      // An entry without an expiry (ttlMs 0) is repaired by the caller on Redis; not kept meanwhile.
      if (!fresh() || read.stale || read.generation !== generation || !value || value.ttlMs <= 0) return;
      if (entries.size >= maxEntries && !entries.has(read.key)) {
        const oldest = entries.keys().next();
        if (!oldest.done) entries.delete(oldest.value);
      }
      entries.delete(read.key);
      // Shared by every request that finds it: nobody may change it. Its lifetime counts from
      // before the read, so it never outlives the Redis entry.
      entries.set(read.key, {
        value: { ...value, data: Object.freeze({ ...value.data }) },
        until: read.startedAt + value.ttlMs,
      });
    },
    forget: drop,
    async close() {
      closing = true;
      clearInterval(heartbeat);
      deactivate();
      // A listening connection has nothing to flush, and QUIT would wait on an unanswering Redis.
      listener.disconnect();
    },
  };
}
