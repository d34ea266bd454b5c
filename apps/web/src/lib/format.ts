/** Formatting shared by every screen: one place decides how money, dates and counts read. */

const LOCALE = "en-GB";
const moneyFormats = new Map<string, Intl.NumberFormat>();

function moneyFormat(currency: string, compact: boolean): Intl.NumberFormat {
  const key = `${currency}:${compact}`;
  let format = moneyFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(LOCALE, {
      style: "currency",
      currency,
      ...(compact ? { notation: "compact", maximumFractionDigits: 1 } : {}),
    });
    moneyFormats.set(key, format);
  }
  return format;
}

/** Digits after the decimal point of a currency's minor unit (2 for EUR, 0 for JPY, 3 for KWD). */
export function minorDigits(currency: string): number {
  return moneyFormat(currency, false).resolvedOptions().maximumFractionDigits ?? 2;
}

/** An amount stored in integer minor units ("12345", "EUR") → "€123.45". */
export function formatMoney(minor: number | bigint, currency: string, options: { compact?: boolean } = {}): string {
  const value = Number(minor) / 10 ** minorDigits(currency);
  return moneyFormat(currency, options.compact ?? false).format(value);
}

/** "123.45" typed by a person, in the currency's major unit → integer minor units, or null when unreadable. */
export function parseMoney(input: string, currency: string): number | null {
  const cleaned = input.replace(/[\s,_']/g, "");
  if (!/^-?\d+(\.\d+)?$/.test(cleaned)) return null;
  const digits = minorDigits(currency);
  const [whole = "0", fraction = ""] = cleaned.replace(/^-/, "").split(".");
  if (fraction.length > digits) return null;
  const minor = Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, "0") || "0");
  if (!Number.isSafeInteger(minor)) return null;
  return cleaned.startsWith("-") ? -minor : minor;
}

const NUMBER = new Intl.NumberFormat(LOCALE);
const COMPACT = new Intl.NumberFormat(LOCALE, { notation: "compact", maximumFractionDigits: 1 });

export function formatNumber(value: number, options: { compact?: boolean } = {}): string {
  return (options.compact ? COMPACT : NUMBER).format(value);
}

const DATE = new Intl.DateTimeFormat(LOCALE, { dateStyle: "medium" });
const DATE_TIME = new Intl.DateTimeFormat(LOCALE, { dateStyle: "medium", timeStyle: "short" });
const MONTH = new Intl.DateTimeFormat(LOCALE, { month: "short", year: "numeric", timeZone: "UTC" });

function toDate(value: Date | string): Date {
  return value instanceof Date ? value : new Date(value);
}

/** A calendar date. Plain "2026-03-01" strings are dates without a zone and are shown as written. */
export function formatDate(value: Date | string): string {
  if (typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    return new Intl.DateTimeFormat(LOCALE, { dateStyle: "medium", timeZone: "UTC" }).format(
      new Date(`${value}T00:00:00Z`),
    );
  }
  return DATE.format(toDate(value));
}

export function formatDateTime(value: Date | string): string {
  return DATE_TIME.format(toDate(value));
}

/** "2026-03" or a date → "Mar 2026". */
export function formatMonth(value: Date | string): string {
  const date =
    typeof value === "string" && /^\d{4}-\d{2}$/.test(value) ? new Date(`${value}-01T00:00:00Z`) : toDate(value);
  return MONTH.format(date);
}

const RELATIVE = new Intl.RelativeTimeFormat(LOCALE, { numeric: "auto" });
const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
];

/** "3 hours ago", "in 2 days", "now". */
export function formatRelative(value: Date | string, now: Date = new Date()): string {
  const seconds = (toDate(value).getTime() - now.getTime()) / 1000;
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return RELATIVE.format(Math.round(seconds / size), unit);
  }
  return "just now";
}
