import { randomBytes } from "node:crypto";
import type { Role } from "@nexo/db";
import { type Session, TRPCError } from "@nexo/trpc";
import type { SessionCookie } from "./cookies";
import type { SessionData, SessionStore, StoredSession } from "./session-store";
import type { SessionTokens } from "./tokens";

/** Who a new session is for. */
export interface SessionGrant {
  userId: string;
  orgId: string;
  role: Role;
}

/** The parts of a request a session is started from. */
export interface SessionRequest {
  headers: Headers;
  resHeaders: Headers;
  ip?: string;
}

export interface Sessions {
  /**
   * The live session named by the request's cookie, or null. The token is verified before the store is
   * asked, so forged or expired cookies cost no store round trip. Activity slides the idle expiry
   * forward (at most once a minute), never past the absolute lifetime.
   */
  resolveSession(headers: Headers, resHeaders?: Headers): Promise<Session | null>;
  /**
   * Starts a session under a new random id and sets its cookie. The session the request carried, if
   * any, is ended first, so an id planted before login is worthless after it.
   */
  startSession(grant: SessionGrant, request: SessionRequest): Promise<Session>;
  /**
   * Moves the request's session to a new id with a new grant (organization switch, own role change),
   * keeping its absolute end so that rotating never extends a session's life. The old entry is taken
   * from the store atomically: when it is already gone (revoked, expired, or rotated by a concurrent
   * request) this is UNAUTHORIZED and no session is created.
   */
  rotateSession(current: Session, grant: SessionGrant, request: SessionRequest): Promise<Session>;
  /** Ends a session (effective from the next request) and clears its cookie. */
  endSession(sessionId: string, resHeaders: Headers): Promise<void>;
  /** The user's live sessions, oldest first. */
  listUserSessions(userId: string): Promise<StoredSession[]>;
  /** Ends the user's sessions (in one organization only, with `orgId`), except `exceptId`. */
  endUserSessions(userId: string, filter?: { orgId?: string; exceptId?: string }): Promise<number>;
}

export function createSessions(options: {
  store: SessionStore;
  tokens: SessionTokens;
  cookie: SessionCookie;
  idleTimeoutSeconds: number;
  absoluteLifetimeSeconds: number;
}): Sessions {
  const { store, tokens, cookie, idleTimeoutSeconds, absoluteLifetimeSeconds } = options;
  // Last-seen and the idle expiry are rewritten at most once a minute per session rather than on
  // every request (sooner only for idle timeouts too short for that).
  const refreshAfterMs = Math.min(60_000, (idleTimeoutSeconds * 1000) / 2);

  /** Seconds the store keeps the entry: the idle timeout, but never past the absolute end. */
  const ttlFor = (expiresAt: number, now: number) =>
    Math.max(1, Math.min(idleTimeoutSeconds, Math.ceil((expiresAt - now) / 1000)));

  async function sessionIdOf(headers: Headers): Promise<string | null> {
    const token = cookie.read(headers);
    return token ? tokens.verify(token) : null;
  }

  async function create(grant: SessionGrant, request: SessionRequest, expiresAt: number): Promise<Session> {
    const now = Date.now();
    // 256 bits from the CSPRNG: unguessable, and carries no meaning of its own.
    const id = randomBytes(32).toString("base64url");
    // Picked field by field: a caller passing a whole Session must not smuggle its old id in.
    const { userId, orgId, role } = grant;
    const data: SessionData = {
      userId,
      orgId,
      role,
      createdAt: now,
      lastSeenAt: now,
      expiresAt,
      ip: request.ip ?? "",
      userAgent: (request.headers.get("user-agent") ?? "").slice(0, 300),
    };
    await store.set(id, data, ttlFor(expiresAt, now));
    // The cookie and its token live until the absolute end; the store enforces the idle timeout.
    // Rounded up: a millisecond between the caller's clock read and this one must not turn a
    // 30-day session's cookie into one of 30 days less a second (the store ends it on time anyway).
    const maxAge = Math.max(1, Math.ceil((expiresAt - now) / 1000));
    request.resHeaders.append("set-cookie", cookie.serialize(await tokens.sign(id, expiresAt), maxAge));
    return { id, userId, orgId, role, via: "cookie" };
  }

  return {
    async resolveSession(headers) {
      const id = await sessionIdOf(headers);
      if (!id) return null;
      const stored = await store.get(id);
      if (!stored) return null;
      const { data } = stored;
      const now = Date.now();
      if (now >= data.expiresAt) {
        await store.delete(id);
        return null;
      }
      if (now - data.lastSeenAt >= refreshAfterMs || stored.ttlMs === 0) {
        await store.touch(id, { ...data, lastSeenAt: now }, ttlFor(data.expiresAt, now));
      }
      return { id, userId: data.userId, orgId: data.orgId, role: data.role, via: "cookie" };
    },

    async startSession(grant, request) {
      const previous = await sessionIdOf(request.headers);
      if (previous) await store.delete(previous);
      return create(grant, request, Date.now() + absoluteLifetimeSeconds * 1000);
    },

    async rotateSession(current, grant, request) {
      // Read-then-delete in two steps would let a revoked session come back under a new id with a
      // fresh lifetime, and two parallel rotations turn one session into two.
      const taken = await store.take(current.id);
      if (!taken || Date.now() >= taken.data.expiresAt || taken.data.userId !== grant.userId) {
        throw new TRPCError({ code: "UNAUTHORIZED", message: "Your session has ended. Please sign in again." });
      }
      return create(grant, request, taken.data.expiresAt);
    },

    async endSession(sessionId, resHeaders) {
      await store.delete(sessionId);
      resHeaders.append("set-cookie", cookie.clear());
    },

    listUserSessions: (userId) => store.listByUser(userId),

    async endUserSessions(userId, filter = {}) {
      const ended = (await store.listByUser(userId)).filter(
        (s) => s.id !== filter.exceptId && (filter.orgId === undefined || s.data.orgId === filter.orgId),
      );
      await Promise.all(ended.map((s) => store.delete(s.id)));
      return ended.length;
    },
  };
}
