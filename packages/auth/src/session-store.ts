import type { Role } from "@nexo/db";

/** What a session id stands for. Times are epoch milliseconds. */
export interface SessionData {
  userId: string;
  orgId: string;
  role: Role;
  createdAt: number;
  /** Refreshed at most once a minute, with the idle expiry. */
  lastSeenAt: number;
  /** The absolute end of the session, however active it is. */
  expiresAt: number;
  ip: string;
  userAgent: string;
}

export interface StoredSession {
  id: string;
  data: SessionData;
  /** Milliseconds until the entry expires (the idle timeout, capped by the absolute end). */
  ttlMs: number;
}

/**
 * Where sessions live: Redis in production, process memory when no Redis is configured. Each store
 * keeps a per-user index so that "my sessions" and "end this user's sessions" need no scan.
 */
export interface SessionStore {
  readonly kind: "redis" | "memory";
  /** Stores `data` under `id`, expiring after `ttlSeconds`, and indexes it under its user. */
  set(id: string, data: SessionData, ttlSeconds: number): Promise<void>;
  /** The live entry, or null when it never existed, expired or was deleted. */
  get(id: string): Promise<StoredSession | null>;
  /** Replaces a live entry's data and expiry; does nothing when the entry is gone. */
  touch(id: string, data: SessionData, ttlSeconds: number): Promise<void>;
  delete(id: string): Promise<void>;
  /**
   * Removes the live entry and returns what it held, in one atomic step: of two concurrent takes of
   * the same id exactly one gets the entry, so a session can be rotated (or consumed) only once.
   */
  take(id: string): Promise<StoredSession | null>;
  /** The user's live sessions, oldest first. */
  listByUser(userId: string): Promise<StoredSession[]>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
