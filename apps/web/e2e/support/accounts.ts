import { randomBytes } from "node:crypto";
import type { APIRequestContext } from "@playwright/test";

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
  const response = await request.post(`/api/trpc/${path}`, { data: { json: input } });
  if (!response.ok()) throw new Error(`${path} failed with ${response.status()}: ${await response.text()}`);
  return response.json();
}

/** Registers through the API; the session cookie lands in the page's browser context. */
export async function registerViaApi(request: APIRequestContext, user: TestUser): Promise<void> {
  await callMutation(request, "auth.register", user);
}
