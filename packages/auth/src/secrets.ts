import { createHash, randomBytes } from "node:crypto";

/** 256 bits from the CSPRNG, URL-safe: invite links, reset links, API tokens. */
export function newSecret(): string {
  return randomBytes(32).toString("base64url");
}

/**
 * What the database keeps instead of a token. A fast hash is enough for 256-bit random tokens: unlike
 * passwords, they cannot be guessed from a dictionary.
 */
export function hashSecret(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}
