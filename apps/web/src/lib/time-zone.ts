import { timeZone as timeZoneSchema } from "@nexo/crm/schemas";

/**
 * The browser's time zone travels in this cookie, so the server groups by the reader's days and
 * months ("due today", "won in March") when it renders a page.
 */
export const TIME_ZONE_COOKIE = "nexo_tz";

/** A valid IANA zone name, else UTC. */
export function readTimeZone(value: string | undefined): string {
  const parsed = timeZoneSchema.safeParse(value);
  return parsed.success ? parsed.data : "UTC";
}

export function browserTimeZone(): string {
  try {
    return readTimeZone(Intl.DateTimeFormat().resolvedOptions().timeZone);
  } catch {
    return "UTC";
  }
}
