import { randomBytes } from "node:crypto";
import { decodeJwt, decodeProtectedHeader, SignJWT } from "jose";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createSessionTokens } from "./tokens";

const secret = "s".repeat(32);
const tokens = createSessionTokens({ secret, ttlSeconds: 3600 });
const sessionId = randomBytes(32).toString("base64url");

function forge(options: { key?: string; audience?: string; issuer?: string; expiresAt?: number } = {}) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ sid: sessionId })
    .setProtectedHeader({ alg: "HS256" })
    .setIssuer(options.issuer ?? "nexo")
    .setAudience(options.audience ?? "nexo-web")
    .setIssuedAt(now)
    .setExpirationTime(options.expiresAt ?? now + 60)
    .sign(new TextEncoder().encode(options.key ?? secret));
}

function base64url(value: object) {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

afterEach(() => {
  vi.useRealTimers();
});

describe("session tokens", () => {
  it("round-trips the session id with fixed alg, iss, aud and an exp of one TTL", async () => {
    const token = await tokens.sign(sessionId);
    expect(decodeProtectedHeader(token)).toEqual({ alg: "HS256", typ: "JWT" });
    const payload = decodeJwt(token);
    expect(payload).toMatchObject({ sid: sessionId, iss: "nexo", aud: "nexo-web" });
    expect(payload.exp! - payload.iat!).toBe(3600);
    expect(await tokens.verify(token)).toBe(sessionId);
  });

  // So that each rejection below is caused by the one thing it changes.
  it("accepts a token built like its own by forge()", async () => {
    expect(await tokens.verify(await forge())).toBe(sessionId);
  });

  it("rejects a token whose signature was altered", async () => {
    const token = await tokens.sign(sessionId);
    const at = token.lastIndexOf(".") + 10;
    const flipped = token.slice(0, at) + (token[at] === "A" ? "B" : "A") + token.slice(at + 1);
    expect(await tokens.verify(flipped)).toBeNull();
  });

  it("rejects tokens signed with another key, for another audience or issuer, or expired", async () => {
    expect(await tokens.verify(await forge({ key: "k".repeat(32) }))).toBeNull();
    expect(await tokens.verify(await forge({ audience: "nexo-api" }))).toBeNull();
    expect(await tokens.verify(await forge({ issuer: "someone-else" }))).toBeNull();
    expect(await tokens.verify(await forge({ expiresAt: Math.floor(Date.now() / 1000) - 1 }))).toBeNull();
  });

  it("rejects an unsigned (alg none) token", async () => {
    const now = Math.floor(Date.now() / 1000);
    const unsigned = `${base64url({ alg: "none", typ: "JWT" })}.${base64url({ sid: sessionId, iss: "nexo", aud: "nexo-web", iat: now, exp: now + 60 })}.`;
    expect(await tokens.verify(unsigned)).toBeNull();
  });

  it("rejects garbage and tokens without a session id", async () => {
    expect(await tokens.verify("not-a-token")).toBeNull();
    const noSid = await new SignJWT({})
      .setProtectedHeader({ alg: "HS256" })
      .setIssuer("nexo")
      .setAudience("nexo-web")
      .setExpirationTime("1m")
      .sign(new TextEncoder().encode(secret));
    expect(await tokens.verify(noSid)).toBeNull();
  });

  it("stops accepting its own token once the TTL has passed", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const token = await tokens.sign(sessionId);
    vi.advanceTimersByTime(3599_000);
    expect(await tokens.verify(token)).toBe(sessionId);
    vi.advanceTimersByTime(2_000);
    expect(await tokens.verify(token)).toBeNull();
  });
});
