import { jwtVerify, SignJWT } from "jose";

const ALGORITHM = "HS256";
const ISSUER = "nexo";
const AUDIENCE = "nexo-web";

export interface SessionTokens {
  /** A signed token naming session `sessionId`, expiring at `expiresAt` (epoch ms) or after the TTL. */
  sign(sessionId: string, expiresAt?: number): Promise<string>;
  /** The session id named by a valid token, or null for anything forged, expired or malformed. */
  verify(token: string): Promise<string | null>;
}

/** Verified tokens remembered, so a session's every request does not recompute the HMAC. */
const MAX_VERIFIED = 2_000;

export function createSessionTokens(options: { secret: string; ttlSeconds: number }): SessionTokens {
  const key = new TextEncoder().encode(options.secret);
  // A token's verdict never changes before it expires: signature, issuer and audience are fixed by
  // its bytes. Only valid tokens are kept (with their expiry), so garbage cannot fill the map, and
  // the session store is still asked on every request: revocation stays immediate.
  const verified = new Map<string, { sid: string; expMs: number }>();
  return {
    sign(sessionId, expiresAt) {
      const now = Math.floor(Date.now() / 1000);
      const exp = expiresAt === undefined ? now + options.ttlSeconds : Math.floor(expiresAt / 1000);
      return new SignJWT({ sid: sessionId })
        .setProtectedHeader({ alg: ALGORITHM, typ: "JWT" })
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt(now)
        .setExpirationTime(exp)
        .sign(key);
    },
    async verify(token) {
      const known = verified.get(token);
      if (known) {
        if (Date.now() < known.expMs) return known.sid;
        verified.delete(token);
        return null;
      }
      try {
        // A fixed algorithm list stops "alg: none" and algorithm-confusion tokens.
        const { payload } = await jwtVerify(token, key, {
          algorithms: [ALGORITHM],
          issuer: ISSUER,
          audience: AUDIENCE,
          requiredClaims: ["exp", "sid"],
        });
        if (typeof payload.sid !== "string" || typeof payload.exp !== "number") return null;
        if (verified.size >= MAX_VERIFIED) {
          const oldest = verified.keys().next();
          if (!oldest.done) verified.delete(oldest.value);
        }
        verified.set(token, { sid: payload.sid, expMs: payload.exp * 1000 });
        return payload.sid;
      } catch {
        return null;
      }
    },
  };
}
