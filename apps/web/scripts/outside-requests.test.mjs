import { AsyncLocalStorage } from "node:async_hooks";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { setImmediate as nextTurn } from "node:timers/promises";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
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

async function collectGarbageFully() {
  // A WeakRef's target is kept until the job that made or read it has finished.
  for (let i = 0; i < 3; i++) {
    await nextTurn();
    collectGarbage();
  }
}

/**
 * Whether a request's store is still reachable once the request is over and garbage is
 * collected, after `fetch` opened a connection while serving it: while that connection is open,
 * and once the server has closed it.
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
  await collectGarbageFully();
  const whileOpen = store.deref() !== undefined;
  for (const server of servers) server.closeAllConnections();
  await collectGarbageFully();
  return { whileOpen, afterClose: store.deref() !== undefined };
}

// fetch's first call sets up what every later call shares (its dispatcher, timers): outside any
// request here, so that what a request's fetch leaves behind is its connection alone.
beforeAll(async () => {
  const response = await fetch(await keepAliveServer());
  await response.text();
});

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
    // What this guards against, checked so that the test can tell: a plain fetch's kept-alive
    // connection holds the request's store until it closes (a canary for Node's behaviour: if
    // this stops being so, the wrapper may no longer be needed).
    expect(await storeOutlivesRequest(globalThis.fetch)).toEqual({ whileOpen: true, afterClose: false });
    expect(await storeOutlivesRequest(wrappedFetch)).toEqual({ whileOpen: false, afterClose: false });
  });

  it("is what the standalone server's fetch is, before Next starts", () => {
    const serve = readFileSync(new URL("./serve.mjs", import.meta.url), "utf8");
    const installed = serve.indexOf("globalThis.fetch = fetchOutsideRequests(globalThis.fetch);");
    expect(installed).toBeGreaterThan(-1);
    expect(installed).toBeLessThan(serve.indexOf('await import("./server.js");'));
  });
});
