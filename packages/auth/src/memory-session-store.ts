import type { SessionData, SessionStore, StoredSession } from "./session-store";

const SWEEP_INTERVAL_MS = 60_000;

export interface MemorySessionStore extends SessionStore {
  /** Entries held, expired ones included until the next sweep or lookup. */
  readonly size: number;
}

/** A single-process stand-in for Redis, so a fresh clone runs without servers. */
export function createMemorySessionStore(): MemorySessionStore {
  const entries = new Map<string, { data: SessionData; expiresAt: number }>();
  const byUser = new Map<string, Set<string>>();

  function forget(id: string) {
    const entry = entries.get(id);
    if (!entry) return;
    entries.delete(id);
    const ids = byUser.get(entry.data.userId);
    ids?.delete(id);
    if (ids?.size === 0) byUser.delete(entry.data.userId);
  }

  function live(id: string) {
    const entry = entries.get(id);
    if (entry && entry.expiresAt <= Date.now()) {
      forget(id);
      return undefined;
    }
    return entry;
  }

  const view = (id: string, entry: { data: SessionData; expiresAt: number }): StoredSession => ({
    id,
    data: { ...entry.data },
    ttlMs: entry.expiresAt - Date.now(),
  });

  // Lookups drop expired entries lazily; the sweep bounds memory for sessions nobody comes back to.
  const sweep = setInterval(() => {
    const now = Date.now();
    for (const [id, entry] of entries) if (entry.expiresAt <= now) forget(id);
  }, SWEEP_INTERVAL_MS);
  sweep.unref();

  return {
    kind: "memory",
    get size() {
      return entries.size;
    },
    async set(id, data, ttlSeconds) {
      forget(id);
      entries.set(id, { data: { ...data }, expiresAt: Date.now() + ttlSeconds * 1000 });
      const ids = byUser.get(data.userId) ?? new Set<string>();
      ids.add(id);
      byUser.set(data.userId, ids);
    },
    async get(id) {
      const entry = live(id);
      return entry ? view(id, entry) : null;
    },
    async touch(id, data, ttlSeconds) {
      const entry = live(id);
      if (entry) {
        entry.data = { ...data, userId: entry.data.userId };
        entry.expiresAt = Date.now() + ttlSeconds * 1000;
      }
    },
    async delete(id) {
      forget(id);
    },
    async take(id) {
      // No await between the lookup and the removal: atomic within this process.
      const entry = live(id);
      if (!entry) return null;
      const taken = view(id, entry);
      forget(id);
      return taken;
    },
    async listByUser(userId) {
      const result: StoredSession[] = [];
      for (const id of byUser.get(userId) ?? []) {
        const entry = live(id);
        if (entry) result.push(view(id, entry));
      }
      return result.sort((a, b) => a.data.createdAt - b.data.createdAt);
    },
    async ping() {},
    async close() {
      clearInterval(sweep);
      entries.clear();
      byUser.clear();
    },
  };
}
