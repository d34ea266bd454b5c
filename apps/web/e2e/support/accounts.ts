import { randomBytes } from "node:crypto";
import { type APIRequestContext, expect, type Page } from "@playwright/test";

export interface TestUser {
  name: string;
  email: string;
  password: string;
  organizationName: string;
}

/** A user no other test or run has registered (the database may be shared across runs). */
export function newUser(label = "user"): TestUser {
  const id = `${Date.now().toString(36)}${randomBytes(3).toString("hex")}`;
  return {
    name: "Grace Hopper",
    email: `e2e-${label}-${id}@example.com`,
    password: "correct horse battery",
    organizationName: `Harbor Analytics ${id}`,
  };
}

/**
 * Calls a tRPC mutation the way the app does (same origin, superjson body) with the context's
 * cookies, for setting up state a test is not about.
 */
export async function callMutation(request: APIRequestContext, path: string, input: unknown): Promise<unknown> {
  const response = await request.post(`/api/trpc/${path}`, {
    data: { json: input },
    // As a browser sends it: the gateway refuses cookie-carrying mutations from other origins.
    headers: process.env.E2E_WEB_URL ? { origin: process.env.E2E_WEB_URL } : {},
  });
  if (!response.ok()) throw new Error(`${path} failed with ${response.status()}: ${await response.text()}`);
  return response.json();
}

/** Registers through the API; the session cookie lands in the page's browser context. */
export async function registerViaApi(request: APIRequestContext, user: TestUser): Promise<void> {
  await callMutation(request, "auth.register", user);
}

/** A mutation's result (tRPC's superjson envelope unwrapped; dates stay ISO strings). */
export async function mutationData<T>(request: APIRequestContext, path: string, input: unknown): Promise<T> {
  const body = (await callMutation(request, path, input)) as { result: { data: { json: T } } };
  return body.result.data.json;
}

/** A query's result, for a procedure without input. */
export async function queryData<T>(request: APIRequestContext, path: string): Promise<T> {
  const response = await request.get(`/api/trpc/${path}`);
  if (!response.ok()) throw new Error(`${path} failed with ${response.status()}: ${await response.text()}`);
  const body = (await response.json()) as { result: { data: { json: T } } };
  return body.result.data.json;
}

/** An invite link to the organization of `request`'s session. */
export async function createInviteLink(
  request: APIRequestContext,
  role: "admin" | "member" | "viewer",
): Promise<string> {
  const { url } = await mutationData<{ url: string }>(request, "auth.invites.create", { role, expiresInDays: 7 });
  return url;
}

/** Joins an organization by invite as a new account; the session cookie lands in `request`'s context. */
export async function acceptInviteViaApi(request: APIRequestContext, url: string, user: TestUser): Promise<void> {
  const token = new URL(url).pathname.split("/").at(-1);
  await callMutation(request, "auth.invites.accept", {
    mode: "newAccount",
    token,
    name: user.name,
    email: user.email,
    password: user.password,
  });
}

/** Signs in through the sign-in page, as people do. */
export async function signIn(page: Page, user: Pick<TestUser, "email" | "password">): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  // The address changes once the dashboard has rendered, charts included: in CI, with two browsers
  // and both servers on two cores, that has taken over 10 s after its data arrived.
  await expect(page).toHaveURL(/\/dashboard$/, { timeout: 30_000 });
}
