import type { SessionData, SessionStore } from "./session-store";

const SWEEP_INTERVAL_MS = 60_000;

export interface MemorySessionStore extends SessionStore {
  /** Entries held, expired ones included until the next sweep or lookup. */
  readonly size: number;
}

/** A single-process stand-in for Redis, so a fresh clone runs without servers. */
export function createMemorySessionStore(): MemorySessionStore {
  const entries = new Map<string, { data: SessionData; expiresAt: number }>();

  function live(id: string) {
    const entry = entries.get(id);
    if (entry && entry.expiresAt <= Date.now()) {
      entries.delete(id);
      return undefined;
    }
    return entry;
  }

  // Lookups drop expired entries lazily; the sweep bounds memory for sessions nobody comes back to.
  const sweep = setInterval(() => {
    const now = Date.now();
    for (const [id, entry] of entries) if (entry.expiresAt <= now) entries.delete(id);
  }, SWEEP_INTERVAL_MS);
  sweep.unref();

  return {
    kind: "memory",
    get size() {
      return entries.size;
    },
    async set(id, data, ttlSeconds) {
      entries.set(id, { data: { ...data }, expiresAt: Date.now() + ttlSeconds * 1000 });
    },
    async get(id) {
      const entry = live(id);
      return entry ? { data: { ...entry.data }, ttlMs: entry.expiresAt - Date.now() } : null;
    },
    async touch(id, ttlSeconds) {
      const entry = live(id);
      if (entry) entry.expiresAt = Date.now() + ttlSeconds * 1000;
    },
    async delete(id) {
      entries.delete(id);
    },
    async ping() {},
    async close() {
      clearInterval(sweep);
      entries.clear();
    },
  };
}
