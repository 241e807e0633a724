/**
 * Redis errors that mean "not now" rather than "this request is wrong": Redis cannot be reached,
 * or it refuses writes for a while. The article was not taken, so the client should send it
 * again later (503 with Retry-After), and nothing was half-published: each refusal comes before
 * the script or command that would have written anything.
 */
export interface StorageRefusal {
  /** Why, in words for the client and the log. */
  reason: string;
  /** Seconds until a retry may work: soon after a failover or an outage, later when an operator must act. */
  retryAfter: number;
  /** Redis was not reached at all (else it answered, refusing writes). */
  unreachable: boolean;
}

const RULES: readonly { pattern: RegExp; reason: string; retryAfter: number; unreachable?: true }[] = [
  {
    pattern:
      /ECONNREFUSED|ECONNRESET|ETIMEDOUT|Connection is closed|Stream isn't writeable|enableOfflineQueue|max retries|All sentinels are unreachable/i,
    reason: "Redis cannot be reached",
    retryAfter: 5,
    unreachable: true,
  },
  {
    pattern: /^OOM\b/,
    reason: "Redis is out of memory (maxmemory reached; with noeviction it refuses writes)",
    retryAfter: 30,
  },
  {
    pattern: /^READONLY\b/,
    reason: "Redis refuses writes: this server is a read-only replica (a failover may be under way)",
    retryAfter: 5,
  },
  {
    pattern: /^MISCONF\b/,
    reason: "Redis refuses writes because it cannot save to disk (MISCONF)",
    retryAfter: 30,
  },
  { pattern: /^LOADING\b/, reason: "Redis is loading its data after a restart", retryAfter: 5 },
  {
    pattern: /^(MASTERDOWN|NOREPLICAS|CLUSTERDOWN|TRYAGAIN)\b/,
    reason: "Redis refuses writes while its replication or cluster recovers",
    retryAfter: 5,
  },
];

export function storageRefusal(error: { message: string }): StorageRefusal | undefined {
  const rule = RULES.find((r) => r.pattern.test(error.message));
  return rule && { reason: rule.reason, retryAfter: rule.retryAfter, unreachable: rule.unreachable === true };
}
