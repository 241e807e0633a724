import type { SendFailure } from "./send-failure.ts";

/** What a failed pin or unpin comes to. */
export type PinDecision =
  | { action: "wait-and-retry"; seconds: number }
  | { action: "retry" }
  /** The bot may not pin there: the chat is told once how to grant the right; nothing is retried. */
  | { action: "refused" }
  /** The message is gone, the chat moved, or Telegram refused it otherwise: nothing to do. */
  | { action: "give-up" };

/**
 * The rules of pins, beside those of sends: a 429 waits, 5xx and the network go again a few
 * times, and a refusal for want of the right ("not enough rights to manage pinned messages",
 * CHAT_ADMIN_REQUIRED, 403) is final and told. Any other 400 (the message deleted meanwhile, a
 * group that became a supergroup) ends it: a pin is a courtesy the alert does not depend on.
 */
export function decideAfterPinFailure(failure: SendFailure): PinDecision {
  if (failure.kind === "network") return { action: "retry" };
  const { code, description } = failure;
  if (code === 429) return { action: "wait-and-retry", seconds: Math.max(1, failure.retryAfter ?? 1) };
  if (code === 403) return { action: "refused" };
  if (
    code === 400 &&
    /not enough rights|chat_admin_required|have no rights|need administrator rights/i.test(description)
  )
    return { action: "refused" };
  if (code >= 500 || code === 408 || code === 409) return { action: "retry" };
  return { action: "give-up" };
}
