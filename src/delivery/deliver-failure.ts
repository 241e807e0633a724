import { GrammyError } from "grammy";
import type { DateTime } from "luxon";
import { decideAfterFailure } from "../domain/send-failure.ts";
import type { Logger } from "../logger.ts";
import type { ChatStore } from "../store/chat-store.ts";
import type { DeliveryErrorLog } from "../store/delivery-errors.ts";
import type { DeliveryLedger, Outcome } from "../store/delivery-ledger.ts";
import { type NoticeDeps, tellChannelLost, tellTopicGone } from "../telegram/reach-notices.ts";
import type { PolicyStep } from "./send-under-policy.ts";
import { describeFailure } from "./telegram-failure.ts";

/** Tries of one send inside a batch before the batch itself is retried later by BullMQ. */
export const SEND_TRIES = 3;

/** Thrown when a send failed SEND_TRIES times and BullMQ has attempts left: the batch goes again later. */
export class TransientSendError extends Error {}

/** What the send loop does after a failed alert or digest send (the policy's steps, with an outcome). */
export type NextStep = PolicyStep<Outcome>;

/** One chat's send across its tries. */
export interface SendTries {
  seq: number;
  /** The chat as queued: its ledger entry and the admins' error notes go under this id. */
  chatId: number;
  /** The batch is on its last BullMQ attempt: nothing will retry it. */
  lastTry: boolean;
  /** The send was counted as ambiguous already; it counts once however often that happens. */
  ambiguousCounted: boolean;
  /** The send went to General after its topic was gone; there is nowhere left to fall back to. */
  inGeneral?: boolean;
}

export interface FailureDeps extends NoticeDeps {
  deliveries: Pick<DeliveryLedger, "countAmbiguous">;
  chats: NoticeDeps["chats"] & Pick<ChatStore, "deactivate" | "clearThread">;
  logger: Logger;
  now: () => DateTime;
  /** Where the latest errors are kept for admins. */
  errors?: DeliveryErrorLog;
}

/**
 * Decides what follows a failed send to `targetId` by the delivery rules (decideAfterFailure), and
 * records what belongs to the failure itself: the log, the admins' error note, a chat that blocked
 * the bot or vanished made inactive (a channel's connector told), a forum group whose topic is gone
 * sent to General (the group told), the ambiguous count. Throws when the whole batch must go back
 * to BullMQ: an error that is neither Telegram's nor the network's, unless this is the batch's
 * last attempt. How often a failure for now is tried again is the send policy's (exhaustedSend).
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
    case "deactivate": {
      await deps.chats.deactivate(targetId);
      const chat = await deps.chats.get(targetId);
      if (chat) await tellChannelLost(deps, chat);
      return { next: "settle", outcome: { kind: "failed", reason: decision.reason } };
    }
    case "fall-back-to-general": {
      if (tries.inGeneral) {
        deps.logger.warn({ seq, chatId, err: failure }, "alert refused in General too");
        return { next: "settle", outcome: { kind: "failed", reason: "bad_request" } };
      }
      tries.inGeneral = true;
      const thread = threadOf(error);
      // Only the first send to find the topic gone clears it, so the group is told once.
      if (thread !== undefined && (await deps.chats.clearThread(targetId, thread))) {
        const group = await deps.chats.get(targetId);
        if (group) await tellTopicGone(deps, group);
      }
      return { next: "general" };
    }
    case "give-up":
      deps.logger.warn({ seq, chatId, err: failure }, "alert refused by Telegram");
      await noteError(deps, seq, chatId, decision.reason, failure.kind === "api" ? failure.description : "");
      return { next: "settle", outcome: { kind: "failed", reason: decision.reason } };
    case "retry-later":
      if (decision.ambiguous && !tries.ambiguousCounted) {
        tries.ambiguousCounted = true;
        await deps.deliveries.countAmbiguous(seq);
      }
      return { next: "retry" };
  }
}

/**
 * A send failed SEND_TRIES times for now: on the batch's last attempt it is recorded as failed;
 * otherwise the whole batch goes back to BullMQ, to try again later.
 */
export function exhaustedSend(tries: SendTries): Outcome {
  if (tries.lastTry) return { kind: "failed", reason: "unavailable" };
  throw new TransientSendError(
    `sending to ${tries.chatId} failed ${SEND_TRIES} times; the batch will be retried`,
  );
}

/** The forum topic a refused send was addressed to. */
function threadOf(error: unknown): number | undefined {
  const thread = error instanceof GrammyError ? error.payload.message_thread_id : undefined;
  return typeof thread === "number" ? thread : undefined;
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
