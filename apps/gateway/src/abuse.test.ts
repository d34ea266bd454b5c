import { connect, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { APP_URL, browserClient, startTestGateway } from "./test-gateway";

type Gateway = Awaited<ReturnType<typeof startTestGateway>>;

function openSocket(url: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => resolve(socket));
    socket.once("error", reject);
  });
}

function closedBy(socket: Socket): Promise<number> {
  const opened = performance.now();
  // Read (and drop) what the server answers, or the socket never reports its end.
  socket.resume();
  return new Promise((resolve) => socket.once("close", () => resolve(performance.now() - opened)));
}

describe("abuse", () => {
  let gw: Gateway;
  let cookie = "";
  beforeAll(async () => {
    gw = await startTestGateway({ headersTimeoutMs: 400, bodyTimeoutMs: 400 });
    const { client, jar } = browserClient(gw.url);
    await client.auth.register.mutate({
      name: "Abuse Target",
      email: `abuse-${crypto.randomUUID()}@example.com`,
      password: "a sturdy password",
      organizationName: "Abuse Org",
    });
    cookie = jar.cookie;
  });
  afterAll(async () => {
    await gw?.stop();
  });

  it("drops clients that trickle their headers or body, while others are served", async () => {
    const slowHeaders = await Promise.all(Array.from({ length: 20 }, () => openSocket(gw.url)));
    for (const socket of slowHeaders) socket.write("GET /healthz HTTP/1.1\r\nHost: x\r\n");
    const slowBody = await openSocket(gw.url);
    slowBody.write(
      "POST /trpc/auth.login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{",
    );
    const closed = Promise.all([...slowHeaders, slowBody].map(closedBy));

    const started = performance.now();
    const healthy = await fetch(`${gw.url}/healthz`);
    expect(healthy.status).toBe(200);
    expect(performance.now() - started).toBeLessThan(500);

    // Dropped after the timeout plus Node's check interval, not left open.
    for (const ms of await closed) expect(ms).toBeLessThan(2_000);
  });

  it("rejects deeply nested and oversized inputs with 4xx, never 500", async () => {
    const nested = `${"[".repeat(20_000)}${"]".repeat(20_000)}`;
    const deep = await fetch(`${gw.url}/trpc/crm.contacts.create`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie, origin: APP_URL },
      body: `{"json":{"firstName":${nested}}}`,
    });
    expect(deep.status).toBe(400);

    const deepObject = await fetch(`${gw.url}/trpc/crm.contacts.create`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie, origin: APP_URL },
      body: `{"json":{"firstName":"x","notes":${'{"a":'.repeat(8_000)}1${"}".repeat(8_000)}}}`,
    });
    expect(deepObject.status).toBe(400);

    const long = await fetch(`${gw.url}/trpc/crm.contacts.create`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie, origin: APP_URL },
      body: JSON.stringify({ json: { firstName: "x".repeat(50_000) } }),
    });
    expect(long.status).toBe(400);

    const garbage = await fetch(`${gw.url}/trpc/crm.contacts.create`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie, origin: APP_URL },
      body: "{not json",
    });
    expect(garbage.status).toBe(400);

    const superjsonMeta = await fetch(`${gw.url}/trpc/crm.contacts.create`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie, origin: APP_URL },
      body: JSON.stringify({ json: { firstName: "x" }, meta: { values: { firstName: ["custom", "nope"] } } }),
    });
    expect(superjsonMeta.status).toBeLessThan(500);
    expect(superjsonMeta.status).toBeGreaterThanOrEqual(400);
    expect((await fetch(`${gw.url}/healthz`)).status).toBe(200);
  });
  it("answers request targets and hosts that are no URL with 4xx, and goes on serving", async () => {
    /** One raw request on a socket of its own; resolves with what came back before the socket closed. */
    const raw = async (head: string) => {
      const socket = await openSocket(gw.url);
      let answer = "";
      socket.on("data", (chunk) => {
        answer += chunk;
      });
      const closed = new Promise((resolve) => socket.once("close", resolve));
      socket.write(head);
      await closed;
      return answer;
    };
    // Node's parser lets these through; the WHATWG URL parser does not.
    for (const target of ["http://[x/healthz", "http://[x/trpc/crm.contacts.list", "//[x/healthz"]) {
      const answer = await raw(`GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
      expect(answer, target).toMatch(/^HTTP\/1\.1 400 /);
      expect(answer, target).toContain("Bad request target.");
    }
    // A Host that is no host, on a tRPC call: a client error too, never a 500.
    const badHost = await raw(
      `GET /trpc/crm.contacts.list HTTP/1.1\r\nHost: [x\r\nCookie: ${cookie}\r\nConnection: close\r\n\r\n`,
    );
    expect(badHost).toMatch(/^HTTP\/1\.1 4\d\d /);
    expect((await fetch(`${gw.url}/healthz`)).status).toBe(200);
  });
});
