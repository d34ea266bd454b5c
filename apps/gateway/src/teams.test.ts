import { TRPCClientError } from "@trpc/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppRouter } from "./router";
import { APP_URL, browserClient, startTestGateway, tokenClient } from "./test-gateway";

type Gateway = Awaited<ReturnType<typeof startTestGateway>>;
type Browser = ReturnType<typeof browserClient>;

const password = "correct horse battery";

async function failure(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCClientError);
  return error as TRPCClientError<AppRouter>;
}
const codeOf = async (promise: Promise<unknown>) => (await failure(promise)).data?.code;

let gw: Gateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(async () => {
  await gw?.stop();
});

async function owner(org = "Team Org") {
  const b = browserClient(gw.url);
  const email = `owner-${crypto.randomUUID()}@example.com`;
  const account = await b.client.auth.register.mutate({ name: "Olga Owner", email, password, organizationName: org });
  return { ...b, account, email };
}

/** Invites a new person with `role` and has them accept in a browser of their own. */
async function join(inviter: Browser, role: "admin" | "member" | "viewer") {
  const { url } = await inviter.client.auth.invites.create.mutate({ role });
  const token = url.slice(url.lastIndexOf("/") + 1);
  const b = browserClient(gw.url, "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) Version/17.0 Safari/605.1.15");
  const email = `${role}-${crypto.randomUUID()}@example.com`;
  const account = await b.client.auth.invites.accept.mutate({
    mode: "newAccount",
    token,
    name: `A ${role}`,
    email,
    password,
  });
  return { ...b, account, email };
}

describe("invites", () => {
  it("links are shown once, stored hashed, and work exactly once for a new account", async () => {
    const o = await owner();
    const { url, invite } = await o.client.auth.invites.create.mutate({ role: "member", expiresInDays: 2 });
    expect(url).toMatch(new RegExp(`^${APP_URL}/invite/[A-Za-z0-9_-]{43}$`));
    expect(invite.status).toBe("pending");
    const token = url.slice(url.lastIndexOf("/") + 1);
    expect(JSON.stringify(await gw.db.db.query.invites.findMany())).not.toContain(token);

    const inspected = await browserClient(gw.url).client.auth.invites.inspect.query({ token });
    expect(inspected).toMatchObject({ organization: { name: "Team Org" }, role: "member" });

    const newcomer = browserClient(gw.url);
    const email = `new-${crypto.randomUUID()}@example.com`;
    const joined = await newcomer.client.auth.invites.accept.mutate({
      mode: "newAccount",
      token,
      name: "Nina",
      email,
      password,
    });
    expect(joined).toMatchObject({ role: "member", organization: { id: o.account.organization.id } });
    expect((await newcomer.client.auth.me.query()).user.email).toBe(email);

    // Single use, and the new member signs in like anyone else.
    const again = browserClient(gw.url).client.auth.invites.accept.mutate({
      mode: "newAccount",
      token,
      name: "Eve",
      email: `eve-${crypto.randomUUID()}@example.com`,
      password,
    });
    expect(await codeOf(again)).toBe("NOT_FOUND");
    const later = browserClient(gw.url);
    expect((await later.client.auth.login.mutate({ email, password })).organization.id).toBe(o.account.organization.id);
    const pending = await o.client.auth.invites.list.query();
    expect(pending.items.map((i) => i.id)).not.toContain(invite.id);
  });

  it("attaches an existing account that proves itself, and it can switch organizations", async () => {
    const a = await owner("Org One");
    const b = await owner("Org Two");
    const { url } = await a.client.auth.invites.create.mutate({ role: "viewer", email: b.email });
    const token = url.slice(url.lastIndexOf("/") + 1);
    const wrong = browserClient(gw.url).client.auth.invites.accept.mutate({
      mode: "existingAccount",
      token,
      email: b.email,
      password: "not the password",
    });
    expect(await codeOf(wrong)).toBe("UNAUTHORIZED");
    // The failed attempt did not use the invite up.
    const accepted = await b.client.auth.invites.accept.mutate({ mode: "signedIn", token });
    expect(accepted).toMatchObject({ role: "viewer", organization: { name: "Org One" } });
    const orgs = await b.client.auth.organizations.list.query();
    expect(orgs.map((o) => [o.name, o.role, o.current])).toEqual([
      ["Org Two", "owner", false],
      ["Org One", "viewer", true],
    ]);
    const before = b.jar.cookie;
    await b.client.auth.switchOrganization.mutate({ orgId: b.account.organization.id });
    expect(b.jar.cookie).not.toBe(before);
    expect((await b.client.auth.me.query()).role).toBe("owner");
    expect(await codeOf(b.client.auth.switchOrganization.mutate({ orgId: crypto.randomUUID() }))).toBe("NOT_FOUND");
  });

  it("refuses an invite meant for another email, and admins cannot invite admins", async () => {
    const o = await owner();
    const { url } = await o.client.auth.invites.create.mutate({ role: "member", email: "someone@example.com" });
    const token = url.slice(url.lastIndexOf("/") + 1);
    const other = browserClient(gw.url).client.auth.invites.accept.mutate({
      mode: "newAccount",
      token,
      name: "Mallory",
      email: `mallory-${crypto.randomUUID()}@example.com`,
      password,
    });
    expect(await codeOf(other)).toBe("FORBIDDEN");
    const admin = await join(o, "admin");
    const error = await failure(admin.client.auth.invites.create.mutate({ role: "admin" }));
    expect(error.data?.code).toBe("FORBIDDEN");
    expect(error.message).toBe("Only the owner can invite an admin.");
  });
});

describe("members and roles", () => {
  it("a role change ends the member's sessions in that organization at once", async () => {
    const o = await owner();
    const m = await join(o, "member");
    await m.client.crm.contacts.create.mutate({ firstName: "Before" });
    const members = await o.client.auth.members.list.query();
    expect(members.map((x) => x.role)).toEqual(["owner", "member"]);
    const result = await o.client.auth.members.changeRole.mutate({ userId: m.account.user.id, role: "viewer" });
    expect(result.endedSessions).toBe(1);
    expect(await codeOf(m.client.auth.me.query())).toBe("UNAUTHORIZED");
    await m.client.auth.login.mutate({ email: m.email, password });
    expect(await codeOf(m.client.crm.contacts.create.mutate({ firstName: "After" }))).toBe("FORBIDDEN");
  });

  it("removing a member ends their sessions and kills their API tokens there", async () => {
    const o = await owner();
    const m = await join(o, "member");
    const { token } = await m.client.auth.apiTokens.create.mutate({ name: "laptop" });
    expect((await tokenClient(gw.url, token).crm.contacts.list.query({})).items).toEqual([]);
    await o.client.auth.members.remove.mutate({ userId: m.account.user.id });
    expect(await codeOf(m.client.auth.me.query())).toBe("UNAUTHORIZED");
    expect(await codeOf(tokenClient(gw.url, token).crm.contacts.list.query({}))).toBe("UNAUTHORIZED");
  });

  it("keeps an owner: no removing, demoting or leaving by the owner; transfer swaps roles", async () => {
    const o = await owner();
    const a = await join(o, "admin");
    expect(await codeOf(a.client.auth.members.remove.mutate({ userId: o.account.user.id }))).toBe("FORBIDDEN");
    expect(await codeOf(o.client.auth.members.leave.mutate())).toBe("FORBIDDEN");
    expect(await codeOf(a.client.auth.members.transferOwnership.mutate({ userId: a.account.user.id }))).toBe(
      "FORBIDDEN",
    );
    await o.client.auth.members.transferOwnership.mutate({ userId: a.account.user.id });
    expect((await o.client.auth.me.query()).role).toBe("admin");
    await a.client.auth.login.mutate({ email: a.email, password });
    expect((await a.client.auth.me.query()).role).toBe("owner");
    await o.client.auth.members.leave.mutate();
    expect(await codeOf(o.client.auth.me.query())).toBe("UNAUTHORIZED");
    expect((await a.client.auth.members.list.query()).map((x) => x.role)).toEqual(["owner"]);
  });
});

describe("sessions", () => {
  it("lists my sessions and revokes one: the other browser is signed out on its next request", async () => {
    const o = await owner();
    const laptop = browserClient(gw.url, "Mozilla/5.0 (Windows NT 10.0) Chrome/126.0 Safari/537.36");
    await laptop.client.auth.login.mutate({ email: o.email, password });
    const sessions = await o.client.auth.sessions.list.query();
    expect(sessions).toHaveLength(2);
    const other = sessions.find((s) => !s.current)!;
    expect(other.browser).toBe("Chrome 126 on Windows");
    expect(other.ip).toBe("127.0.0.1");
    expect(other.createdAt).toBeInstanceOf(Date);
    await o.client.auth.sessions.revoke.mutate({ id: other.id });
    expect(await codeOf(laptop.client.auth.me.query())).toBe("UNAUTHORIZED");
    expect((await o.client.auth.me.query()).user.email).toBe(o.email);
  });

  it("a password change ends the other sessions; log out everywhere ends all", async () => {
    const o = await owner();
    const phone = browserClient(gw.url);
    await phone.client.auth.login.mutate({ email: o.email, password });
    const wrong = await failure(
      o.client.auth.changePassword.mutate({ currentPassword: "wrong password", newPassword: "a new password!" }),
    );
    expect(wrong.message).toBe("Your current password is not correct.");
    const changed = await o.client.auth.changePassword.mutate({
      currentPassword: password,
      newPassword: "a new password!",
    });
    expect(changed.endedSessions).toBe(1);
    expect(await codeOf(phone.client.auth.me.query())).toBe("UNAUTHORIZED");
    expect((await o.client.auth.me.query()).user.email).toBe(o.email);

    await phone.client.auth.login.mutate({ email: o.email, password: "a new password!" });
    await o.client.auth.sessions.revokeAll.mutate();
    expect(await codeOf(o.client.auth.me.query())).toBe("UNAUTHORIZED");
    expect(await codeOf(phone.client.auth.me.query())).toBe("UNAUTHORIZED");
  });
});

describe("API tokens", () => {
  it("act with the member's permissions, are browser-managed, and stop at revocation", async () => {
    const o = await owner();
    const v = await join(o, "viewer");
    await o.client.crm.contacts.create.mutate({ firstName: "Shared" });
    const { token, apiToken } = await v.client.auth.apiTokens.create.mutate({ name: "reporting", expiresInDays: 30 });
    expect(token).toMatch(/^nexo_pat_[A-Za-z0-9_-]{43}$/);
    expect(JSON.stringify(await gw.db.db.query.apiTokens.findMany())).not.toContain(token);
    const script = tokenClient(gw.url, token);
    expect((await script.crm.contacts.list.query({})).items.map((c) => c.firstName)).toEqual(["Shared"]);
    expect(await codeOf(script.crm.contacts.create.mutate({ firstName: "No" }))).toBe("FORBIDDEN");
    expect(await codeOf(script.auth.apiTokens.create.mutate({ name: "more" }))).toBe("FORBIDDEN");
    const [listed] = await v.client.auth.apiTokens.list.query();
    expect(listed).toMatchObject({ id: apiToken.id, name: "reporting", lastUsedAt: expect.any(Date) });
    await v.client.auth.apiTokens.revoke.mutate({ id: apiToken.id });
    expect(await codeOf(script.crm.contacts.list.query({}))).toBe("UNAUTHORIZED");
  });
});

describe("password reset", () => {
  it("mails a single-use link that ends every session; unknown emails get the same answer", async () => {
    const o = await owner();
    const anon = browserClient(gw.url).client;
    const known = await anon.auth.passwordReset.request.mutate({ email: o.email });
    const unknown = await anon.auth.passwordReset.request.mutate({ email: `nobody-${crypto.randomUUID()}@x.test` });
    expect(unknown).toEqual(known);
    const mail = gw.mails.find((m) => m.to === o.email)!;
    const url = mail.text.match(/https?:\/\/\S+\/reset-password\/\S+/)?.[0] ?? "";
    const token = url.slice(url.lastIndexOf("/") + 1);
    expect((await anon.auth.passwordReset.check.query({ token })).email).toBe(o.email);
    const done = await anon.auth.passwordReset.complete.mutate({ token, password: "brand new password" });
    expect(done.endedSessions).toBe(1);
    expect(await codeOf(o.client.auth.me.query())).toBe("UNAUTHORIZED");
    expect(await codeOf(anon.auth.passwordReset.complete.mutate({ token, password: "another password" }))).toBe(
      "NOT_FOUND",
    );
    await o.client.auth.login.mutate({ email: o.email, password: "brand new password" });
  });

  it("lets an admin create a reset link for a member, not for the owner", async () => {
    const o = await owner();
    const a = await join(o, "admin");
    const m = await join(o, "member");
    const { url, expiresAt } = await a.client.auth.passwordReset.createLink.mutate({ userId: m.account.user.id });
    expect(expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(30 * 60 * 1000);
    const token = url.slice(url.lastIndexOf("/") + 1);
    await browserClient(gw.url).client.auth.passwordReset.complete.mutate({ token, password: "reset by admin" });
    await m.client.auth.login.mutate({ email: m.email, password: "reset by admin" });
    expect(await codeOf(a.client.auth.passwordReset.createLink.mutate({ userId: o.account.user.id }))).toBe(
      "FORBIDDEN",
    );
  });
});

describe("audit log", () => {
  it("records security events that admins page through and filter; members may not", async () => {
    const o = await owner();
    const m = await join(o, "member");
    await browserClient(gw.url)
      .client.auth.login.mutate({ email: m.email, password: "wrong password" })
      .catch(() => null);
    await o.client.auth.members.changeRole.mutate({ userId: m.account.user.id, role: "viewer" });
    const all = await o.client.auth.audit.list.query({ limit: 2 });
    expect(all.items).toHaveLength(2);
    expect(all.nextCursor).not.toBeNull();
    const rest = await o.client.auth.audit.list.query({ limit: 100, cursor: all.nextCursor });
    const events = [...all.items, ...rest.items].map((e) => e.event);
    expect(events).toEqual([
      "member.role_changed",
      "login.failed",
      "invite.accepted",
      "invite.created",
      "account.registered",
    ]);
    const [roleChange] = all.items;
    expect(roleChange).toMatchObject({
      actor: { id: o.account.user.id },
      targetId: m.account.user.id,
      details: { from: "member", to: "viewer" },
      ip: "127.0.0.1",
      userAgent: expect.stringContaining("Firefox"),
    });
    const failed = await o.client.auth.audit.list.query({ event: "login.failed" });
    expect(failed.items.map((e) => e.actor?.id)).toEqual([m.account.user.id]);
    const byActor = await o.client.auth.audit.list.query({ actorId: m.account.user.id });
    expect(byActor.items.map((e) => e.event)).toEqual(["login.failed", "invite.accepted"]);
    const future = await o.client.auth.audit.list.query({ from: new Date(Date.now() + 60_000) });
    expect(future.items).toEqual([]);
    await m.client.auth.login.mutate({ email: m.email, password });
    expect(await codeOf(m.client.auth.audit.list.query({}))).toBe("FORBIDDEN");
    expect(JSON.stringify(rest)).not.toContain(password);
  });
});
