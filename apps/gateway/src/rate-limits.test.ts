import { TRPCClientError } from "@trpc/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppRouter } from "./router";
import { APP_URL, browserClient, startTestGateway, tokenClient } from "./test-gateway";

type Gateway = Awaited<ReturnType<typeof startTestGateway>>;

const minute = 60;
let gw: Gateway;
beforeAll(async () => {
  gw = await startTestGateway({
    rateLimits: {
      loginPerIp: { limit: 8, windowSeconds: minute },
      loginPerAccount: { limit: 3, windowSeconds: minute },
      resetPerAccount: { limit: 2, windowSeconds: minute },
      apiToken: { limit: 3, windowSeconds: minute },
    },
  });
});
afterAll(async () => {
  await gw?.stop();
});

async function failure(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCClientError);
  return error as TRPCClientError<AppRouter>;
}

describe("rate limits", () => {
  it("limit sign-in attempts per account with TOO_MANY_REQUESTS and when to retry", async () => {
    const { client } = browserClient(gw.url);
    const email = `target-${crypto.randomUUID()}@example.com`;
    await client.auth.register.mutate({ name: "T", email, password: "correct horse battery", organizationName: "T" });
    for (let i = 0; i < 3; i++) {
      expect((await failure(client.auth.login.mutate({ email, password: `guess number ${i}` }))).data?.code).toBe(
        "UNAUTHORIZED",
      );
    }
    // Even the right password waits now: the counter is per account, not per failure.
    const limited = await failure(client.auth.login.mutate({ email, password: "correct horse battery" }));
    expect(limited.data?.code).toBe("TOO_MANY_REQUESTS");
    expect(limited.data?.httpStatus).toBe(429);
    expect(limited.message).toMatch(/^Too many attempts\. Try again in \d+ seconds?\.$/);
  });

  it("limit sign-in attempts per IP across accounts, and unknown emails count too", async () => {
    const { client } = browserClient(gw.url);
    const codes: (string | undefined)[] = [];
    for (let i = 0; i < 6; i++) {
      const email = `nobody-${crypto.randomUUID()}@example.com`;
      codes.push((await failure(client.auth.login.mutate({ email, password: "whatever it is" }))).data?.code);
    }
    expect(codes.filter((c) => c === "TOO_MANY_REQUESTS").length).toBeGreaterThan(0);
    expect(codes.every((c) => c === "UNAUTHORIZED" || c === "TOO_MANY_REQUESTS")).toBe(true);
  });

  it("limit password reset requests per account", async () => {
    const { client } = browserClient(gw.url);
    const email = `reset-${crypto.randomUUID()}@example.com`;
    await client.auth.passwordReset.request.mutate({ email });
    await client.auth.passwordReset.request.mutate({ email });
    const limited = await failure(client.auth.passwordReset.request.mutate({ email }));
    expect(limited.data?.code).toBe("TOO_MANY_REQUESTS");
  });

  it("limit each API token", async () => {
    const { client } = browserClient(gw.url);
    await client.auth.register.mutate({
      name: "Scripter",
      email: `tok-${crypto.randomUUID()}@example.com`,
      password: "correct horse battery",
      organizationName: "Tokens",
    });
    const { token } = await client.auth.apiTokens.create.mutate({ name: "busy" });
    const script = tokenClient(gw.url, token);
    for (let i = 0; i < 3; i++) await script.crm.contacts.list.query({});
    const limited = await failure(script.crm.contacts.list.query({}));
    expect(limited.data?.code).toBe("TOO_MANY_REQUESTS");
    expect(limited.message).toMatch(/Try again in \d+ seconds?\./);
  });
});

describe("CSRF", () => {
  it("refuses a cookie-carrying mutation without Origin unless Sec-Fetch-Site says same-origin", async () => {
    const { client, jar } = browserClient(gw.url);
    await client.auth.register.mutate({
      name: "Csrf",
      email: `csrf-${crypto.randomUUID()}@example.com`,
      password: "correct horse battery",
      organizationName: "Csrf Org",
    });
    const post = (headers: Record<string, string>) =>
      fetch(`${gw.url}/trpc/crm.contacts.create`, {
        method: "POST",
        headers: { cookie: jar.cookie, "content-type": "application/json", ...headers },
        body: JSON.stringify({ json: { firstName: "Forged" } }),
      });
    expect((await post({})).status).toBe(403);
    expect((await post({ "sec-fetch-site": "cross-site" })).status).toBe(403);
    expect((await post({ origin: "null" })).status).toBe(403);
    expect((await post({ "sec-fetch-site": "same-origin" })).status).toBe(200);
    expect((await post({ origin: APP_URL })).status).toBe(200);
    expect((await client.crm.contacts.list.query({})).items).toHaveLength(2);
  });

  it("needs no Origin for bearer requests, which carry no cookie", async () => {
    const { client } = browserClient(gw.url);
    await client.auth.register.mutate({
      name: "Bearer",
      email: `bearer-${crypto.randomUUID()}@example.com`,
      password: "correct horse battery",
      organizationName: "Bearer Org",
    });
    const { token } = await client.auth.apiTokens.create.mutate({ name: "ci" });
    const res = await fetch(`${gw.url}/trpc/crm.contacts.create`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ json: { firstName: "Scripted" } }),
    });
    expect(res.status).toBe(200);
  });
});
