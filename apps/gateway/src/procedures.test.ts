/**
 * Proof over the whole API, enumerated from the router itself: every procedure needs a session unless
 * allow-listed as public, needs the permission it declares, cannot reach another organization's data,
 * and answers malformed input with a 4xx, never an internal error.
 */
import { createHash } from "node:crypto";
import { type AuthService, createAuth } from "@nexo/auth";
import {
  activities,
  apiTokens,
  companies,
  contacts,
  customFieldDefinitions,
  customFieldValues,
  type DbHandle,
  deals,
  eq,
  importJobs,
  invites,
  memberships,
  organizations,
  pipelineStages,
  pipelines,
  type Role,
  recordHistory,
  savedViews,
  taggings,
  tags,
  users,
} from "@nexo/db";
import { createTestDb } from "@nexo/db/testing";
import { allRoles, type Context, can, createCallerFactory, type Meta, type Session, TRPCError } from "@nexo/trpc";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter } from "./router";
import { startTestGateway } from "./test-gateway";
import { deleteRedisKeys } from "./test-services";

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

/**
 * Refused to API tokens: they manage sessions, tokens, passwords, members or the organization, or
 * reveal the user's other organizations, which a token scoped to one organization must not do.
 */
const BROWSER_ONLY = [
  "auth.apiTokens.create",
  "auth.apiTokens.list",
  "auth.apiTokens.revoke",
  "auth.changePassword",
  "auth.invites.create",
  "auth.members.changeRole",
  "auth.members.remove",
  "auth.members.transferOwnership",
  "auth.organizations.list",
  "auth.organizations.update",
  "auth.passwordReset.createLink",
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

const redisPrefix = `nexo-test:${crypto.randomUUID()}:`;

beforeAll(async () => {
  handle = await createTestDb();
  auth = createAuth({
    secret: "proof-secret-proof-secret-proof-secret-0123",
    appUrl: "http://app.test",
    redisUrl: process.env.REDIS_URL,
    keyPrefix: redisPrefix,
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
  await deleteRedisKeys(redisPrefix);
});

describe("every procedure of AppRouter", () => {
  it("is classified: public, open to any signed-in user, or guarded by a declared permission", () => {
    expect(paths.length).toBeGreaterThan(30);
    expect(paths.filter((p) => procedures[p]!._def.meta?.public)).toEqual(PUBLIC);
    const unguarded = paths.filter((p) => !procedures[p]!._def.meta?.public && !procedures[p]!._def.meta?.permission);
    expect(unguarded).toEqual(ANY_SIGNED_IN);
  });

  it("rate-limits exactly the expensive procedures per user (import and export are HTTP routes)", () => {
    const limited = paths.map((p) => [p, procedures[p]!._def.meta?.expensive]).filter(([, action]) => action);
    expect(limited).toEqual([["crm.search", "search"]]);
  });

  it("is UNAUTHORIZED without a session, except the public allow-list", async () => {
    for (const path of paths) {
      if (PUBLIC.includes(path)) continue;
      expect(await codeOf(call(null, path, {})), path).toBe("UNAUTHORIZED");
    }
  });

  it("refuses API tokens on exactly the browser-only procedures, whatever the token's role", async () => {
    expect(paths.filter((p) => procedures[p]!._def.meta?.browserOnly)).toEqual(BROWSER_ONLY);
    const { orgId, owner } = await orgWithOwner("Token Org");
    const token: Session = { id: "token:proof", userId: owner, orgId, role: "owner", via: "token" };
    for (const path of BROWSER_ONLY) {
      const outcome = await call(token, path, {}).then(
        () => null,
        (e: unknown) => e as TRPCError,
      );
      expect({ code: outcome?.code, message: outcome?.message }, path).toEqual({
        code: "FORBIDDEN",
        message: "This needs a signed-in browser session, not an API token.",
      });
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
    const db = handle.db;
    const [bContact] = await db
      .insert(contacts)
      .values({ orgId: b.orgId, firstName: "Bea", createdBy: b.owner, ownerId: b.owner })
      .returning();
    const [bCompany, bTrashedCompany] = await db
      .insert(companies)
      .values([
        { orgId: b.orgId, name: "Bee Corp", ownerId: b.owner },
        { orgId: b.orgId, name: "Bee Trash", ownerId: b.owner, deletedAt: new Date() },
      ])
      .returning();
    const [bTrashedContact] = await db
      .insert(contacts)
      .values({ orgId: b.orgId, firstName: "Binned", ownerId: b.owner, deletedAt: new Date() })
      .returning();
    const [bPipeline] = await db.insert(pipelines).values({ orgId: b.orgId, name: "B sales", position: 0 }).returning();
    const [bStage] = await db
      .insert(pipelineStages)
      .values({ orgId: b.orgId, pipelineId: bPipeline!.id, name: "B lead", position: 0, probability: 10 })
      .returning();
    const dealOf = (title: string, deletedAt: Date | null) => ({
      orgId: b.orgId,
      pipelineId: bPipeline!.id,
      stageId: bStage!.id,
      title,
      currency: "EUR",
      amountMinor: 100_00,
      position: 1,
      ownerId: b.owner,
      companyId: bCompany!.id,
      deletedAt,
    });
    const [bDeal, bTrashedDeal] = await db
      .insert(deals)
      .values([dealOf("B deal", null), dealOf("B binned deal", new Date())])
      .returning();
    const [bTag] = await db.insert(tags).values({ orgId: b.orgId, name: "b-tag" }).returning();
    await db
      .insert(taggings)
      .values({ orgId: b.orgId, tagId: bTag!.id, entityType: "contact", entityId: bContact!.id });
    const [bActivity] = await db
      .insert(activities)
      .values({ orgId: b.orgId, kind: "task", subject: "B task", contactId: bContact!.id, createdBy: b.owner })
      .returning();
    // Old enough for any retention: a purge run by A must still leave it alone.
    await db
      .update(contacts)
      .set({ deletedAt: new Date(Date.now() - 400 * 86_400_000) })
      .where(eq(contacts.id, bTrashedContact!.id));
    const [bField] = await db
      .insert(customFieldDefinitions)
      .values({ orgId: b.orgId, entityType: "contact", key: "b_secret", label: "B secret", type: "text" })
      .returning();
    await db
      .insert(customFieldValues)
      .values({ orgId: b.orgId, fieldId: bField!.id, entityId: bContact!.id, textValue: "b value" });
    const [bView] = await db
      .insert(savedViews)
      .values({ orgId: b.orgId, userId: b.owner, entityType: "contact", name: "B view", shared: true })
      .returning();
    const [bContact2] = await db
      .insert(contacts)
      .values({ orgId: b.orgId, firstName: "Ben", createdBy: b.owner, ownerId: b.owner })
      .returning();
    const [bCompany2] = await db.insert(companies).values({ orgId: b.orgId, name: "B Two" }).returning();
    const [bImport] = await db
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
    const bIds = [
      b.orgId,
      b.owner,
      bMember,
      bContact!.id,
      bInvite!.id,
      bToken!.id,
      bCompany!.id,
      bTrashedCompany!.id,
      bTrashedContact!.id,
      bPipeline!.id,
      bStage!.id,
      bDeal!.id,
      bTrashedDeal!.id,
      bTag!.id,
      bActivity!.id,
      bContact2!.id,
      bCompany2!.id,
      bImport!.id,
      bField!.id,
      bView!.id,
    ];

    /** Every procedure's case. A procedure added without one fails this test. */
    const foreign: Record<string, unknown> = {
      "crm.contacts.get": { id: bContact!.id },
      "crm.contacts.update": { id: bContact!.id, firstName: "Hacked" },
      "crm.contacts.delete": { id: bContact!.id },
      "crm.contacts.restore": { id: bTrashedContact!.id },
      "crm.contacts.bulkDelete": { ids: [bContact!.id] },
      "crm.contacts.bulkRestore": { ids: [bTrashedContact!.id] },
      "crm.contacts.bulkAssignOwner": { ids: [bContact!.id], ownerId: a.owner },
      // Creating records in A that point at B's records or members.
      "crm.contacts.create": { firstName: "Linked", companyId: bCompany!.id },
      "crm.companies.create": { name: "Owned by B", ownerId: bMember },
      "crm.deals.create": { title: "In B's stage", stageId: bStage!.id, currency: "EUR" },
      "crm.activities.create": { kind: "note", contactId: bContact!.id },
      "crm.companies.get": { id: bCompany!.id },
      "crm.companies.overview": { id: bCompany!.id },
      "crm.companies.update": { id: bCompany!.id, name: "Hacked" },
      "crm.companies.delete": { id: bCompany!.id },
      "crm.companies.restore": { id: bTrashedCompany!.id },
      "crm.companies.bulkDelete": { ids: [bCompany!.id] },
      "crm.companies.bulkRestore": { ids: [bTrashedCompany!.id] },
      "crm.companies.bulkAssignOwner": { ids: [bCompany!.id], ownerId: a.owner },
      "crm.deals.get": { id: bDeal!.id },
      "crm.deals.update": { id: bDeal!.id, title: "Hacked" },
      "crm.deals.delete": { id: bDeal!.id },
      "crm.deals.restore": { id: bTrashedDeal!.id },
      "crm.deals.bulkDelete": { ids: [bDeal!.id] },
      "crm.deals.bulkRestore": { ids: [bTrashedDeal!.id] },
      "crm.deals.bulkAssignOwner": { ids: [bDeal!.id], ownerId: a.owner },
      "crm.deals.move": { id: bDeal!.id, stageId: bStage!.id },
      "crm.deals.close": { id: bDeal!.id, outcome: "won" },
      "crm.deals.board": { pipelineId: bPipeline!.id },
      "crm.deals.stagePage": { stageId: bStage!.id },
      "crm.pipelines.get": { id: bPipeline!.id },
      "crm.pipelines.update": { id: bPipeline!.id, name: "Hacked" },
      "crm.pipelines.delete": { id: bPipeline!.id },
      "crm.pipelines.createStage": { pipelineId: bPipeline!.id, name: "Injected" },
      "crm.pipelines.updateStage": { id: bStage!.id, name: "Hacked" },
      "crm.pipelines.deleteStage": { id: bStage!.id },
      "crm.pipelines.reorderStages": { pipelineId: bPipeline!.id, stageIds: [bStage!.id] },
      "crm.tags.update": { id: bTag!.id, name: "hacked" },
      "crm.tags.delete": { id: bTag!.id },
      "crm.tags.set": { entityType: "contact", entityId: bContact!.id, tagIds: [] },
      "crm.tags.bulkAdd": { entityType: "contact", ids: [bContact!.id], tagId: bTag!.id },
      "crm.customFields.update": { id: bField!.id, label: "Hacked" },
      "crm.customFields.delete": { id: bField!.id },
      "crm.customFields.reorder": { entityType: "contact", ids: [bField!.id] },
      "crm.views.update": { id: bView!.id, name: "Hacked" },
      "crm.views.delete": { id: bView!.id },
      "crm.activities.get": { id: bActivity!.id },
      "crm.activities.update": { id: bActivity!.id, subject: "Hacked" },
      "crm.activities.complete": { id: bActivity!.id },
      "crm.activities.delete": { id: bActivity!.id },
      "crm.activities.timeline": { entityType: "contact", entityId: bContact!.id },
      "crm.dashboard.pipeline": { pipelineId: bPipeline!.id },
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
    /**
     * Take no foreign ids (scoped to the session) or act on the caller alone: their output must not
     * show B, even when asked for B's things by name or through filters.
     */
    const scopedReads: Record<string, unknown> = {
      "crm.contacts.list": {},
      "crm.contacts.trash": {},
      "crm.imports.list": {},
      "crm.imports.fields": { kind: "contacts" },
      "crm.companies.list": {},
      "crm.companies.trash": {},
      "crm.deals.list": {},
      "crm.deals.trash": {},
      "crm.pipelines.list": {},
      "crm.tags.list": {},
      "crm.customFields.list": {},
      "crm.views.list": { entityType: "contact" },
      "crm.activities.tasks": {},
      "crm.search": { q: "Bea" },
      "crm.dashboard.wonLost": {},
      "crm.dashboard.activitiesPerMember": {},
      "crm.dashboard.tasks": undefined,
      "auth.me": {},
      "auth.organizations.current": {},
      "auth.organizations.list": {},
      "auth.members.list": {},
      "auth.invites.list": {},
      "auth.apiTokens.list": {},
      "auth.audit.list": { actorId: b.owner },
      "auth.audit.events": {},
      "auth.sessions.list": {},
    };
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
      "crm.tags.create",
      "crm.customFields.create",
      "crm.views.create",
      "crm.pipelines.create",
      "crm.trash.purge",
    ];
    expect([...Object.keys(foreign), ...Object.keys(scopedReads), ...notIdAddressed].sort()).toEqual(paths);

    const snapshot = async () => ({
      org: await handle.db.select().from(organizations).where(eq(organizations.id, b.orgId)),
      members: await handle.db.select().from(memberships).where(eq(memberships.orgId, b.orgId)),
      contacts: await handle.db.select().from(contacts).where(eq(contacts.orgId, b.orgId)),
      companies: await db.select().from(companies).where(eq(companies.orgId, b.orgId)),
      deals: await db.select().from(deals).where(eq(deals.orgId, b.orgId)),
      pipelines: await db.select().from(pipelines).where(eq(pipelines.orgId, b.orgId)),
      stages: await db.select().from(pipelineStages).where(eq(pipelineStages.orgId, b.orgId)),
      tags: await db.select().from(tags).where(eq(tags.orgId, b.orgId)),
      taggings: await db.select().from(taggings).where(eq(taggings.orgId, b.orgId)),
      customFields: await db.select().from(customFieldDefinitions).where(eq(customFieldDefinitions.orgId, b.orgId)),
      customFieldValues: await db.select().from(customFieldValues).where(eq(customFieldValues.orgId, b.orgId)),
      views: await db.select().from(savedViews).where(eq(savedViews.orgId, b.orgId)),
      activities: await db.select().from(activities).where(eq(activities.orgId, b.orgId)),
      history: await db.select().from(recordHistory).where(eq(recordHistory.orgId, b.orgId)),
      invites: await handle.db.select().from(invites).where(eq(invites.orgId, b.orgId)),
      tokens: await handle.db.select().from(apiTokens).where(eq(apiTokens.orgId, b.orgId)),
      sessions: (await auth.listUserSessions(b.owner)).map((s) => s.id),
    });
    const before = await snapshot();

    const aOwner = await sessionOf(a.owner, a.orgId, "owner");
    for (const [path, input] of Object.entries(foreign)) {
      expect(await codeOf(call(aOwner, path, input)), path).toBe("NOT_FOUND");
    }
    for (const [path, input] of Object.entries(scopedReads)) {
      const output = JSON.stringify(await call(aOwner, path, input));
      for (const id of bIds) expect(output, path).not.toContain(id);
    }
    // Acting on A's own organization only: A's trash is emptied, B's (long expired) is not.
    await call(aOwner, "crm.trash.purge", {});
    expect(await snapshot()).toEqual(before);
  });

  // Every procedure × 40 inputs: the run grows with the API, so it gets more time than a unit test.
  it("answers malformed input with a 4xx, never INTERNAL_SERVER_ERROR (property-based)", async () => {
    const { orgId, owner } = await orgWithOwner("Fuzz Org");
    const session: Session = { id: "fuzz", userId: owner, orgId, role: "owner", via: "cookie" };
    // One custom field of each type on every kind of record, so values and filters reach the database.
    const fieldTypes = ["text", "number", "date", "select", "multi_select", "checkbox", "url"] as const;
    for (const entityType of ["contact", "company", "deal"] as const) {
      await handle.db.insert(customFieldDefinitions).values(
        fieldTypes.map((type) => ({
          orgId,
          entityType,
          key: type,
          label: type,
          type,
          options: type === "select" || type === "multi_select" ? ["a", "b"] : null,
        })),
      );
    }
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
      "entityType",
      "entityId",
      "pipelineId",
      "stageId",
      "stageIds",
      "companyId",
      "contactIds",
      "ownerId",
      "tagIds",
      "tagId",
      "kind",
      "q",
      "title",
      "amountMinor",
      "currency",
      "outcome",
      "olderThanDays",
      "sort",
      "months",
      "key",
      "label",
      "type",
      "options",
      "ids",
      "customFields",
      "customField",
      "filters",
      "columns",
      "shared",
      "due",
      "timeZone",
      "assigneeId",
    ];
    const value = fc.oneof(
      fc.anything(),
      fc.string(),
      fc.uuid(),
      fc.integer(),
      fc.double(),
      fc.constantFrom(
        "",
        "owner",
        "viewer",
        "newAccount",
        "signedIn",
        "own",
        "all",
        "contact",
        "deal",
        "task",
        "won",
        "EUR",
        "name",
        "later",
        "Europe/Lisbon",
        "a".repeat(50_000),
        "\u0000",
      ),
      fc.date({ noInvalidDate: false }),
    );
    const fieldValue = fc.oneof(
      value,
      fc.constantFrom("a", "b", ["a", "b"], true, false, 1e308, -0, "0001-01-01", "9999-12-31", "http://x.y", null),
      fc.array(fc.oneof(fc.string(), fc.constantFrom("a", "b"), fc.integer()), { maxLength: 3 }),
    );
    const customFieldInputs = fc.oneof(
      fc.dictionary(fc.constantFrom(...fieldTypes, "unknown"), fieldValue, { maxKeys: 3 }),
      fc.record({
        key: fc.constantFrom(...fieldTypes, "unknown"),
        op: fc.constantFrom("eq", "contains", "gt", "lt", "in"),
        value: fieldValue,
      }),
    );
    const input = fc.oneof(
      fc.anything(),
      fc.dictionary(fc.constantFrom(...fields), fc.oneof(value, customFieldInputs), { maxKeys: 5 }),
    );
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
  }, 180_000);
});

describe("invalid API tokens over HTTP", () => {
  let gw: Awaited<ReturnType<typeof startTestGateway>>;
  beforeAll(async () => {
    gw = await startTestGateway({ rateLimits: { bearerFailuresPerIp: { limit: 2, windowSeconds: 60 } } });
  });
  afterAll(async () => {
    await gw?.stop();
  });

  it("answer 401, then 429 with when to retry once an address sent too many (not a 500 or 503)", async () => {
    const send = () =>
      fetch(`${gw.url}/trpc/crm.contacts.list?input=${encodeURIComponent(JSON.stringify({ json: {} }))}`, {
        headers: { authorization: `Bearer nexo_pat_${"x".repeat(43)}` },
      });
    const statuses: number[] = [];
    for (let i = 0; i < 2; i++) statuses.push((await send()).status);
    const limited = await send();
    expect([...statuses, limited.status]).toEqual([401, 401, 429]);
    const body = (await limited.json()) as { error: { json: { message: string; data: { code: string } } } };
    expect(body.error.json.data.code).toBe("TOO_MANY_REQUESTS");
    expect(body.error.json.message).toMatch(
      /^Too many requests with invalid API tokens from this address\. Try again in \d+ seconds?\.$/,
    );
  });
});
