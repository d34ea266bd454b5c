/**
 * Classifies failures of the services behind a procedure (Postgres, Redis) so that an outage
 * reaches the client as a clear 503 and a query that ran out of time as a 504, not as a 500.
 */

// postgres.js connection error codes, and Node socket errors underneath them.
const CONNECTION_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
]);
// SQLSTATE: admin/crash shutdown, cannot connect now, too many connections.
const UNAVAILABLE_SQLSTATES = new Set(["57P01", "57P02", "57P03", "53300"]);
// ioredis with the offline queue off, or out of retries.
const REDIS_DOWN = /Stream isn't writeable|Connection is closed|Reached the max retries per request/;

function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  let current = error;
  // Drizzle and tRPC wrap driver errors in `cause`.
  for (let depth = 0; current && depth < 5; depth++) {
    chain.push(current);
    current = (current as { cause?: unknown }).cause;
  }
  return chain;
}

export function isServiceUnavailable(error: unknown): boolean {
  return causes(error).some((e) => {
    const { code, message, name } = e as { code?: unknown; message?: unknown; name?: unknown };
    if (typeof code === "string" && (CONNECTION_CODES.has(code) || UNAVAILABLE_SQLSTATES.has(code))) return true;
    if (typeof code === "string" && code.startsWith("08")) return true;
    if (name === "MaxRetriesPerRequestError") return true;
    return typeof message === "string" && REDIS_DOWN.test(message);
  });
}

/** Whether the error, or one it wraps, carries one of these SQLSTATEs. */
function hasSqlState(error: unknown, states: readonly string[]): boolean {
  return causes(error).some((e) => states.includes((e as { code?: unknown }).code as string));
}

/** Postgres cancelled the statement (statement_timeout, 57014). */
export function isQueryTimeout(error: unknown): boolean {
  return hasSqlState(error, ["57014"]);
}

/**
 * Text Postgres cannot store (a NUL character, SQLSTATE 22021; or one the database encoding lacks,
 * 22P05): the client's input is at fault, not the server.
 */
export function isUnstorableText(error: unknown): boolean {
  return hasSqlState(error, ["22021", "22P05"]);
}

/**
 * A date or time Postgres cannot store (out of its range, 22008; or unreadable, 22007): the
 * client's input is at fault. Inputs are bounded before they get there; this is the net under that.
 */
export function isUnstorableDate(error: unknown): boolean {
  return hasSqlState(error, ["22008", "22007"]);
}

/**
 * Two requests changing the same records at once: a record one refers to was deleted by the other
 * (a foreign key check failing, 23503), or Postgres chose one of them to undo (a deadlock, 40P01; a
 * serialization failure, 40001). Procedures lock what they depend on; this is the net under that.
 */
export function isConcurrentChange(error: unknown): boolean {
  return hasSqlState(error, ["23503", "40P01", "40001"]);
}
