import type { SendFailure } from "./send-failure.ts";

/** Telegram lets a bot edit or delete its message for 48 hours; the ledger keeps message ids as long. */
export const REVISION_WINDOW_HOURS = 48;

export type RevisionKind = "correct" | "retract";

/** Why one chat's alert could not be edited or deleted. */
export type RevisionFailureReason = "too_old" | "gone" | "chat_unavailable" | "unavailable" | "refused";

export type RevisionDecision =
  | { action: "done" }
  | { action: "wait-and-retry"; seconds: number }
  | { action: "retry" }
  | { action: "failed"; reason: RevisionFailureReason };

/**
 * After a failed edit or delete: "not modified" means the alert already reads as corrected;
 * a message the reader deleted is gone; a chat that blocked the bot is out of reach; a message
 * past the window cannot be touched; 429 waits for everyone; 5xx and network errors retry.
 */
export function decideAfterRevisionFailure(failure: SendFailure): RevisionDecision {
  if (failure.kind === "network") return { action: "retry" };
  const { code, description } = failure;
  if (code === 429) return { action: "wait-and-retry", seconds: Math.max(1, failure.retryAfter ?? 1) };
  if (code === 400 && /message is not modified/i.test(description)) return { action: "done" };
  if (code === 400 && /can't be (deleted|edited)|too old/i.test(description))
    return { action: "failed", reason: "too_old" };
  if (code === 400 && /message to (delete|edit) not found|message_id_invalid/i.test(description))
    return { action: "failed", reason: "gone" };
  if (code === 403 || (code === 400 && /chat not found|kicked|deactivated|upgraded/i.test(description)))
    return { action: "failed", reason: "chat_unavailable" };
  if (code >= 500 || code === 408) return { action: "retry" };
  return { action: "failed", reason: "refused" };
}

export function isWithinRevisionWindow(sentAtMs: number, nowMs: number): boolean {
  return nowMs - sentAtMs < REVISION_WINDOW_HOURS * 3600 * 1000;
}

/**
 * Whether Telegram still lets the bot change an article's alerts: 48 hours from the first send,
 * or, before any went out, from when the article was recorded (else its own publication time).
 */
export function canStillRevise(
  figures: { firstSentAt?: string | undefined; publishedAt?: string | undefined },
  articlePublishedAt: string,
  nowMs: number,
): boolean {
  const sentAt = Date.parse(figures.firstSentAt ?? figures.publishedAt ?? articlePublishedAt);
  return isWithinRevisionWindow(sentAt, nowMs);
}
