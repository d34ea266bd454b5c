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

export function createSessionTokens(options: { secret: string; ttlSeconds: number }): SessionTokens {
  const key = new TextEncoder().encode(options.secret);
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
      try {
        // A fixed algorithm list stops "alg: none" and algorithm-confusion tokens.
        const { payload } = await jwtVerify(token, key, {
          algorithms: [ALGORITHM],
          issuer: ISSUER,
          audience: AUDIENCE,
          requiredClaims: ["exp", "sid"],
        });
        return typeof payload.sid === "string" ? payload.sid : null;
      } catch {
        return null;
      }
    },
  };
}
