import { setTimeout as delay } from "node:timers/promises";
import { DelayedError, type Job } from "bullmq";
import type { Api } from "grammy";
import type { DateTime } from "luxon";
import type { ChatSettings } from "../src/domain/chat.ts";
import type { DigestWords } from "../src/domain/digest.ts";
import type { Language } from "../src/domain/language.ts";
import type { Logger } from "../src/logger.ts";
import type { ArticleStore } from "../src/store/article-store.ts";
import type { CatalogStore } from "../src/store/catalog-store.ts";
import { migrateChat } from "../src/store/chat-migration.ts";
import type { ChatStore } from "../src/store/chat-store.ts";
import type { DeliveryErrorLog } from "../src/store/delivery-errors.ts";
import type { DigestLedger } from "../src/store/digest-ledger.ts";
import type { DigestInFlight, HeldStore } from "../src/store/held-store.ts";
import { type RateLimiter, SendingStopped } from "../src/store/rate-limiter.ts";
import type { SubscriptionStore } from "../src/store/subscription-store.ts";
import { handleFailure, type SendTries } from "./deliver-failure.ts";
import { digestItems, digestParts } from "./digest-render.ts";
import { digestJobId, type SendDigestJob } from "./queues.ts";

export interface SendDigestDeps {
  api: Api;
  articles: ArticleStore;
  chats: ChatStore;
  subscriptions: SubscriptionStore;
  catalog: CatalogStore;
  held: HeldStore;
  ledger: DigestLedger;
  limiter: RateLimiter;
  label: string;
  words: (lang: Language) => DigestWords;
  logger: Logger;
  now: () => DateTime;
  errors?: DeliveryErrorLog;
  stopping?: () => boolean;
  /** One call per digest sent: its messages and articles. */
  onSent?: (parts: number, items: number) => void;
}

/**
 * How stale a worker's view of an article may be when it renders a digest: thousands of digests
 * at one time hold the same articles, read from Redis once per this interval, not once per chat.
 */
const ARTICLE_TTL_MS = 1000;
const ARTICLE_CACHE_SIZE = 512;

/** Thrown when the process stops: the digest stays in flight for the next worker. */
class HandBack extends Error {}

/**
 * Sends one chat's digest. The held items are claimed first (moved in flight under this job),
 * rendered once and kept, and each message is noted as sent right after Telegram answers: a
 * retried or later job resumes from there, so nothing held is lost and at most the message in
 * flight when a worker died goes twice. Each message takes a slot of the global rate limiter
 * and the chat's gap, like an alert; failures are handled as for alerts.
 */
export function sendDigestProcessor(deps: SendDigestDeps) {
  const { held, chats, logger } = deps;
  const cached = new Map<string, { at: number; value: Promise<unknown> }>();
  function remember<T>(key: string, read: () => Promise<T>): Promise<T> {
    const hit = cached.get(key);
    if (hit && performance.now() - hit.at < ARTICLE_TTL_MS) return hit.value as Promise<T>;
    if (cached.size >= ARTICLE_CACHE_SIZE) cached.delete(cached.keys().next().value as string);
    const value = read();
    cached.set(key, { at: performance.now(), value });
    value.catch(() => cached.delete(key));
    return value;
  }
  const articles: Pick<ArticleStore, "get" | "control"> = {
    get: (seq) => remember(`a${seq}`, () => deps.articles.get(seq)),
    control: (seq) => remember(`c${seq}`, () => deps.articles.control(seq)),
  };

  async function readerOf(chatId: number, flight: DigestInFlight): Promise<ChatSettings | undefined> {
    const id = flight.target ?? chatId;
    const found = await chats.get(id);
    if (found) return found;
    const to = await chats.movedTo(id);
    return to === undefined ? undefined : chats.get(to);
  }

  /** Sends one message; its message id, or undefined when the chat is out of reach for good. */
  async function sendPart(
    chatId: number,
    reader: { target: ChatSettings },
    html: string,
    lastTry: boolean,
  ): Promise<number | undefined> {
    const tries: SendTries = { seq: 0, chatId, attempt: 1, lastTry, ambiguousCounted: true };
    for (; ; tries.attempt++) {
      if (deps.stopping?.()) throw new HandBack();
      const target = reader.target;
      await deps.limiter.acquire(target.id, target.kind !== "private", deps.stopping);
      try {
        const sent = await deps.api.sendMessage(target.id, html, {
          parse_mode: "HTML",
          // Many links in one message: a preview of the first would push the others down.
          link_preview_options: { is_disabled: true },
          ...(target.threadId !== undefined ? { message_thread_id: target.threadId } : {}),
        });
        return sent.message_id;
      } catch (error) {
        const step = await handleFailure(error, tries, target.id, deps);
        switch (step.next) {
          case "wait":
            await deps.limiter.pauseAll(step.seconds);
            tries.attempt--;
            continue;
          case "move": {
            await migrateChat(deps, target.id, step.to);
            await held.setTarget(chatId, step.to);
            reader.target = (await chats.get(step.to)) ?? { ...target, id: step.to, kind: "group" };
            continue;
          }
          case "general":
            reader.target = { ...target, threadId: undefined };
            tries.attempt--;
            continue;
          case "retry":
            await delay(step.afterMs);
            continue;
          case "settle":
            return undefined;
        }
      }
    }
  }

  return async (job: Job<SendDigestJob>, token?: string): Promise<void> => {
    const { chatId } = job.data;
    const jobId = job.id ?? digestJobId(chatId, job.data.dueMs);
    const flight = await held.take(chatId, jobId);
    if (!flight) return;
    const chat = await readerOf(chatId, flight);
    if (!chat?.active) {
      // The reader left (/stop) or blocked the bot: what was held for them goes nowhere.
      await held.finish(chatId);
      logger.info({ chatId, items: flight.items.length }, "digest dropped: the chat is gone or inactive");
      return;
    }
    let parts = flight.parts;
    if (!parts) {
      const items = await digestItems(articles, flight.items);
      if (items.length === 0 && flight.fellOut === 0) {
        await held.finish(chatId);
        return;
      }
      // Chats of one language and zone holding the same articles get the same digest: rendered once.
      const key = `r${chat.lang}|${chat.timeZone}|${flight.fellOut}|${items.map((i) => i.seq).join(",")}`;
      const rendered = await remember(key, async () =>
        digestParts(items, chat, flight.fellOut, deps.label, deps.words(chat.lang)),
      );
      parts = await held.saveParts(chatId, rendered);
    }
    const lastTry = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    const reader = { target: chat };
    try {
      for (const [index, part] of parts.entries()) {
        if (flight.sent.has(index)) continue;
        // A later job for this chat took the digest over: it sends the rest.
        if ((await held.owner(chatId)) !== jobId) return;
        const messageId = await sendPart(chatId, reader, part.html, lastTry);
        if (messageId === undefined) {
          await held.finish(chatId);
          logger.info({ chatId }, "digest dropped: Telegram refused it for good");
          return;
        }
        await held.markPartSent(chatId, index, messageId);
        flight.sent.set(index, messageId);
      }
    } catch (error) {
      if (!(error instanceof HandBack || error instanceof SendingStopped)) throw error;
      // What was sent is noted: the next worker sends the rest. No attempt is used up.
      await job.moveToDelayed(Date.now(), token);
      throw new DelayedError();
    }
    const breaking = new Map(flight.items.map((item) => [item.seq, item.breaking]));
    await deps.ledger.record(
      parts.flatMap((part, index) => {
        const messageId = flight.sent.get(index);
        if (messageId === undefined) return [];
        return [
          {
            chatId,
            targetId: reader.target.id,
            messageId,
            lang: chat.lang,
            zone: chat.timeZone,
            lines: part.seqs.map((seq) => ({ seq, breaking: breaking.get(seq) ?? false })),
            fellOut: index === 0 ? flight.fellOut : 0,
          },
        ];
      }),
    );
    await held.finish(chatId);
    deps.onSent?.(parts.length, flight.items.length);
  };
}
