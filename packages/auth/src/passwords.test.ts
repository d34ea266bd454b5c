import * as argon2 from "@node-rs/argon2";
import { describe, expect, it, vi } from "vitest";
import { hashPassword, verifyPassword } from "./passwords";

vi.mock("@node-rs/argon2", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@node-rs/argon2")>();
  return { ...actual, verify: vi.fn(actual.verify) };
});

describe("passwords", () => {
  it("hashes with argon2id and a fresh salt", async () => {
    const first = await hashPassword("correct horse battery");
    const second = await hashPassword("correct horse battery");
    expect(first).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(first).not.toBe(second);
  });

  it("accepts the right password and rejects a wrong one", async () => {
    const stored = await hashPassword("correct horse battery");
    expect(await verifyPassword(stored, "correct horse battery")).toBe(true);
    expect(await verifyPassword(stored, "correct horse battery ")).toBe(false);
  });

  it("treats a stored value that is not an argon2 hash as matching nothing", async () => {
    expect(await verifyPassword("x", "anything at all")).toBe(false);
    expect(await verifyPassword("$argon2id$v=19$broken", "anything at all")).toBe(false);
  });

  it("runs a full argon2id verification with the same cost when there is no stored hash", async () => {
    const verify = vi.mocked(argon2.verify);
    verify.mockClear();
    expect(await verifyPassword(undefined, "whatever it is")).toBe(false);
    expect(verify).toHaveBeenCalledTimes(1);
    const dummy = String(verify.mock.calls[0]?.[0]);
    const real = await hashPassword("correct horse battery");
    expect(argon2.parseOptions(dummy)).toEqual(argon2.parseOptions(real));
  });
});
