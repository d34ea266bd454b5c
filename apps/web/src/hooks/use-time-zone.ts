"use client";

import { useEffect, useState } from "react";
import { browserTimeZone, TIME_ZONE_COOKIE } from "~/lib/time-zone";

/**
 * The reader's time zone: at first the one the server rendered with (from the cookie), then the
 * browser's own, which the cookie keeps for the next server render.
 */
export function useTimeZone(initialTimeZone: string): string {
  const [timeZone, setTimeZone] = useState(initialTimeZone);
  useEffect(() => {
    const zone = browserTimeZone();
    // biome-ignore lint/suspicious/noDocumentCookie: a preference the server reads, nothing secret.
    document.cookie = `${TIME_ZONE_COOKIE}=${encodeURIComponent(zone)}; path=/; max-age=31536000; samesite=lax`;
    if (zone !== initialTimeZone) setTimeZone(zone);
  }, [initialTimeZone]);
  return timeZone;
}
