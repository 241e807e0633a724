import type { Queue } from "bullmq";
import type { Api } from "grammy";
import type { ChatSettings } from "../domain/chat.ts";
import type { Language } from "../domain/language.ts";
import { decideAfterPinFailure } from "../domain/pin-failure.ts";
import type { Logger } from "../logger.ts";
import type { ChatStore } from "../store/chat-store.ts";
import type { PinStore } from "../store/pin-store.ts";
import type { RateLimiter } from "../store/rate-limiter.ts";
import type { PinJob, PinJobName } from "./queues.ts";
import { unpinJobId } from "./queues.ts";
import { callUnderPolicy } from "./send-under-policy.ts";
import { describeFailure } from "./telegram-failure.ts";

/** Tries of one pin or unpin when Telegram or the network fails for now. */
const PIN_TRIES = 3;
/**
 * The pin record outlives the delayed unpin by this much, so that the unpin still finds it when
 * the workers were down for up to a day past its time; a record gone, the pin would stay.
 */
const RECORD_MARGIN_MS = 24 * 3600 * 1000;

/** What a pin or unpin came to: done, refused for want of the right, or given up. */
type PinResult = "done" | "refused" | "given-up";

/** A group or channel whose admins asked for breaking news pinned; private chats never pin. */
export function pinsBreaking(chat: Pick<ChatSettings, "kind" | "options">): boolean {
  return chat.kind !== "private" && chat.options?.pinBreaking === true;
}

export interface PinDeps {
  api: Pick<Api, "pinChatMessage" | "unpinChatMessage" | "sendMessage">;
  pins: PinStore;
  chats: Pick<ChatStore, "get" | "userChannels">;
  /** Pins and unpins take their slots as sends do: they count against the chat's and the global pace. */
  limiter: Pick<RateLimiter, "acquire" | "pauseAll">;
  /** Where the unpin after PIN_HOURS is queued. */
  queue: Pick<Queue<PinJob, void, PinJobName>, "add">;
  pinHours: number;
  translate: (lang: Language, key: string, vars?: Record<string, string | number>) => string;
  logger: Logger;
  stopping?: () => boolean;
}

/**
 * Pins a group's or channel's breaking alerts, one at a time: the bot's previous pin there is
 * unpinned, and each pin goes after PIN_HOURS, or when its article is retracted. A chat where
 * the bot may not pin is told once how to grant the right; nothing about a pin ever fails an alert.
 */
export class Pinner {
  constructor(private readonly deps: PinDeps) {}

  /** The "pin" job: pins the alert silently and makes it the chat's only pin of the bot's. */
  async pin({ seq, chatId, messageId }: PinJob): Promise<void> {
    const { deps } = this;
    const result = await this.call(chatId, () =>
      deps.api.pinChatMessage(chatId, messageId, { disable_notification: true }),
    );
    if (result === "refused") return this.tellRefused(chatId);
    if (result !== "done") return;
    await deps.pins.clearRefusalNotice(chatId);
    const pinMs = deps.pinHours * 3600 * 1000;
    const recorded = await deps.pins.record(chatId, { messageId, seq }, pinMs + RECORD_MARGIN_MS);
    if (!recorded.recorded) {
      // A newer breaking alert got pinned first: it stays, and this one goes.
      await this.call(chatId, () => deps.api.unpinChatMessage(chatId, messageId));
      return;
    }
    const previous = recorded.previous;
    if (previous && previous.messageId !== messageId)
      await this.call(chatId, () => deps.api.unpinChatMessage(chatId, previous.messageId));
    await deps.queue.add(
      "unpin",
      { seq, chatId, messageId },
      { jobId: unpinJobId(chatId, messageId), delay: pinMs },
    );
  }

  /**
   * Unpins the alert if it is still the bot's pin in the chat (the "unpin" job after PIN_HOURS,
   * and a retraction): a pin an admin made since, or a newer breaking alert's, is left alone.
   */
  async unpinIfCurrent(chatId: number, messageId: number): Promise<void> {
    const { deps } = this;
    if ((await deps.pins.current(chatId))?.messageId !== messageId) return;
    await this.call(chatId, () => deps.api.unpinChatMessage(chatId, messageId));
    await deps.pins.forget(chatId, messageId);
  }

  /** One pin or unpin under the send policy, with the failure rules of pins. */
  private call(chatId: number, call: () => Promise<unknown>): Promise<PinResult> {
    const { deps } = this;
    return callUnderPolicy<PinResult>(
      { limiter: deps.limiter, stopping: deps.stopping, tries: PIN_TRIES },
      chatId,
      call,
      "done",
      {
        failed: async (error) => {
          const failure = describeFailure(error);
          if (!failure) throw error;
          const decision = decideAfterPinFailure(failure);
          if (decision.action === "wait-and-retry") return { next: "wait", seconds: decision.seconds };
          if (decision.action === "retry") return { next: "retry" };
          if (decision.action === "refused") return { next: "settle", outcome: "refused" };
          deps.logger.info({ chatId, err: failure }, "pin or unpin given up");
          return { next: "settle", outcome: "given-up" };
        },
        exhausted: () => "given-up",
      },
    );
  }

  /**
   * Told once (until a pin goes through or the setting changes): a group in the group, a channel
   * in the private chat of the person who connected it. The setting stays as it is.
   */
  private async tellRefused(chatId: number): Promise<void> {
    const { deps } = this;
    const chat = await deps.chats.get(chatId);
    if (!chat || !(await deps.pins.claimRefusalNotice(chatId))) return;
    deps.logger.info({ chatId }, "the bot may not pin breaking news in a chat that asked for it");
    let to = chat.id;
    let text = deps.translate(chat.lang, "pin-refused-group");
    if (chat.kind === "channel") {
      if (chat.connectedBy === undefined) return;
      const [titles, owner] = await Promise.all([
        deps.chats.userChannels(chat.connectedBy),
        deps.chats.get(chat.connectedBy),
      ]);
      to = chat.connectedBy;
      text = deps.translate(owner?.lang ?? chat.lang, "pin-refused-channel", {
        title: titles.get(chat.id) ?? String(chat.id),
      });
    }
    try {
      await deps.limiter.acquire(to, to < 0);
      const thread =
        to === chat.id && chat.threadId !== undefined ? { message_thread_id: chat.threadId } : {};
      await deps.api.sendMessage(to, text, thread);
    } catch (err) {
      // A courtesy: failing to deliver it fails nothing else.
      deps.logger.warn({ chatId: to, err }, "could not tell a chat that the bot may not pin there");
    }
  }
}
