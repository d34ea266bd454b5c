import type { Role } from "@nexo/db";

/** What a session id stands for. */
export interface SessionData {
  userId: string;
  orgId: string;
  role: Role;
  /** Epoch milliseconds. */
  createdAt: number;
}

export interface StoredSession {
  data: SessionData;
  /** Milliseconds until the entry expires; sliding expiry uses it to tell when it last refreshed. */
  ttlMs: number;
}

/** Where sessions live: Redis in production, process memory when no Redis is configured. */
export interface SessionStore {
  readonly kind: "redis" | "memory";
  /** Stores `data` under `id`, expiring after `ttlSeconds`. */
  set(id: string, data: SessionData, ttlSeconds: number): Promise<void>;
  /** The live entry, or null when it never existed, expired or was deleted. */
  get(id: string): Promise<StoredSession | null>;
  /** Restarts an entry's expiry; does nothing when the entry is gone. */
  touch(id: string, ttlSeconds: number): Promise<void>;
  delete(id: string): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
