import { createHash, timingSafeEqual } from "node:crypto";

/** Compares in constant time; hashing first hides the secret's length too. */
export function secretsMatch(given: string, expected: string): boolean {
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

export function bearerMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(header ?? "");
  return secretsMatch(match?.[1]?.trim() ?? "", token) && match !== null;
}
