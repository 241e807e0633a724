/** What went wrong with one send, as the Bot API or the network said it. */
export type SendFailure =
  | { kind: "api"; code: number; description: string; retryAfter?: number; migrateTo?: number }
  | { kind: "network"; requestLeft: boolean };

/** What delivery does about it; one rule for every worker. */
export type SendDecision =
  | { action: "wait-and-retry"; seconds: number }
  | { action: "move-chat"; to: number }
  /** A forum group's topic was deleted or closed: the group's alerts go to General from now on. */
  | { action: "fall-back-to-general" }
  | { action: "deactivate"; reason: "blocked" | "not_found" }
  | { action: "give-up"; reason: "bad_request" }
  | { action: "retry-later"; ambiguous: boolean };

/**
 * The delivery rules of the design: 429 waits for everyone, 403 and a vanished chat stop
 * alerts to that chat, a migrated group moves, a group whose topic is gone falls back to
 * General, other 400s are final, 5xx and network
 * errors are retried. A request that left but got no answer may have been delivered; it is
 * retried too (at-least-once), because a missed alert costs a reader more than a repeat.
 */
export function decideAfterFailure(failure: SendFailure): SendDecision {
  if (failure.kind === "network") return { action: "retry-later", ambiguous: failure.requestLeft };
  const { code, description } = failure;
  if (code === 429) return { action: "wait-and-retry", seconds: Math.max(1, failure.retryAfter ?? 1) };
  if (failure.migrateTo !== undefined) return { action: "move-chat", to: failure.migrateTo };
  if (code === 403) return { action: "deactivate", reason: "blocked" };
  if (code === 400 && /message thread not found|topic_deleted|topic_closed/i.test(description)) {
    return { action: "fall-back-to-general" };
  }
  if (code === 400 && /chat not found|user not found|chat_id is empty|peer_id_invalid/i.test(description)) {
    return { action: "deactivate", reason: "not_found" };
  }
  if (
    code === 400 &&
    /bot was kicked|have no rights|not enough rights|need administrator rights|deactivated/i.test(description)
  ) {
    return { action: "deactivate", reason: "blocked" };
  }
  if (code >= 500 || code === 408 || code === 409) return { action: "retry-later", ambiguous: false };
  return { action: "give-up", reason: "bad_request" };
}

/** Exponential backoff with a cap, for retries of one send inside a batch. */
export function backoffMs(attempt: number, baseMs = 500, capMs = 8000): number {
  return Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
}
