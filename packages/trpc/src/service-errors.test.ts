import { describe, expect, it } from "vitest";
import {
  isConcurrentChange,
  isQueryTimeout,
  isServiceUnavailable,
  isUnstorableDate,
  isUnstorableText,
} from "./service-errors";

const wrapped = (cause: unknown) => new Error("Failed query: select 1", { cause });

describe("service error classification", () => {
  it("recognises a database or Redis outage through wrappers", () => {
    expect(isServiceUnavailable(wrapped({ code: "ECONNREFUSED" }))).toBe(true);
    expect(isServiceUnavailable(wrapped({ code: "CONNECTION_CLOSED" }))).toBe(true);
    expect(isServiceUnavailable(wrapped({ code: "57P01" }))).toBe(true);
    expect(isServiceUnavailable(wrapped({ code: "08006" }))).toBe(true);
    expect(isServiceUnavailable(new Error("Stream isn't writeable and enableOfflineQueue options is false"))).toBe(
      true,
    );
    expect(isServiceUnavailable(Object.assign(new Error("x"), { name: "MaxRetriesPerRequestError" }))).toBe(true);
  });

  it("does not mistake ordinary failures for an outage", () => {
    expect(isServiceUnavailable(wrapped({ code: "23505" }))).toBe(false);
    expect(isServiceUnavailable(new Error("boom"))).toBe(false);
    expect(isServiceUnavailable(undefined)).toBe(false);
  });

  it("recognises a cancelled statement", () => {
    expect(isQueryTimeout(wrapped({ code: "57014" }))).toBe(true);
    expect(isQueryTimeout(wrapped({ code: "57P01" }))).toBe(false);
  });
});

describe("unstorable text", () => {
  it("recognises text Postgres cannot store", () => {
    expect(isUnstorableText(wrapped({ code: "22021" }))).toBe(true);
    expect(isUnstorableText(wrapped({ code: "22P05" }))).toBe(true);
    expect(isUnstorableText(wrapped({ code: "23505" }))).toBe(false);
  });
});

describe("dates and concurrent changes", () => {
  it("tells a date Postgres cannot store from a change another request made meanwhile", () => {
    expect(isUnstorableDate(wrapped({ code: "22008" }))).toBe(true);
    expect(isUnstorableDate(wrapped({ code: "22007" }))).toBe(true);
    expect(isUnstorableDate(wrapped({ code: "23503" }))).toBe(false);
    expect(isConcurrentChange(wrapped({ code: "23503" }))).toBe(true);
    expect(isConcurrentChange(wrapped({ code: "40P01" }))).toBe(true);
    expect(isConcurrentChange(wrapped({ code: "40001" }))).toBe(true);
    expect(isConcurrentChange(wrapped({ code: "23505" }))).toBe(false);
  });
});
