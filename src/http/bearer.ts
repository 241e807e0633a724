import { createHash, timingSafeEqual } from "node:crypto";

/** Compares in constant time; hashing first hides the token's length too. */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(header ?? "");
  const given = createHash("sha256").update(match?.[1]?.trim() ?? "").digest();
  const expected = createHash("sha256").update(token).digest();
  return match !== null && timingSafeEqual(given, expected);
}
