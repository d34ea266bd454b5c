/**
 * Regression tests for a security review of this package: each case fails on the code before its fix.
 */
import { randomUUID } from "node:crypto";
import {
  and,
  apiTokens,
  auditLog,
  type Db,
  type DbHandle,
  eq,
  memberships,
  organizations,
  passwordResets,
  type Role,
  users,
} from "@nexo/db";
import { createTestDb } from "@nexo/db/testing";
import { type Context, createCallerFactory, router } from "@nexo/trpc";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateApiToken } from "./api-tokens";
import { authRouter } from "./auth.router";
import type { Mail } from "./mailer";
import { hashPassword } from "./passwords";
import { type AuthService, createAuth } from "./service";
import { deleteKeys, inspectRedis, redisUrl, silentLog, uniqueKeyPrefix } from "./testing";

const appRouter = router({ auth: authRouter });
const createCaller = createCallerFactory(appRouter);
type Caller = ReturnType<typeof createCaller>;
const keyPrefix = uniqueKeyPrefix();
const password = "correct horse battery";

let handle: DbHandle;
let auth: AuthService;
let passwordHash: string;
const mails: Mail[] = [];

beforeAll(async () => {
  handle = await createTestDb();
  passwordHash = await hashPassword(password);
  auth = createAuth({
    secret: "a-test-secret-that-is-long-enough-for-hs256",
    appUrl: "http://localhost:3000",
    redisUrl,
    keyPrefix,
    log: silentLog,
    // Per-IP limits out of the way (every case comes from its own address where it matters); the
    // limits under test are small.
    rateLimits: {
      loginPerIp: { limit: 10_000, windowSeconds: 60 },
      registerPerIp: { limit: 10_000, windowSeconds: 60 },
      resetPerIp: { limit: 10_000, windowSeconds: 60 },
      registerPerAccount: { limit: 3, windowSeconds: 60 },
      bearerFailuresPerIp: { limit: 3, windowSeconds: 60 },
    },
    mailer: {
      async send(mail) {
        mails.push(mail);
      },
    },
  });
});

afterAll(async () => {
  await auth?.close();
  await handle?.close();
  if (redisUrl) {
    const redis: Redis = inspectRedis(redisUrl);
    await deleteKeys(redis, keyPrefix);
    await redis.quit();
  }
});

/** A browser against the router: sends its cookie, resolves the session first, keeps Set-Cookie. */
function browser(options: { cookie?: string | null; ip?: string } = {}) {
  let cookie = options.cookie ?? null;
  return {
    get cookie() {
      return cookie;
    },
    async call<T>(procedure: (caller: Caller) => Promise<T>, with_: { auth?: AuthService; db?: Db } = {}): Promise<T> {
      const headers = new Headers({ "user-agent": "security-test", ...(cookie ? { cookie } : {}) });
      const resHeaders = new Headers();
      const ctx: Context = {
        db: with_.db ?? handle.db,
        log: silentLog,
        requestId: randomUUID(),
        headers,
        ip: options.ip ?? "127.0.0.1",
        resHeaders,
        session: await auth.resolveSession(headers, resHeaders),
        auth: with_.auth ?? auth,
      };
      try {
        return await procedure(createCaller(ctx));
      } finally {
        for (const setCookie of resHeaders.getSetCookie()) {
          const pair = setCookie.split(";")[0]!;
          cookie = / Max-Age=0(;|$)/.test(setCookie) ? null : pair;
        }
      }
    },
  };
}
type Browser = ReturnType<typeof browser>;

async function newUser() {
  const email = `user-${randomUUID()}@example.com`;
  const [user] = await handle.db.insert(users).values({ name: "Test User", email, passwordHash }).returning();
  return { id: user!.id, email };
}
async function newOrg(name = "Org") {
  const [org] = await handle.db.insert(organizations).values({ name }).returning();
  return org!.id;
}
async function join(orgId: string, userId: string, role: Role) {
  await handle.db.insert(memberships).values({ orgId, userId, role });
}
/** A browser signed in as `userId` in `orgId`, as if it had logged in there. */
async function signedIn(userId: string, orgId: string, role: Role, ip?: string): Promise<Browser> {
  const resHeaders = new Headers();
  await auth.startSession({ userId, orgId, role }, { headers: new Headers(), resHeaders });
  return browser({ cookie: resHeaders.getSetCookie()[0]!.split(";")[0]!, ip });
}
async function failure(promise: Promise<unknown>) {
  return promise.then(
    () => {
      throw new Error("expected the call to fail");
    },
    (error: { code?: string; message?: string }) => ({ code: error.code, message: error.message }),
  );
}
async function sessionsOf(userId: string) {
  return (await auth.listUserSessions(userId)).map((s) => ({ orgId: s.data.orgId, role: s.data.role }));
}
async function addToken(userId: string, orgId: string) {
  const { tokenHash, prefix } = generateApiToken();
  await handle.db.insert(apiTokens).values({ orgId, userId, name: "script", tokenHash, prefix });
}

/**
 * The database calls a procedure makes, by builder method (`select`, `insert`, …), inside
 * transactions too: what two code paths that must cost the same should have in common.
 */
function recordingDb(db: Db, calls: string[]): Db {
  const traced = new Set(["select", "insert", "update", "delete", "execute", "transaction"]);
  const wrap = <T extends object>(target: T): T =>
    new Proxy(target, {
      get(object, property) {
        const value = Reflect.get(object, property, object) as unknown;
        if (typeof value !== "function" || !traced.has(String(property))) return value;
        return (...args: unknown[]) => {
          calls.push(String(property));
          if (property === "transaction") {
            const [work, ...rest] = args as [(tx: object) => unknown, ...unknown[]];
            return value.call(object, (tx: object) => work(wrap(tx)), ...rest);
          }
          return value.apply(object, args);
        };
      },
    });
  return wrap(db);
}

describe("passwordReset.createLink (finding 1)", () => {
  it("refuses a member who also belongs to another organization, where they may be the owner", async () => {
    const orgA = await newOrg("A");
    const orgB = await newOrg("B");
    const admin = await newUser();
    const target = await newUser();
    await join(orgA, admin.id, "admin");
    await join(orgA, target.id, "member");
    await join(orgB, target.id, "owner");
    const adminA = await signedIn(admin.id, orgA, "admin");
    expect(await failure(adminA.call((c) => c.auth.passwordReset.createLink({ userId: target.id })))).toEqual({
      code: "FORBIDDEN",
      message:
        "This person also belongs to another organization, so only they can reset their password (with “Forgot password” on the sign-in page).",
    });
    expect(await handle.db.select().from(passwordResets).where(eq(passwordResets.userId, target.id))).toEqual([]);

    // Someone in this organization only still gets a link, and the rank check still applies.
    const local = await newUser();
    await join(orgA, local.id, "viewer");
    const link = await adminA.call((c) => c.auth.passwordReset.createLink({ userId: local.id }));
    expect(link.url).toMatch(/\/reset-password\/[\w-]{43}$/);
    const otherAdmin = await newUser();
    await join(orgA, otherAdmin.id, "admin");
    expect((await failure(adminA.call((c) => c.auth.passwordReset.createLink({ userId: otherAdmin.id })))).code).toBe(
      "FORBIDDEN",
    );
  });

  it("voids a pending link once its member joins another organization", async () => {
    const orgA = await newOrg("A");
    const orgB = await newOrg("B");
    const admin = await newUser();
    const target = await newUser();
    await join(orgA, admin.id, "owner");
    await join(orgA, target.id, "member");
    const { url } = await (await signedIn(admin.id, orgA, "owner")).call((c) =>
      c.auth.passwordReset.createLink({ userId: target.id }),
    );
    const bOwner = await newUser();
    await join(orgB, bOwner.id, "owner");
    const invite = await (await signedIn(bOwner.id, orgB, "owner")).call((c) =>
      c.auth.invites.create({ role: "admin" }),
    );
    await browser().call((c) =>
      c.auth.invites.accept({
        mode: "existingAccount",
        token: invite.url.slice(invite.url.lastIndexOf("/") + 1),
        email: target.email,
        password,
      }),
    );
    const token = url.slice(url.lastIndexOf("/") + 1);
    expect((await failure(browser().call((c) => c.auth.passwordReset.check({ token })))).code).toBe("NOT_FOUND");
  });
});

describe("session rotation and role races (finding 2)", () => {
  it("switchOrganization from a revoked session is UNAUTHORIZED and creates no session", async () => {
    const user = await newUser();
    const [orgA, orgB] = [await newOrg(), await newOrg()];
    await join(orgA, user.id, "member");
    await join(orgB, user.id, "member");
    const b = await signedIn(user.id, orgA, "member");
    // Resolved before the revocation lands, as for a request in flight when "log out everywhere" runs.
    const revokedMidRequest = racingAuth(async () => {
      await auth.endUserSessions(user.id);
    });
    expect(
      (await failure(b.call((c) => c.auth.switchOrganization({ orgId: orgB }), { auth: revokedMidRequest }))).code,
    ).toBe("UNAUTHORIZED");
    expect(await sessionsOf(user.id)).toEqual([]);
  });

  it("a role change committed while login read the old role leaves no session with the old role", async () => {
    const org = await newOrg();
    const owner = await newUser();
    const member = await newUser();
    await join(org, owner.id, "owner");
    await join(org, member.id, "member");
    const ownerBrowser = await signedIn(owner.id, org, "owner");
    // Runs between login's read of the role and the new session being stored: the worst moment.
    const racing = racingAuth(() =>
      ownerBrowser.call((c) => c.auth.members.changeRole({ userId: member.id, role: "viewer" })),
    );
    const login = await failure(
      browser().call((c) => c.auth.login({ email: member.email, password }), { auth: racing }),
    );
    expect(login.code).toBe("CONFLICT");
    expect(await sessionsOf(member.id)).toEqual([]);
    // Signing in again gets the new role.
    await browser().call((c) => c.auth.login({ email: member.email, password }));
    expect(await sessionsOf(member.id)).toEqual([{ orgId: org, role: "viewer" }]);
  });

  it("a removal committed while switchOrganization read the role leaves no session in that organization", async () => {
    const [orgA, orgB] = [await newOrg("A"), await newOrg("B")];
    const bOwner = await newUser();
    const user = await newUser();
    await join(orgA, user.id, "member");
    await join(orgB, bOwner.id, "owner");
    await join(orgB, user.id, "admin");
    const bOwnerBrowser = await signedIn(bOwner.id, orgB, "owner");
    const racing = racingAuth(() => bOwnerBrowser.call((c) => c.auth.members.remove({ userId: user.id })));
    const b = await signedIn(user.id, orgA, "member");
    expect((await failure(b.call((c) => c.auth.switchOrganization({ orgId: orgB }), { auth: racing }))).code).toBe(
      "CONFLICT",
    );
    expect((await sessionsOf(user.id)).filter((s) => s.orgId === orgB)).toEqual([]);
    expect(b.cookie).toBeNull();
  });
});

/** `auth`, with `beforeStore` run just before a session is created or rotated (where races strike). */
function racingAuth(beforeStore: () => Promise<unknown>): AuthService {
  return {
    ...auth,
    async startSession(grant, request) {
      await beforeStore();
      return auth.startSession(grant, request);
    },
    async rotateSession(current, grant, request) {
      await beforeStore();
      return auth.rotateSession(current, grant, request);
    },
  };
}

describe("API tokens and passwords (finding 3)", () => {
  it("a password reset deletes the user's API tokens in every organization, and audits it", async () => {
    const [orgA, orgB] = [await newOrg("A"), await newOrg("B")];
    const user = await newUser();
    await join(orgA, user.id, "member");
    await join(orgB, user.id, "owner");
    await addToken(user.id, orgA);
    await addToken(user.id, orgB);
    await browser().call((c) => c.auth.passwordReset.request({ email: user.email }));
    const mail = mails.find((m) => m.to === user.email)!;
    const token = mail.text.match(/reset-password\/([\w-]{43})/)![1]!;
    const done = await browser().call((c) =>
      c.auth.passwordReset.complete({ token, password: "a brand new password" }),
    );
    expect(done.revokedApiTokens).toBe(2);
    expect(await handle.db.select().from(apiTokens).where(eq(apiTokens.userId, user.id))).toEqual([]);
    const audited = await handle.db
      .select({ orgId: auditLog.orgId, details: auditLog.details })
      .from(auditLog)
      .where(and(eq(auditLog.actorId, user.id), eq(auditLog.event, "token.revoked")));
    expect(audited.map((a) => a.orgId).sort()).toEqual([orgA, orgB].sort());
    expect(audited[0]?.details).toMatchObject({ reason: "password reset" });
  });

  it("a password change deletes the user's API tokens in every organization", async () => {
    const [orgA, orgB] = [await newOrg("A"), await newOrg("B")];
    const user = await newUser();
    await join(orgA, user.id, "member");
    await join(orgB, user.id, "viewer");
    await addToken(user.id, orgA);
    await addToken(user.id, orgB);
    const b = await signedIn(user.id, orgA, "member");
    const changed = await b.call((c) =>
      c.auth.changePassword({ currentPassword: password, newPassword: "another new password" }),
    );
    expect(changed.revokedApiTokens).toBe(2);
    expect(await handle.db.select().from(apiTokens).where(eq(apiTokens.userId, user.id))).toEqual([]);
    // The browser session itself carries on, under a new id.
    expect((await b.call((c) => c.auth.me())).user.id).toBe(user.id);
  });

  it("removing a member or leaving deletes their API tokens there only, each audited as revoked", async () => {
    const [org, other] = [await newOrg("A"), await newOrg("B")];
    const owner = await newUser();
    const [removed, leaver] = [await newUser(), await newUser()];
    await join(org, owner.id, "owner");
    for (const user of [removed, leaver]) {
      await join(org, user.id, "member");
      await join(other, user.id, "member");
      await addToken(user.id, org);
      await addToken(user.id, other);
    }
    const ownerBrowser = await signedIn(owner.id, org, "owner");
    await ownerBrowser.call((c) => c.auth.members.remove({ userId: removed.id }));
    const leaving = await signedIn(leaver.id, org, "member");
    await leaving.call((c) => c.auth.members.leave());
    for (const [user, actorId, reason] of [
      [removed, owner.id, "member removed"],
      [leaver, leaver.id, "member left"],
    ] as const) {
      const left = await handle.db.select().from(apiTokens).where(eq(apiTokens.userId, user.id));
      expect(left.map((t) => t.orgId)).toEqual([other]);
      const audited = await handle.db
        .select({ actorId: auditLog.actorId, targetType: auditLog.targetType, details: auditLog.details })
        .from(auditLog)
        .where(and(eq(auditLog.orgId, org), eq(auditLog.event, "token.revoked"), eq(auditLog.actorId, actorId)));
      expect(audited).toEqual([{ actorId, targetType: "token", details: { name: "script", reason } }]);
    }
  });
});

describe("members.transferOwnership (finding 5)", () => {
  it("is CONFLICT when the new owner left meanwhile, and the caller stays owner", async () => {
    const org = await newOrg();
    const owner = await newUser();
    const admin = await newUser();
    await join(org, owner.id, "owner");
    await join(org, admin.id, "admin");
    // The member leaves after the procedure looked them up, before its transaction.
    const leavesFirst = new Proxy(handle.db, {
      get(db, property) {
        const value = Reflect.get(db, property, db) as unknown;
        if (property !== "transaction" || typeof value !== "function") return value;
        return async (...args: unknown[]) => {
          await handle.db.delete(memberships).where(and(eq(memberships.orgId, org), eq(memberships.userId, admin.id)));
          return value.apply(db, args);
        };
      },
    });
    const b = await signedIn(owner.id, org, "owner");
    const refused = await failure(
      b.call((c) => c.auth.members.transferOwnership({ userId: admin.id }), { db: leavesFirst }),
    );
    expect(refused.code).toBe("CONFLICT");
    const roles = await handle.db
      .select({ role: memberships.role })
      .from(memberships)
      .where(eq(memberships.orgId, org));
    expect(roles).toEqual([{ role: "owner" }]);
  });
});

describe("sign-up limits per email (finding 6)", () => {
  it("register is limited per email address, whichever addresses the attempts come from", async () => {
    const email = `probe-${randomUUID()}@example.com`;
    const attempt = (i: number) =>
      browser({ ip: `198.51.100.${i}` }).call((c) =>
        c.auth.register({ name: "Probe", email, password, organizationName: `Probe ${i}` }),
      );
    await attempt(1);
    expect((await failure(attempt(2))).code).toBe("CONFLICT");
    expect((await failure(attempt(3))).code).toBe("CONFLICT");
    const limited = await failure(attempt(4));
    expect(limited.code).toBe("TOO_MANY_REQUESTS");
    expect(limited.message).toMatch(/^Too many attempts\. Try again in \d+ seconds?\.$/);
  });

  it("accepting an invite as a new account counts against the same per-email limit", async () => {
    const org = await newOrg();
    const owner = await newUser();
    await join(org, owner.id, "owner");
    const ownerBrowser = await signedIn(owner.id, org, "owner");
    const existing = await newUser();
    const outcomes: string[] = [];
    for (let i = 0; i < 4; i++) {
      const { url } = await ownerBrowser.call((c) => c.auth.invites.create({ role: "member" }));
      const token = url.slice(url.lastIndexOf("/") + 1);
      const result = await failure(
        browser({ ip: `198.51.100.${100 + i}` }).call((c) =>
          c.auth.invites.accept({ mode: "newAccount", token, name: "Probe", email: existing.email, password }),
        ),
      );
      outcomes.push(result.code!);
    }
    expect(outcomes).toEqual(["CONFLICT", "CONFLICT", "CONFLICT", "TOO_MANY_REQUESTS"]);
  });
});

describe("no enumeration by timing (finding 7)", () => {
  it("passwordReset.request makes the same database calls for a known and an unknown email", async () => {
    const org = await newOrg();
    const user = await newUser();
    await join(org, user.id, "member");
    const known: string[] = [];
    const unknown: string[] = [];
    const answerKnown = await browser().call((c) => c.auth.passwordReset.request({ email: user.email }), {
      db: recordingDb(handle.db, known),
    });
    const answerUnknown = await browser().call(
      (c) => c.auth.passwordReset.request({ email: `nobody-${randomUUID()}@example.com` }),
      { db: recordingDb(handle.db, unknown) },
    );
    expect(answerUnknown).toEqual(answerKnown);
    expect(known.length).toBeGreaterThan(0);
    expect(unknown).toEqual(known);
    // And the known email did get its link.
    expect(mails.some((m) => m.to === user.email)).toBe(true);
  });

  it("login makes the same database calls for a wrong password and an unknown email", async () => {
    const org = await newOrg();
    const user = await newUser();
    await join(org, user.id, "member");
    const wrongPassword: string[] = [];
    const unknownEmail: string[] = [];
    await failure(
      browser().call((c) => c.auth.login({ email: user.email, password: "not the password" }), {
        db: recordingDb(handle.db, wrongPassword),
      }),
    );
    await failure(
      browser().call((c) => c.auth.login({ email: `nobody-${randomUUID()}@example.com`, password }), {
        db: recordingDb(handle.db, unknownEmail),
      }),
    );
    expect(wrongPassword.length).toBeGreaterThan(0);
    expect(unknownEmail).toEqual(wrongPassword);
  });
});

describe("bearer tokens (finding 8)", () => {
  it("refuses an address that sent too many invalid tokens before looking the next one up", async () => {
    const calls: string[] = [];
    const db = recordingDb(handle.db, calls);
    const bogus = { authorization: `Bearer nexo_pat_${"x".repeat(43)}` };
    const resolve = (ip: string) =>
      failure(auth.resolveRequest({ headers: new Headers(bogus), resHeaders: new Headers(), db, ip }));
    for (let i = 0; i < 3; i++) expect((await resolve("203.0.113.50")).code).toBe("UNAUTHORIZED");
    const lookups = calls.length;
    expect(lookups).toBe(3);
    expect(await resolve("203.0.113.50")).toEqual({
      code: "TOO_MANY_REQUESTS",
      message: expect.stringMatching(
        /^Too many requests with invalid API tokens from this address\. Try again in \d+ seconds?\.$/,
      ),
    });
    expect(calls.length).toBe(lookups);
    // Other addresses are unaffected.
    expect((await resolve("203.0.113.51")).code).toBe("UNAUTHORIZED");
  });
});

describe("audit gaps (finding 9)", () => {
  it("logs login.failed for a wrong password when accepting an invite with an existing account", async () => {
    const [orgA, orgB] = [await newOrg("A"), await newOrg("B")];
    const owner = await newUser();
    const user = await newUser();
    await join(orgA, owner.id, "owner");
    await join(orgB, user.id, "member");
    const { url } = await (await signedIn(owner.id, orgA, "owner")).call((c) =>
      c.auth.invites.create({ role: "member" }),
    );
    const token = url.slice(url.lastIndexOf("/") + 1);
    const refused = await failure(
      browser().call((c) =>
        c.auth.invites.accept({ mode: "existingAccount", token, email: user.email, password: "wrong password!" }),
      ),
    );
    expect(refused).toEqual({ code: "UNAUTHORIZED", message: "Invalid email or password." });
    const entries = await handle.db
      .select({ orgId: auditLog.orgId, details: auditLog.details })
      .from(auditLog)
      .where(and(eq(auditLog.actorId, user.id), eq(auditLog.event, "login.failed")));
    expect(entries).toEqual([{ orgId: orgB, details: { via: "invite" } }]);
  });

  it("logs login.failed for a wrong current password in changePassword", async () => {
    const org = await newOrg();
    const user = await newUser();
    await join(org, user.id, "member");
    const b = await signedIn(user.id, org, "member");
    const refused = await failure(
      b.call((c) => c.auth.changePassword({ currentPassword: "wrong password!", newPassword: "a new password!" })),
    );
    expect(refused.code).toBe("BAD_REQUEST");
    const entries = await handle.db
      .select({ orgId: auditLog.orgId, details: auditLog.details })
      .from(auditLog)
      .where(and(eq(auditLog.actorId, user.id), eq(auditLog.event, "login.failed")));
    expect(entries).toEqual([{ orgId: org, details: { reason: "wrong current password" } }]);
  });
});

describe("links outliving their creator's right to make them (finding 10)", () => {
  const tokenOf = (url: string) => url.slice(url.lastIndexOf("/") + 1);
  const inviteUsable = async (url: string) =>
    browser()
      .call((c) => c.auth.invites.inspect({ token: tokenOf(url) }))
      .then(
        () => true,
        () => false,
      );
  const resetUsable = async (url: string) =>
    browser()
      .call((c) => c.auth.passwordReset.check({ token: tokenOf(url) }))
      .then(
        () => true,
        () => false,
      );
  /** An organization with its owner, an admin and a member, each signed in there. */
  async function team() {
    const org = await newOrg();
    const [owner, admin, member] = [await newUser(), await newUser(), await newUser()];
    await join(org, owner.id, "owner");
    await join(org, admin.id, "admin");
    await join(org, member.id, "member");
    return {
      org,
      owner: { ...owner, browser: await signedIn(owner.id, org, "owner") },
      admin: { ...admin, browser: await signedIn(admin.id, org, "admin") },
      member: { ...member, browser: await signedIn(member.id, org, "member") },
    };
  }

  it("a removed admin cannot rejoin with an invite they created, which is audited as revoked", async () => {
    const t = await team();
    const { url, invite } = await t.admin.browser.call((c) =>
      c.auth.invites.create({ role: "member", expiresInDays: 30 }),
    );
    const otherAdmin = await newUser();
    await join(t.org, otherAdmin.id, "admin");
    const kept = await (await signedIn(otherAdmin.id, t.org, "admin")).call((c) =>
      c.auth.invites.create({ role: "member" }),
    );
    await t.owner.browser.call((c) => c.auth.members.remove({ userId: t.admin.id }));

    const refused = await failure(
      browser().call((c) =>
        c.auth.invites.accept({ mode: "existingAccount", token: tokenOf(url), email: t.admin.email, password }),
      ),
    );
    expect(refused.code).toBe("NOT_FOUND");
    const members = await handle.db.select().from(memberships).where(eq(memberships.userId, t.admin.id));
    expect(members).toEqual([]);
    const listed = await t.owner.browser.call((c) => c.auth.invites.list({ status: "all" }));
    expect(listed.items.find((i) => i.id === invite.id)?.status).toBe("revoked");
    const audited = await handle.db
      .select({ actorId: auditLog.actorId, details: auditLog.details })
      .from(auditLog)
      .where(and(eq(auditLog.event, "invite.revoked"), eq(auditLog.targetId, invite.id)));
    expect(audited).toEqual([{ actorId: t.owner.id, details: { role: "member", reason: "creator removed" } }]);
    // Another admin's invite is theirs, and stays.
    expect(await inviteUsable(kept.url)).toBe(true);
  });

  it("a removed admin's reset link no longer opens the member's account", async () => {
    const t = await team();
    const { url } = await t.admin.browser.call((c) => c.auth.passwordReset.createLink({ userId: t.member.id }));
    await t.owner.browser.call((c) => c.auth.members.remove({ userId: t.admin.id }));

    const refused = await failure(
      browser().call((c) => c.auth.passwordReset.complete({ token: tokenOf(url), password: "taken over by a" })),
    );
    expect(refused.code).toBe("NOT_FOUND");
    await browser().call((c) => c.auth.login({ email: t.member.email, password }));
  });

  it("an admin demoted to member loses the invites and reset links they made", async () => {
    const t = await team();
    const invite = await t.admin.browser.call((c) => c.auth.invites.create({ role: "viewer" }));
    const reset = await t.admin.browser.call((c) => c.auth.passwordReset.createLink({ userId: t.member.id }));
    await t.owner.browser.call((c) => c.auth.members.changeRole({ userId: t.admin.id, role: "member" }));

    expect(await inviteUsable(invite.url)).toBe(false);
    expect(await resetUsable(reset.url)).toBe(false);
    const refused = await failure(
      browser().call((c) =>
        c.auth.invites.accept({ mode: "existingAccount", token: tokenOf(invite.url), email: t.admin.email, password }),
      ),
    );
    expect(refused.code).toBe("NOT_FOUND");
  });

  it("an admin who leaves loses the invites and reset links they made", async () => {
    const t = await team();
    const invite = await t.admin.browser.call((c) => c.auth.invites.create({ role: "member" }));
    const reset = await t.admin.browser.call((c) => c.auth.passwordReset.createLink({ userId: t.member.id }));
    await t.admin.browser.call((c) => c.auth.members.leave());

    expect(await inviteUsable(invite.url)).toBe(false);
    expect(await resetUsable(reset.url)).toBe(false);
    const [audited] = await handle.db
      .select({ actorId: auditLog.actorId, details: auditLog.details })
      .from(auditLog)
      .where(and(eq(auditLog.event, "invite.revoked"), eq(auditLog.targetId, invite.invite.id)));
    expect(audited).toEqual({ actorId: t.admin.id, details: { role: "member", reason: "creator left" } });
  });

  it("a reset link made for a member is voided when they are promoted or removed", async () => {
    const t = await team();
    const promoted = await t.admin.browser.call((c) => c.auth.passwordReset.createLink({ userId: t.member.id }));
    await t.owner.browser.call((c) => c.auth.members.changeRole({ userId: t.member.id, role: "admin" }));
    // The admin may not reset another admin's password: nor with a link made before.
    expect(await resetUsable(promoted.url)).toBe(false);

    const viewer = await newUser();
    await join(t.org, viewer.id, "viewer");
    const removed = await t.admin.browser.call((c) => c.auth.passwordReset.createLink({ userId: viewer.id }));
    await t.owner.browser.call((c) => c.auth.members.remove({ userId: viewer.id }));
    expect(await resetUsable(removed.url)).toBe(false);
  });

  it("transferring ownership voids what the former owner may no longer do as an admin, and only that", async () => {
    const t = await team();
    const other = await newUser();
    await join(t.org, other.id, "member");
    const adminInvite = await t.owner.browser.call((c) => c.auth.invites.create({ role: "admin" }));
    const memberInvite = await t.owner.browser.call((c) => c.auth.invites.create({ role: "member" }));
    const forAdmin = await t.owner.browser.call((c) => c.auth.passwordReset.createLink({ userId: t.admin.id }));
    const forNewOwner = await t.owner.browser.call((c) => c.auth.passwordReset.createLink({ userId: t.member.id }));
    const forMember = await t.owner.browser.call((c) => c.auth.passwordReset.createLink({ userId: other.id }));
    await t.owner.browser.call((c) => c.auth.members.transferOwnership({ userId: t.member.id }));

    expect(await inviteUsable(adminInvite.url)).toBe(false);
    expect(await resetUsable(forAdmin.url)).toBe(false);
    expect(await resetUsable(forNewOwner.url)).toBe(false);
    expect(await inviteUsable(memberInvite.url)).toBe(true);
    expect(await resetUsable(forMember.url)).toBe(true);
  });

  it("a link made with a session whose role changed meanwhile is refused, and not stored", async () => {
    const t = await team();
    // The demotion commits; the admin's request was authorized with the role its session still has.
    await handle.db
      .update(memberships)
      .set({ role: "member" })
      .where(and(eq(memberships.orgId, t.org), eq(memberships.userId, t.admin.id)));
    const invite = await failure(t.admin.browser.call((c) => c.auth.invites.create({ role: "viewer" })));
    const reset = await failure(t.admin.browser.call((c) => c.auth.passwordReset.createLink({ userId: t.member.id })));
    expect(invite.code).toBe("CONFLICT");
    expect(reset.code).toBe("CONFLICT");
    expect(await handle.db.select().from(passwordResets).where(eq(passwordResets.userId, t.member.id))).toEqual([]);
    const listed = await t.owner.browser.call((c) => c.auth.invites.list({ status: "all" }));
    expect(listed.items).toEqual([]);
  });
});
