// Runs the web server's own fetches (its calls to the gateway) outside the page request that
// makes them.
//
// Next.js keeps each request's state (the rendered tree, the data, the response) in
// AsyncLocalStorage, and Node hands the store of the running code to every resource created
// under it — including the keep-alive socket a fetch opens to the gateway. That socket outlives
// the request by many others, and through it the request's state stayed reachable; from there,
// through aborted signals whose errors still hold the call sites they were raised at, so did the
// state of requests served around it. Under steady load the server's heap after a full collection
// grew from about 40 to 160 MB. Fetching in the context the server started in (before any
// request) gives the sockets no request to hold; the caller still awaits the answer in its own.
//
// Whatever observes fetch from within (a tracer subscribed to undici's diagnostics channels, say)
// would see the startup context, not the request's; nothing here does.
import { AsyncLocalStorage } from "node:async_hooks";

/**
 * `fetch`, run by `run`: by default in the context `fetchOutsideRequests` is called in, so call it
 * at startup, before the server takes requests.
 */
export function fetchOutsideRequests(fetch, run = AsyncLocalStorage.snapshot()) {
  return function fetchOutsideRequest(input, init) {
    return run(() => fetch(input, init));
  };
}
