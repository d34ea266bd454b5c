import { request } from "node:http";
import { createTRPCClient, httpBatchStreamLink, TRPCClientError } from "@trpc/client";
import superjson from "superjson";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppRouter } from "./router";
import { APP_URL, browserClient, startTestGateway } from "./test-gateway";

type Gateway = Awaited<ReturnType<typeof startTestGateway>>;

async function rejection(promise: Promise<unknown>): Promise<TRPCClientError<AppRouter>> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCClientError);
  return error as TRPCClientError<AppRouter>;
}

const password = "correct horse battery";

/** A browser client signed up as the owner of a new organization named `organizationName`. */
async function signedUp(url: string, name: string, organizationName: string) {
  const browser = browserClient(url);
  await browser.client.auth.register.mutate({
    name,
    email: `${name.split(" ")[0]?.toLowerCase()}-${crypto.randomUUID()}@example.com`,
    password,
    organizationName,
  });
  return browser;
}

describe("gateway over HTTP", () => {
  let gw: Gateway;
  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(async () => {
    await gw?.stop();
  });

  it("answers /healthz and /readyz with both backends reachable", async () => {
    const health = await fetch(`${gw.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok" });
    const ready = await fetch(`${gw.url}/readyz`);
    expect(await ready.json()).toEqual({ status: "ok", database: "ok", sessions: "ok" });
    expect(ready.status).toBe(200);
    expect((await fetch(`${gw.url}/nope`)).status).toBe(404);
  });

  it("runs a browser's whole session: register, contacts, logout", async () => {
    const { client, jar } = browserClient(gw.url);
    const email = `owner-${crypto.randomUUID()}@example.com`;
    const registered = await client.auth.register.mutate({
      name: "Olive Owner",
      email,
      password,
      organizationName: "Olive Org",
    });
    expect(registered.role).toBe("owner");
    expect(jar.cookie).not.toBe("");

    const me = await client.auth.me.query();
    expect(me.user.email).toBe(email);
    expect(me.organization.name).toBe("Olive Org");

    const created = await client.crm.contacts.create.mutate({ firstName: "Kim", lastName: "Lee" });
    expect(created.createdAt).toBeInstanceOf(Date);
    const list = await client.crm.contacts.list.query({ search: "lee" });
    expect(list.items.map((c) => c.id)).toEqual([created.id]);

    const staleCookie = jar.cookie;
    await client.auth.logout.mutate();
    // The old cookie, replayed, is dead on the very next request.
    const replay = browserClient(gw.url);
    replay.jar.cookie = staleCookie;
    expect((await rejection(replay.client.auth.me.query())).data?.code).toBe("UNAUTHORIZED");
    expect((await rejection(client.crm.contacts.list.query({}))).data?.code).toBe("UNAUTHORIZED");
  });

  it("answers the batches a browser streams: results, dates and errors in one streamed answer", async () => {
    const { client, jar } = await signedUp(gw.url, "Stella Stream", "Stream Org");
    const created = await client.crm.contacts.create.mutate({ firstName: "Ada", lastName: "Byron" });

    const streamed: (string | null)[] = [];
    const streaming = createTRPCClient<AppRouter>({
      links: [
        httpBatchStreamLink({
          url: `${gw.url}/trpc`,
          transformer: superjson,
          headers: { cookie: jar.cookie },
          async fetch(input, init) {
            const res = await fetch(input, init);
            streamed.push(res.headers.get("content-type"), res.headers.get("transfer-encoding"));
            return res;
          },
        }),
      ],
    });
    const [me, list, missing] = await Promise.all([
      streaming.auth.me.query(),
      streaming.crm.contacts.list.query({}),
      streaming.crm.contacts.get.query({ id: crypto.randomUUID() }).then(
        () => null,
        (error: unknown) => error,
      ),
    ]);
    expect(me.organization.name).toBe("Stream Org");
    expect(list.items.map((contact) => contact.id)).toEqual([created.id]);
    expect(list.items[0]?.createdAt).toBeInstanceOf(Date);
    expect(missing).toBeInstanceOf(TRPCClientError);
    expect((missing as TRPCClientError<AppRouter>).data?.code).toBe("NOT_FOUND");
    // One batch, streamed as JSON lines.
    expect(streamed).toEqual(["application/json", "chunked"]);
  });

  it("answers a call that is not streamed in one piece, with its length", async () => {
    const { client, jar } = await signedUp(gw.url, "Plain Answer", "Plain Org");
    const created = await client.crm.contacts.create.mutate({ firstName: "Ada", lastName: "Plain" });
    const input = encodeURIComponent(JSON.stringify({ 1: { json: {} } }));
    const res = await fetch(`${gw.url}/trpc/auth.me,crm.contacts.list?batch=1&input=${input}`, {
      headers: { cookie: jar.cookie },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("transfer-encoding")).toBeNull();
    const body = Buffer.from(await res.arrayBuffer());
    expect(Number(res.headers.get("content-length"))).toBe(body.byteLength);
    const [me, list] = JSON.parse(body.toString("utf8")) as [
      { result: { data: { json: { organization: { name: string } } } } },
      { result: { data: { json: { items: { id: string }[] } } } },
    ];
    expect(me.result.data.json.organization.name).toBe("Plain Org");
    expect(list.result.data.json.items.map((contact) => contact.id)).toEqual([created.id]);
  });

  it("sends field-level issues for bad input and never a stack", async () => {
    const { client } = browserClient(gw.url);
    const error = await rejection(
      client.auth.register.mutate({ name: "", email: "nope", password: "short", organizationName: "X" }),
    );
    expect(error.data?.code).toBe("BAD_REQUEST");
    expect(error.data?.httpStatus).toBe(400);
    expect(Object.keys(error.data?.zodError?.fieldErrors ?? {}).sort()).toEqual(["email", "name", "password"]);
    expect(JSON.stringify(error.shape)).not.toMatch(/stack|at .*\.ts/);
  });

  it("refuses a cookie-carrying mutation from another origin", async () => {
    const { client, jar } = await signedUp(gw.url, "Csrf Target", "Target Org");
    const res = await fetch(`${gw.url}/trpc/crm.contacts.create`, {
      method: "POST",
      headers: { cookie: jar.cookie, origin: "https://evil.example", "content-type": "application/json" },
      body: JSON.stringify({ json: { firstName: "Injected" } }),
    });
    expect(res.status).toBe(403);
    const list = await client.crm.contacts.list.query({ search: "injected" });
    expect(list.items).toEqual([]);
  });

  it("rejects an oversized body with 413 and too large a batch with 400", async () => {
    const big = await fetch(`${gw.url}/trpc/auth.login`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: APP_URL },
      body: JSON.stringify({ json: { email: "a@b.c", password: "x".repeat(200 * 1024) } }),
    });
    expect(big.status).toBe(413);
    const paths = Array.from({ length: 21 }, () => "auth.me").join(",");
    const batch = await fetch(`${gw.url}/trpc/${paths}?batch=1&input={}`);
    expect(batch.status).toBe(400);
  });

  it("logs each request with id, procedure, status and duration, and no secrets", async () => {
    const { client, jar } = await signedUp(gw.url, "Log Watcher", "Logs Org");
    await client.auth.login.mutate({ email: "nobody@example.com", password: "wrong password!" }).catch(() => null);
    const lines = gw.logLines.join("");
    expect(lines).not.toContain(password);
    expect(lines).not.toContain("wrong password!");
    expect(lines).not.toContain(jar.cookie.split("=")[1]);
    const entry = gw.logLines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.procedure === "auth.register" && l.status === 200);
    expect(entry).toMatchObject({ method: "POST", msg: "request" });
    expect(typeof entry?.requestId).toBe("string");
    expect(typeof entry?.durationMs).toBe("number");
  });
});

describe("graceful shutdown", () => {
  it("finishes a request that is in flight when the server stops accepting", async () => {
    const gw = await startTestGateway();
    try {
      const body = JSON.stringify({ json: { email: "late@example.com", password: "not the password" } });
      let stopped: Promise<void> | undefined;
      // Once the gateway holds the request (headers in, body still coming), shutdown begins.
      gw.server.once("request", () => {
        stopped = gw.shutdown(10_000);
        expect(gw.server.listening).toBe(false);
        req.end(body.slice(10));
      });
      const req = request(`${gw.url}/trpc/auth.login`, {
        method: "POST",
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
      });
      const done = new Promise<number>((resolve, reject) => {
        req.on("error", reject);
        req.on("response", (res) => {
          res.resume();
          res.on("end", () => resolve(res.statusCode ?? 0));
        });
      });
      req.flushHeaders();
      req.write(body.slice(0, 10));
      // The in-flight login is answered properly (wrong credentials), not cut off.
      expect(await done).toBe(401);
      await stopped;
      expect((await fetch(`${gw.url}/healthz`).catch((e: unknown) => e)) instanceof Error).toBe(true);
    } finally {
      await gw.stop();
    }
  });
});
