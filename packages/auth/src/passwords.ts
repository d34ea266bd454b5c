import { randomBytes } from "node:crypto";
import { type Algorithm, hash, verify } from "@node-rs/argon2";

// `Algorithm` is an ambient const enum, which `verbatimModuleSyntax` forbids reading at runtime; the
// annotation still makes the compiler check that 2 is Argon2id.
const ARGON2ID: Algorithm.Argon2id = 2;

/** OWASP's argon2id baseline (19 MiB, 2 passes, 1 lane): affordable on a Raspberry Pi. */
const options = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

let dummyHash: Promise<string> | undefined;

export function hashPassword(password: string): Promise<string> {
  return hash(password, options);
}

/**
 * Verifies `password` against `storedHash`. Without a stored hash (unknown email) it still runs a full
 * verification against a dummy hash with the same parameters, so the response time does not tell
 * whether an account exists.
 */
export async function verifyPassword(storedHash: string | undefined, password: string): Promise<boolean> {
  if (storedHash === undefined) {
    dummyHash ??= hash(randomBytes(32).toString("base64url"), options);
    await verify(await dummyHash, password);
    return false;
  }
  // A stored value that is not an argon2 hash (an imported or hand-edited row) matches no password.
  return verify(storedHash, password).catch(() => false);
}
