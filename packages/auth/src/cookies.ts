const BASE_NAME = "nexo_session";

export interface SessionCookie {
  readonly name: string;
  /** The cookie's value in a request, or null when it carries none. */
  read(headers: Headers): string | null;
  /** A Set-Cookie value holding `value` for `maxAgeSeconds` (default: the session's lifetime). */
  serialize(value: string, maxAgeSeconds?: number): string;
  /** A Set-Cookie value that makes the browser drop the cookie. */
  clear(): string;
}

export function createSessionCookie(options: { secure: boolean; ttlSeconds: number }): SessionCookie {
  // Browsers only accept a `__Host-` cookie if it is Secure, host-only and Path=/, so a sibling subdomain
  // cannot plant or overwrite it.
  const name = options.secure ? `__Host-${BASE_NAME}` : BASE_NAME;
  const attributes = `HttpOnly; Path=/; SameSite=Lax${options.secure ? "; Secure" : ""}`;
  return {
    name,
    read(headers) {
      for (const pair of headers.get("cookie")?.split(";") ?? []) {
        const separator = pair.indexOf("=");
        if (separator !== -1 && pair.slice(0, separator).trim() === name) {
          return pair.slice(separator + 1).trim() || null;
        }
      }
      return null;
    },
    serialize: (value, maxAgeSeconds = options.ttlSeconds) =>
      `${name}=${value}; ${attributes}; Max-Age=${maxAgeSeconds}`,
    clear: () => `${name}=; ${attributes}; Max-Age=0`,
  };
}
