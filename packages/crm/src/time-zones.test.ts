import { describe, expect, it } from "vitest";
import { startOfNextDay } from "./time-zones";

describe("startOfNextDay", () => {
  it.each([
    ["UTC", "2026-05-20T10:00:00Z", "2026-05-21T00:00:00.000Z"],
    // Already tomorrow in Lisbon (UTC+1 in summer): its day ends at 23:00 UTC the next day.
    ["Europe/Lisbon", "2026-07-10T23:30:00Z", "2026-07-11T23:00:00.000Z"],
    ["Asia/Kolkata", "2026-01-01T20:00:00Z", "2026-01-02T18:30:00.000Z"],
    // The evening before clocks go forward in Los Angeles (PST, UTC-8)…
    ["America/Los_Angeles", "2026-03-08T06:00:00Z", "2026-03-08T08:00:00.000Z"],
    // …and the day they did (PDT, UTC-7 by midnight).
    ["America/Los_Angeles", "2026-03-08T10:00:00Z", "2026-03-09T07:00:00.000Z"],
    ["America/Los_Angeles", "2026-11-01T06:00:00Z", "2026-11-01T07:00:00.000Z"],
    // Where the clocks skip midnight (00:00 → 01:00), the next day begins at 01:00, after the gap:
    // Santiago (UTC-4 → UTC-3) and Havana (UTC-5 → UTC-4).
    ["America/Santiago", "2025-09-06T15:00:00Z", "2025-09-07T04:00:00.000Z"],
    ["America/Havana", "2025-03-08T15:00:00Z", "2025-03-09T05:00:00.000Z"],
    // Where they go back at midnight (Santiago, 00:00 → 23:00 the day before, UTC-3 → UTC-4), it
    // begins at the midnight after the repeated hour.
    ["America/Santiago", "2026-04-04T15:00:00Z", "2026-04-05T04:00:00.000Z"],
  ])("in %s, after %s, is %s", (zone, now, expected) => {
    expect(startOfNextDay(new Date(now), zone).toISOString()).toBe(expected);
  });
});
