import type { Server, ServerResponse } from "node:http";

/**
 * Graceful stop for an HTTP server: tracks responses in flight so that, once stopping, each of
 * them is sent with `Connection: close` and its socket released as soon as it is answered, instead
 * of lingering as keep-alive until the client's timeout.
 */
export function trackForShutdown(server: Server) {
  const inFlight = new Set<ServerResponse>();
  let stopping = false;

  server.on("request", (_req, res: ServerResponse) => {
    inFlight.add(res);
    if (stopping) res.shouldKeepAlive = false;
    res.on("close", () => {
      inFlight.delete(res);
      if (stopping) setImmediate(() => server.closeIdleConnections());
    });
  });

  /** Stops accepting, resolves when every in-flight request is answered; cuts the rest after `timeoutMs`. */
  return function shutdown(timeoutMs: number): Promise<void> {
    stopping = true;
    for (const res of inFlight) if (!res.headersSent) res.shouldKeepAlive = false;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => server.closeAllConnections(), timeoutMs);
      timer.unref();
      server.close((error) => {
        clearTimeout(timer);
        if (error && (error as NodeJS.ErrnoException).code !== "ERR_SERVER_NOT_RUNNING") reject(error);
        else resolve();
      });
      server.closeIdleConnections();
    });
  };
}
