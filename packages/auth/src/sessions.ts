import { randomBytes } from "node:crypto";
import type { Role } from "@nexo/db";
import type { Session } from "@nexo/trpc";
import type { SessionCookie } from "./cookies";
import type { SessionStore } from "./session-store";
import type { SessionTokens } from "./tokens";

/** Who a new session is for. */
export interface SessionGrant {
  userId: string;
  orgId: string;
  role: Role;
}

export interface Sessions {
  /**
   * The live session named by the request's cookie, or null. The token is verified before the store is
   * asked, so forged or expired cookies cost no store round trip. With `resHeaders`, a session whose
   * expiry slid forward also gets a fresh cookie (the token's own `exp` would otherwise end it).
   */
  resolveSession(headers: Headers, resHeaders?: Headers): Promise<Session | null>;
  /**
   * Starts a session under a new random id and sets its cookie. The session the request carried, if
   * any, is ended first, so an id planted before login is worthless after it.
   */
  startSession(grant: SessionGrant, request: { headers: Headers; resHeaders: Headers }): Promise<Session>;
  /** Ends a session (effective from the next request) and clears its cookie. */
  endSession(sessionId: string, resHeaders: Headers): Promise<void>;
}

export function createSessions(options: {
  store: SessionStore;
  tokens: SessionTokens;
  cookie: SessionCookie;
  ttlSeconds: number;
}): Sessions {
  const { store, tokens, cookie, ttlSeconds } = options;
  // Sliding expiry rewrites the TTL at most once a minute per session rather than on every request
  // (sooner only for TTLs too short for that).
  const refreshAfterMs = Math.min(60_000, (ttlSeconds * 1000) / 2);

  async function sessionIdOf(headers: Headers): Promise<string | null> {
    const token = cookie.read(headers);
    return token ? tokens.verify(token) : null;
  }

  async function setCookie(resHeaders: Headers, sessionId: string): Promise<void> {
    resHeaders.append("set-cookie", cookie.serialize(await tokens.sign(sessionId)));
  }

  return {
    async resolveSession(headers, resHeaders) {
      const id = await sessionIdOf(headers);
      if (!id) return null;
      const stored = await store.get(id);
      if (!stored) return null;
      if (ttlSeconds * 1000 - stored.ttlMs >= refreshAfterMs) {
        await store.touch(id, ttlSeconds);
        if (resHeaders) await setCookie(resHeaders, id);
      }
      const { userId, orgId, role } = stored.data;
      return { id, userId, orgId, role };
    },

    async startSession({ userId, orgId, role }, { headers, resHeaders }) {
      const previous = await sessionIdOf(headers);
      if (previous) await store.delete(previous);
      // 256 bits from the CSPRNG: unguessable, and carries no meaning of its own.
      const id = randomBytes(32).toString("base64url");
      await store.set(id, { userId, orgId, role, createdAt: Date.now() }, ttlSeconds);
      await setCookie(resHeaders, id);
      return { id, userId, orgId, role };
    },

    async endSession(sessionId, resHeaders) {
      await store.delete(sessionId);
      resHeaders.append("set-cookie", cookie.clear());
    },
  };
}
