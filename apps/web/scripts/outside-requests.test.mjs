import { AsyncLocalStorage } from "node:async_hooks";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { setImmediate as nextTurn } from "node:timers/promises";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterEach, describe, expect, it } from "vitest";
import { fetchOutsideRequests } from "./outside-requests.mjs";

setFlagsFromString("--expose-gc");
const collectGarbage = runInNewContext("gc");

const requests = new AsyncLocalStorage();
// As serve.mjs does it: wrapped once, before any request.
const wrappedFetch = fetchOutsideRequests(globalThis.fetch);

const servers = [];
afterEach(() => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
});

/** A server that keeps connections open, as the gateway does between a page's calls. */
async function keepAliveServer() {
  const server = createServer((_req, res) => res.end("ok"));
  server.keepAliveTimeout = 60_000;
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  servers.push(server);
  return `http://127.0.0.1:${server.address().port}/`;
}

/**
 * Whether a request's store is still reachable once the request is over and garbage is
 * collected, after `fetch` opened a connection (left open) while serving it.
 */
async function storeOutlivesRequest(fetch) {
  const url = await keepAliveServer();
  let store;
  await (async () => {
    const request = { rendered: new Array(10_000).fill("row") };
    store = new WeakRef(request);
    await requests.run(request, async () => {
      const response = await fetch(url);
      expect(await response.text()).toBe("ok");
    });
  })();
  // A WeakRef's target is kept until the job that made it has finished.
  for (let i = 0; i < 3; i++) {
    await nextTurn();
    collectGarbage();
  }
  return store.deref() !== undefined;
}

describe("fetchOutsideRequests", () => {
  it("runs fetch outside the caller's store, and the caller carries on in its own", async () => {
    const seen = [];
    const fetch = fetchOutsideRequests(async (input) => {
      seen.push({ input, store: requests.getStore() });
      return "answer";
    });
    await requests.run({ request: 1 }, async () => {
      expect(await fetch("http://gateway/trpc")).toBe("answer");
      expect(requests.getStore()).toEqual({ request: 1 });
    });
    expect(seen).toEqual([{ input: "http://gateway/trpc", store: undefined }]);
  });

  it("passes fetch's failures through", async () => {
    const fetch = fetchOutsideRequests(async () => {
      throw new TypeError("fetch failed");
    });
    await expect(requests.run({ request: 2 }, () => fetch("http://gateway/trpc"))).rejects.toThrow("fetch failed");
  });

  it("leaves nothing of a request reachable through the connection it opened", async () => {
    // The mechanism this guards against: a plain fetch's kept-alive socket holds the store.
    expect(await storeOutlivesRequest(globalThis.fetch)).toBe(true);
    expect(await storeOutlivesRequest(wrappedFetch)).toBe(false);
  });

  it("is what the standalone server's fetch is, before Next starts", () => {
    const serve = readFileSync(new URL("./serve.mjs", import.meta.url), "utf8");
    const installed = serve.indexOf("globalThis.fetch = fetchOutsideRequests(globalThis.fetch);");
    expect(installed).toBeGreaterThan(-1);
    expect(installed).toBeLessThan(serve.indexOf('await import("./server.js");'));
  });
});
