import { SignJWT } from "jose";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createSessionCookie } from "./cookies";
import { createMemorySessionStore, type MemorySessionStore } from "./memory-session-store";
import { createSessions, type SessionGrant, type Sessions } from "./sessions";
import { createSessionTokens } from "./tokens";

const secret = "a-test-secret-that-is-long-enough-for-hs256";
const idleSeconds = 3600;
const absoluteSeconds = 4 * 3600;
const grant: SessionGrant = {
  userId: "0190f0d8-0000-7000-8000-000000000001",
  orgId: "0190f0d8-0000-7000-8000-000000000002",
  role: "member",
};

let store: MemorySessionStore;
let sessions: Sessions;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date", "setInterval", "clearInterval"] });
  store = createMemorySessionStore();
  sessions = createSessions({
    store,
    tokens: createSessionTokens({ secret, ttlSeconds: absoluteSeconds }),
    cookie: createSessionCookie({ secure: false, ttlSeconds: absoluteSeconds }),
    idleTimeoutSeconds: idleSeconds,
    absoluteLifetimeSeconds: absoluteSeconds,
  });
});

afterEach(async () => {
  await store.close();
  vi.restoreAllMocks();
  vi.useRealTimers();
});

/** Starts a session the way login does and returns the Cookie header a browser would send back. */
async function login(previousCookie?: string) {
  const resHeaders = new Headers();
  const session = await sessions.startSession(grant, {
    headers: new Headers({ "user-agent": "Firefox/128.0", ...(previousCookie ? { cookie: previousCookie } : {}) }),
    resHeaders,
    ip: "203.0.113.9",
  });
  const [setCookie] = resHeaders.getSetCookie();
  return { session, setCookie: setCookie!, cookie: setCookie!.split(";")[0]! };
}

const headersWith = (cookie: string) => new Headers({ cookie });
const tokenOf = (cookie: string) => cookie.slice(cookie.indexOf("=") + 1);

describe("sessions", () => {
  it("starts a session with a 256-bit random id, stores it with the idle TTL and sets the cookie", async () => {
    const { session, setCookie } = await login();
    expect(session).toEqual({ id: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), ...grant, via: "cookie" });
    expect(setCookie).toMatch(/^nexo_session=[\w-]+\.[\w-]+\.[\w-]+; HttpOnly; Path=\/; SameSite=Lax; Max-Age=14400$/);
    const stored = await store.get(session.id);
    const now = Date.now();
    expect(stored?.data).toEqual({
      ...grant,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: now + absoluteSeconds * 1000,
      ip: "203.0.113.9",
      userAgent: "Firefox/128.0",
    });
    expect(stored?.ttlMs).toBe(idleSeconds * 1000);
  });

  it("resolves the cookie it set to the session", async () => {
    const { session, cookie } = await login();
    expect(await sessions.resolveSession(headersWith(`theme=dark; ${cookie}`))).toEqual(session);
  });

  it("gives every login a new id and ends the session the request carried", async () => {
    const first = await login();
    const second = await login(first.cookie);
    expect(second.session.id).not.toBe(first.session.id);
    expect(await store.get(first.session.id)).toBeNull();
    expect(await sessions.resolveSession(headersWith(first.cookie))).toBeNull();
    expect(await sessions.resolveSession(headersWith(second.cookie))).toEqual(second.session);
  });

  it("ends a session at once and clears the cookie", async () => {
    const { session, cookie } = await login();
    const resHeaders = new Headers();
    await sessions.endSession(session.id, resHeaders);
    expect(resHeaders.getSetCookie()).toEqual(["nexo_session=; HttpOnly; Path=/; SameSite=Lax; Max-Age=0"]);
    expect(await sessions.resolveSession(headersWith(cookie))).toBeNull();
  });

  it("returns null for a validly signed token whose session is gone", async () => {
    const { session, cookie } = await login();
    await store.delete(session.id);
    expect(await sessions.resolveSession(headersWith(cookie))).toBeNull();
  });

  it("returns null once the session has been idle for the idle timeout", async () => {
    const { cookie } = await login();
    vi.advanceTimersByTime(idleSeconds * 1000 - 1);
    expect(await sessions.resolveSession(headersWith(cookie))).not.toBeNull();
    const other = await login();
    vi.advanceTimersByTime(idleSeconds * 1000);
    expect(await sessions.resolveSession(headersWith(other.cookie))).toBeNull();
  });

  it("lists and ends a user's sessions, optionally in one organization or all but one", async () => {
    const a = await login();
    const b = await login();
    const elsewhere = await sessions.startSession(
      { ...grant, orgId: "0190f0d8-0000-7000-8000-0000000000ff" },
      { headers: new Headers(), resHeaders: new Headers() },
    );
    expect((await sessions.listUserSessions(grant.userId)).map((s) => s.id)).toEqual([
      a.session.id,
      b.session.id,
      elsewhere.id,
    ]);
    expect(await sessions.endUserSessions(grant.userId, { orgId: grant.orgId, exceptId: b.session.id })).toBe(1);
    expect((await sessions.listUserSessions(grant.userId)).map((s) => s.id)).toEqual([b.session.id, elsewhere.id]);
    expect(await sessions.endUserSessions(grant.userId)).toBe(2);
    expect(await sessions.listUserSessions(grant.userId)).toEqual([]);
  });

  it("rotates to a new id with a new grant, keeping the absolute end", async () => {
    const { session, cookie } = await login();
    vi.advanceTimersByTime(60_000);
    const resHeaders = new Headers();
    const rotated = await sessions.rotateSession(
      session,
      { ...grant, role: "admin" },
      {
        headers: headersWith(cookie),
        resHeaders,
      },
    );
    expect(rotated.id).not.toBe(session.id);
    expect(rotated.role).toBe("admin");
    expect(await sessions.resolveSession(headersWith(cookie))).toBeNull();
    const [setCookie] = resHeaders.getSetCookie();
    expect(setCookie).toMatch(/Max-Age=14340$/);
    expect((await store.get(rotated.id))?.data.expiresAt).toBe(Date.now() - 60_000 + absoluteSeconds * 1000);
  });

  it("refuses to rotate a session that has ended, and creates none (no resurrection)", async () => {
    const { session } = await login();
    await sessions.endSession(session.id, new Headers());
    const resHeaders = new Headers();
    await expect(
      sessions.rotateSession(session, { ...grant, role: "admin" }, { headers: new Headers(), resHeaders }),
    ).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    expect(resHeaders.getSetCookie()).toEqual([]);
    expect(await sessions.listUserSessions(grant.userId)).toEqual([]);
  });

  it("rotates a session once when two requests race: one new session, the other UNAUTHORIZED", async () => {
    const { session } = await login();
    vi.advanceTimersByTime(60_000);
    const request = () => ({ headers: new Headers(), resHeaders: new Headers() });
    const results = await Promise.allSettled([
      sessions.rotateSession(session, grant, request()),
      sessions.rotateSession(session, grant, request()),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    const live = await sessions.listUserSessions(grant.userId);
    expect(live).toHaveLength(1);
    // The survivor keeps the original absolute end, not a fresh lifetime.
    expect(live[0]?.data.expiresAt).toBe(Date.now() - 60_000 + absoluteSeconds * 1000);
  });
});

describe("resolveSession with a bad cookie", () => {
  async function sign(claims: { sid: string }, options: { key?: string; audience?: string; expiresAt?: number } = {}) {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT(claims)
      .setProtectedHeader({ alg: "HS256" })
      .setIssuer("nexo")
      .setAudience(options.audience ?? "nexo-web")
      .setExpirationTime(options.expiresAt ?? now + 60)
      .sign(new TextEncoder().encode(options.key ?? secret));
  }

  it("rejects every tampered token before asking the store", async () => {
    const { session, cookie } = await login();
    const token = tokenOf(cookie);
    const signatureAt = token.lastIndexOf(".") + 5;
    const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const now = Math.floor(Date.now() / 1000);
    const bad = {
      "flipped signature":
        token.slice(0, signatureAt) + (token[signatureAt] === "x" ? "y" : "x") + token.slice(signatureAt + 1),
      "another secret": await sign({ sid: session.id }, { key: "another-secret-that-is-long-enough-too" }),
      "wrong audience": await sign({ sid: session.id }, { audience: "nexo-api" }),
      expired: await sign({ sid: session.id }, { expiresAt: now - 1 }),
      "alg none": `${b64({ alg: "none" })}.${b64({ sid: session.id, iss: "nexo", aud: "nexo-web", exp: now + 60 })}.`,
      garbage: "garbage",
    };
    // The same claims with the right key pass: each case above fails for its one change.
    expect(await sessions.resolveSession(headersWith(`nexo_session=${await sign({ sid: session.id })}`))).toEqual(
      session,
    );

    const get = vi.spyOn(store, "get");
    for (const [name, value] of Object.entries(bad)) {
      expect(await sessions.resolveSession(headersWith(`nexo_session=${value}`)), name).toBeNull();
    }
    expect(await sessions.resolveSession(new Headers())).toBeNull();
    expect(get).not.toHaveBeenCalled();
  });
});

describe("idle and absolute expiry", () => {
  it("records activity and slides the idle expiry at most once a minute", async () => {
    const { session, cookie } = await login();
    const touch = vi.spyOn(store, "touch");

    vi.advanceTimersByTime(59_000);
    expect(await sessions.resolveSession(headersWith(cookie))).toEqual(session);
    expect(touch).not.toHaveBeenCalled();

    vi.advanceTimersByTime(1_000);
    expect(await sessions.resolveSession(headersWith(cookie))).toEqual(session);
    expect(touch).toHaveBeenCalledTimes(1);
    const stored = await store.get(session.id);
    expect(stored?.ttlMs).toBe(idleSeconds * 1000);
    expect(stored?.data.lastSeenAt).toBe(Date.now());

    await sessions.resolveSession(headersWith(cookie));
    expect(touch).toHaveBeenCalledTimes(1);

    // Past the first idle deadline, the refreshed session is still good.
    vi.advanceTimersByTime(idleSeconds * 1000 - 30_000);
    expect(await sessions.resolveSession(headersWith(cookie))).toEqual(session);
  });

  it("ends an active session at its absolute lifetime", async () => {
    const { cookie } = await login();
    // Active every 50 minutes, so the idle timeout never strikes.
    for (let elapsed = 0; elapsed + 3000 < absoluteSeconds; elapsed += 3000) {
      vi.advanceTimersByTime(3000_000);
      expect(await sessions.resolveSession(headersWith(cookie))).not.toBeNull();
    }
    vi.advanceTimersByTime(absoluteSeconds * 1000);
    expect(await sessions.resolveSession(headersWith(cookie))).toBeNull();
  });
});
