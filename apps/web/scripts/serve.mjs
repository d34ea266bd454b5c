// Starts the standalone Next.js server (server.js, next to this file once built) with a client
// address the gateway can trust. Next only fills in X-Forwarded-For when a request has none, so a
// browser could otherwise send its own and pose as any address — defeating per-IP rate limits and
// forging audit entries. Here the header is replaced before Next sees it:
// - by default with the connection's peer address (the web server faces browsers directly);
// - with WEB_TRUST_PROXY=true (a reverse proxy such as Caddy in front), with the last address of
//   the proxy's header, the one the proxy itself observed.
// It also makes the server's fetches (its calls to the gateway) outside the page requests that
// make them, so that no connection kept open keeps a request's state alive (outside-requests.mjs).
import http from "node:http";
import { fetchOutsideRequests } from "./outside-requests.mjs";

const trustProxy = process.env.WEB_TRUST_PROXY === "true";

function clientAddress(req) {
  const peer = req.socket.remoteAddress ?? "";
  if (!trustProxy) return peer;
  const forwarded = req.headers["x-forwarded-for"];
  const last = (Array.isArray(forwarded) ? forwarded.join(",") : (forwarded ?? "")).split(",").at(-1)?.trim();
  return last || peer;
}

const createServer = http.createServer;
http.createServer = function createServerWithClientAddress(...args) {
  const index = args.findIndex((arg) => typeof arg === "function");
  if (index !== -1) {
    const listener = args[index];
    args[index] = function listenWithClientAddress(req, res) {
      req.headers["x-forwarded-for"] = clientAddress(req);
      return listener.call(this, req, res);
    };
  }
  return createServer.apply(this, args);
};

// Before Next wraps fetch with its own: its bookkeeping still runs within the request.
globalThis.fetch = fetchOutsideRequests(globalThis.fetch);

await import("./server.js");
