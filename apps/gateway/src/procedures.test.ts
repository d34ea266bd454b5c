/**
 * Proof over the whole API, enumerated from the router itself: every procedure needs a session unless
 * allow-listed as public, needs the permission it declares, cannot reach another organization's data,
 * and answers malformed input with a 4xx, never an internal error.
 */
import { createHash } from "node:crypto";
import { type AuthService, createAuth } from "@nexo/auth";
import {
  apiTokens,
  companies,
  contacts,
  type DbHandle,
  eq,
  importJobs,
  invites,
  memberships,
  organizations,
  type Role,
  users,
} from "@nexo/db";
import { createTestDb } from "@nexo/db/testing";
import { allRoles, type Context, can, createCallerFactory, type Meta, type Session, TRPCError } from "@nexo/trpc";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter } from "./router";

// At runtime tRPC keeps every procedure in one flat record keyed by its dotted path.
const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { type: string; meta?: Meta } }>;
const paths = Object.keys(procedures).sort();
const createCaller = createCallerFactory(appRouter);

/** The only procedures callable without a session. */
const PUBLIC = [
  "auth.invites.accept",
  "auth.invites.inspect",
  "auth.login",
  "auth.passwordReset.check",
  "auth.passwordReset.complete",
  "auth.passwordReset.request",
  "auth.register",
];
/** Open to every signed-in user whatever their role: they act on the user's own account only. */
const ANY_SIGNED_IN = [
  "auth.changePassword",
  "auth.logout",
  "auth.me",
  "auth.members.leave",
  "auth.organizations.current",
  "auth.organizations.list",
  "auth.sessions.list",
  "auth.sessions.revoke",
  "auth.sessions.revokeAll",
  "auth.switchOrganization",
];

const silentLog = { debug() {}, info() {}, warn() {}, error() {} };
let handle: DbHandle;
let auth: AuthService;

function context(session: Session | null): Context {
  return {
    db: handle.db,
    auth,
    log: silentLog,
    requestId: "proof",
    headers: new Headers({ "user-agent": "proof" }),
    ip: "127.0.0.1",
    resHeaders: new Headers(),
    session,
  };
}

function call(session: Session | null, path: string, input: unknown): Promise<unknown> {
  const fn = path
    .split(".")
    .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], createCaller(context(session)));
  return (fn as (input: unknown) => Promise<unknown>)(input);
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => "OK",
    (error: unknown) => (error instanceof TRPCError ? error.code : `NOT A TRPCError: ${String(error)}`),
  );
}

async function orgWithOwner(name: string) {
  const [org] = await handle.db.insert(organizations).values({ name }).returning();
  const owner = await addMember(org!.id, "owner");
  return { orgId: org!.id, owner };
}
async function addMember(orgId: string, role: Role) {
  const [user] = await handle.db
    .insert(users)
    .values({ name: `${role} user`, email: `${crypto.randomUUID()}@example.com`, passwordHash: "x" })
    .returning();
  await handle.db.insert(memberships).values({ orgId, userId: user!.id, role });
  return user!.id;
}
/** A session of `userId` as the store knows it (as if signed in). */
async function sessionOf(userId: string, orgId: string, role: Role): Promise<Session> {
  return auth.startSession(
    { userId, orgId, role },
    { headers: new Headers(), resHeaders: new Headers(), ip: "127.0.0.1" },
  );
}

beforeAll(async () => {
  handle = await createTestDb();
  auth = createAuth({
    secret: "proof-secret-proof-secret-proof-secret-0123",
    appUrl: "http://app.test",
    redisUrl: process.env.REDIS_URL,
    keyPrefix: `nexo-test:${crypto.randomUUID()}:`,
    log: silentLog,
    rateLimits: {
      loginPerIp: { limit: 100_000, windowSeconds: 60 },
      registerPerIp: { limit: 100_000, windowSeconds: 60 },
    },
    mailer: { async send() {} },
  });
});
afterAll(async () => {
  await auth?.close();
  await handle?.close();
});

describe("every procedure of AppRouter", () => {
  it("is classified: public, open to any signed-in user, or guarded by a declared permission", () => {
    expect(paths.length).toBeGreaterThan(30);
    expect(paths.filter((p) => procedures[p]!._def.meta?.public)).toEqual(PUBLIC);
    const unguarded = paths.filter((p) => !procedures[p]!._def.meta?.public && !procedures[p]!._def.meta?.permission);
    expect(unguarded).toEqual(ANY_SIGNED_IN);
  });

  it("is UNAUTHORIZED without a session, except the public allow-list", async () => {
    for (const path of paths) {
      if (PUBLIC.includes(path)) continue;
      expect(await codeOf(call(null, path, {})), path).toBe("UNAUTHORIZED");
    }
  });

  it("is FORBIDDEN to exactly the roles its permission excludes", async () => {
    const { orgId } = await orgWithOwner("Roles Org");
    for (const role of allRoles) {
      const userId = await addMember(orgId, role === "owner" ? "viewer" : role);
      const session: Session = { id: `proof-${role}`, userId, orgId, role, via: "cookie" };
      for (const path of paths) {
        const permission = procedures[path]!._def.meta?.permission;
        if (!permission) continue;
        const outcome = await call(session, path, {}).then(
          () => null,
          (e: unknown) => e as TRPCError,
        );
        const denied = outcome?.code === "FORBIDDEN" && outcome.message === `Your role (${role}) does not allow this.`;
        expect(denied, `${role} → ${path}`).toBe(!can(role, permission));
      }
    }
  });

  it("answers organization A's session with NOT_FOUND for organization B's ids, and B stays unchanged", async () => {
    const a = await orgWithOwner("Org A");
    const b = await orgWithOwner("Org B");
    const bMember = await addMember(b.orgId, "member");
    const [bContact] = await handle.db
      .insert(contacts)
      .values({ orgId: b.orgId, firstName: "Bea", createdBy: b.owner, ownerId: b.owner })
      .returning();
    const [bContact2] = await handle.db
      .insert(contacts)
      .values({ orgId: b.orgId, firstName: "Ben", createdBy: b.owner, ownerId: b.owner })
      .returning();
    const [bCompany, bCompany2] = await handle.db
      .insert(companies)
      .values([
        { orgId: b.orgId, name: "B One" },
        { orgId: b.orgId, name: "B Two" },
      ])
      .returning();
    const [bImport] = await handle.db
      .insert(importJobs)
      .values({ orgId: b.orgId, userId: b.owner, entityType: "contact" })
      .returning();
    const [bInvite] = await handle.db
      .insert(invites)
      .values({
        orgId: b.orgId,
        tokenHash: "b".repeat(64),
        role: "member",
        expiresAt: new Date(Date.now() + 86_400_000),
      })
      .returning();
    const [bToken] = await handle.db
      .insert(apiTokens)
      .values({ orgId: b.orgId, userId: bMember, name: "b", tokenHash: "c".repeat(64), prefix: "nexo_pat_b" })
      .returning();
    const bSession = await sessionOf(b.owner, b.orgId, "owner");
    const bSessionPublicId = createHash("sha256").update(bSession.id).digest("hex").slice(0, 32);
    const bIds = [b.orgId, b.owner, bMember, bContact!.id, bInvite!.id, bToken!.id, bImport!.id];

    /** Every procedure's case. A procedure added without one fails this test. */
    const foreign: Record<string, unknown> = {
      "crm.contacts.get": { id: bContact!.id },
      "crm.contacts.update": { id: bContact!.id, firstName: "Hacked" },
      "crm.contacts.delete": { id: bContact!.id },
      "crm.contacts.merge": { survivorId: bContact!.id, duplicateId: bContact2!.id },
      "crm.companies.merge": { survivorId: bCompany!.id, duplicateId: bCompany2!.id },
      "crm.imports.get": { id: bImport!.id },
      "auth.switchOrganization": { orgId: b.orgId },
      "auth.members.changeRole": { userId: bMember, role: "viewer" },
      "auth.members.remove": { userId: bMember },
      "auth.members.transferOwnership": { userId: bMember },
      "auth.invites.revoke": { id: bInvite!.id },
      "auth.apiTokens.revoke": { id: bToken!.id },
      "auth.passwordReset.createLink": { userId: bMember },
      "auth.sessions.revoke": { id: bSessionPublicId },
    };
    /** Take no foreign ids (scoped to the session) or act on the caller alone: their output must not show B. */
    const scopedReads = [
      "crm.contacts.list",
      "crm.imports.list",
      "auth.me",
      "auth.organizations.current",
      "auth.organizations.list",
      "auth.members.list",
      "auth.invites.list",
      "auth.apiTokens.list",
      "auth.audit.list",
      "auth.audit.events",
      "auth.sessions.list",
    ];
    /** Write only to the caller's own account or organization, or are reached by a secret, not an id. */
    const notIdAddressed = [
      ...PUBLIC,
      "auth.changePassword",
      "auth.logout",
      "auth.members.leave",
      "auth.sessions.revokeAll",
      "auth.organizations.update",
      "auth.invites.create",
      "auth.apiTokens.create",
      "crm.contacts.create",
    ];
    expect([...Object.keys(foreign), ...scopedReads, ...notIdAddressed].sort()).toEqual(paths);

    const snapshot = async () => ({
      org: await handle.db.select().from(organizations).where(eq(organizations.id, b.orgId)),
      members: await handle.db.select().from(memberships).where(eq(memberships.orgId, b.orgId)),
      contacts: await handle.db.select().from(contacts).where(eq(contacts.orgId, b.orgId)),
      companies: await handle.db.select().from(companies).where(eq(companies.orgId, b.orgId)),
      invites: await handle.db.select().from(invites).where(eq(invites.orgId, b.orgId)),
      tokens: await handle.db.select().from(apiTokens).where(eq(apiTokens.orgId, b.orgId)),
      sessions: (await auth.listUserSessions(b.owner)).map((s) => s.id),
    });
    const before = await snapshot();

    const aOwner = await sessionOf(a.owner, a.orgId, "owner");
    for (const [path, input] of Object.entries(foreign)) {
      expect(await codeOf(call(aOwner, path, input)), path).toBe("NOT_FOUND");
    }
    for (const path of scopedReads) {
      const output = JSON.stringify(await call(aOwner, path, path === "auth.audit.list" ? { actorId: b.owner } : {}));
      for (const id of bIds) expect(output, path).not.toContain(id);
    }
    expect(await snapshot()).toEqual(before);
  });

  it("answers malformed input with a 4xx, never INTERNAL_SERVER_ERROR (property-based)", async () => {
    const { orgId, owner } = await orgWithOwner("Fuzz Org");
    const session: Session = { id: "fuzz", userId: owner, orgId, role: "owner", via: "cookie" };
    const fields = [
      "id",
      "userId",
      "orgId",
      "token",
      "email",
      "password",
      "name",
      "role",
      "cursor",
      "limit",
      "search",
      "firstName",
      "lastName",
      "phone",
      "mode",
      "from",
      "to",
      "event",
      "actorId",
      "status",
      "expiresInDays",
      "currentPassword",
      "newPassword",
      "recordVisibility",
      "exceptCurrent",
      "organizationName",
    ];
    const value = fc.oneof(
      fc.anything(),
      fc.string(),
      fc.uuid(),
      fc.integer(),
      fc.double(),
      fc.constantFrom("", "owner", "viewer", "newAccount", "signedIn", "own", "all", "a".repeat(50_000), "\u0000"),
      fc.date({ noInvalidDate: false }),
    );
    const input = fc.oneof(fc.anything(), fc.dictionary(fc.constantFrom(...fields), value, { maxKeys: 5 }));
    for (const path of paths) {
      await fc.assert(
        fc.asyncProperty(input, async (raw) => {
          const code = await codeOf(call(session, path, raw));
          expect(code, path).not.toBe("INTERNAL_SERVER_ERROR");
          expect(code, path).not.toMatch(/^NOT A TRPCError/);
        }),
        { numRuns: 40 },
      );
    }
  });
});
