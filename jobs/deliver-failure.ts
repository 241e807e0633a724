import type { DateTime } from "luxon";
import { backoffMs, decideAfterFailure } from "../src/domain/send-failure.ts";
import type { Logger } from "../src/logger.ts";
import type { ArticleStore, Outcome } from "../src/store/article-store.ts";
import type { ChatStore } from "../src/store/chat-store.ts";
import type { DeliveryErrorLog } from "../src/store/delivery-errors.ts";
import { describeFailure } from "./telegram-failure.ts";

/** Tries of one send inside a batch before the batch itself is retried later by BullMQ. */
export const SEND_TRIES = 3;

/** Thrown when a send failed SEND_TRIES times and BullMQ has attempts left: the batch goes again later. */
export class TransientSendError extends Error {}

/** What the send loop does after a failed send. */
export type NextStep =
  /** Telegram's 429: every worker pauses for `seconds`; the same try then goes again. */
  | { next: "wait"; seconds: number }
  /** The group became a supergroup: it moves, and the alert goes to its new id. */
  | { next: "move"; to: number }
  /** Telegram or the network is failing for now: try again after `afterMs`. */
  | { next: "retry"; afterMs: number }
  /** Final: the chat's outcome to record. */
  | { next: "settle"; outcome: Outcome };

/** One chat's send across its tries. */
export interface SendTries {
  seq: number;
  /** The chat as queued: its ledger entry and the admins' error notes go under this id. */
  chatId: number;
  /** The try under way, from 1. */
  attempt: number;
  /** The batch is on its last BullMQ attempt: nothing will retry it. */
  lastTry: boolean;
  /** The send was counted as ambiguous already; it counts once however often that happens. */
  ambiguousCounted: boolean;
}

export interface FailureDeps {
  articles: Pick<ArticleStore, "countAmbiguous">;
  chats: Pick<ChatStore, "deactivate">;
  logger: Logger;
  now: () => DateTime;
  /** Where the latest errors are kept for admins. */
  errors?: DeliveryErrorLog;
}

/**
 * Decides what follows a failed send to `targetId` by the delivery rules (decideAfterFailure), and
 * records what belongs to the failure itself: the log, the admins' error note, a chat that blocked
 * the bot or vanished made inactive, the ambiguous count. Throws when the whole batch must go back
 * to BullMQ: an error that is neither Telegram's nor the network's, or a send failed SEND_TRIES
 * times, unless this is the batch's last attempt.
 */
export async function handleFailure(
  error: unknown,
  tries: SendTries,
  targetId: number,
  deps: FailureDeps,
): Promise<NextStep> {
  const { seq, chatId } = tries;
  const failure = describeFailure(error);
  if (!failure) {
    // Not Telegram and not the network: our own bug or Redis. Retried with the batch, then recorded.
    if (!tries.lastTry) throw error;
    deps.logger.error({ seq, chatId, err: error }, "alert could not be sent");
    await noteError(deps, seq, chatId, "internal", error instanceof Error ? error.message : String(error));
    return { next: "settle", outcome: { kind: "failed", reason: "internal" } };
  }
  const decision = decideAfterFailure(failure);
  switch (decision.action) {
    case "wait-and-retry":
      return { next: "wait", seconds: decision.seconds };
    case "move-chat":
      return { next: "move", to: decision.to };
    case "deactivate":
      await deps.chats.deactivate(targetId);
      return { next: "settle", outcome: { kind: "failed", reason: decision.reason } };
    case "give-up":
      deps.logger.warn({ seq, chatId, err: failure }, "alert refused by Telegram");
      await noteError(deps, seq, chatId, decision.reason, failure.kind === "api" ? failure.description : "");
      return { next: "settle", outcome: { kind: "failed", reason: decision.reason } };
    case "retry-later":
      if (decision.ambiguous && !tries.ambiguousCounted) {
        tries.ambiguousCounted = true;
        await deps.articles.countAmbiguous(seq);
      }
      if (tries.attempt < SEND_TRIES) return { next: "retry", afterMs: backoffMs(tries.attempt) };
      if (tries.lastTry) return { next: "settle", outcome: { kind: "failed", reason: "unavailable" } };
      throw new TransientSendError(
        `sending to ${chatId} failed ${tries.attempt} times; the batch will be retried`,
      );
  }
}

/** Kept for admins' /stats; losing one of these notes is not worth failing a send over. */
async function noteError(
  deps: FailureDeps,
  seq: number,
  chatId: number,
  reason: string,
  description: string,
) {
  await deps.errors
    ?.record({ at: deps.now().toISO() ?? "", seq, chatId, reason, description })
    .catch((err: unknown) => deps.logger.warn({ err }, "could not note a delivery error"));
}
