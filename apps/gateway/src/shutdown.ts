import type { Server } from "node:http";

/**
 * Stops accepting connections and resolves once every in-flight request has finished. Idle
 * keep-alive sockets are closed at once; after `timeoutMs` whatever remains is cut.
 */
export function shutdownGracefully(server: Server, timeoutMs: number): Promise<void> {
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
}
