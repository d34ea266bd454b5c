import type { Db, Role } from "@nexo/db";

/** The slice of a structured logger procedures use (pino's Logger satisfies it). */
export interface Log {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** A live, verified session: resolved by the gateway before any procedure runs. */
export interface Session {
  /** The session id (cookie), or `token:<api token id>`. */
  id: string;
  userId: string;
  orgId: string;
  role: Role;
  /** How the request proved who it is: a browser session cookie or a personal API token. */
  via: "cookie" | "token";
}

/**
 * Services that packages contribute to the context by augmenting this interface
 * (`declare module "@nexo/trpc" { interface ContextServices { … } }`), so this package
 * never imports them.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by declaration merging in other packages.
export interface ContextServices {}

/**
 * Work that costs the database far more than a page of a list: global search, a CSV import, a CSV
 * export. Each is rate-limited per user (an import also per organization), so one person or
 * script cannot keep the database busy for everyone else.
 */
export type ExpensiveAction = "search" | "import" | "export";

export interface Context extends ContextServices {
  db: Db;
  log: Log;
  requestId: string;
  /** The request's headers, for cookies, Origin and User-Agent. */
  headers: Headers;
  /** Client address as seen by the gateway (after trusted-proxy handling). */
  ip: string;
  /** Headers the response will carry, e.g. Set-Cookie from login. */
  resHeaders: Headers;
  session: Session | null;
  /** Longest a procedure may take before it answers GATEWAY_TIMEOUT; none when unset. */
  deadlineMs?: number;
  /**
   * Counts one `action` of `actor` and throws TOO_MANY_REQUESTS past its limit. The gateway sets it
   * (backed by the auth package's limiter); without it nothing is limited (unit tests).
   */
  limitExpensive?: (action: ExpensiveAction, actor: { userId: string; orgId: string }) => Promise<void>;
}
