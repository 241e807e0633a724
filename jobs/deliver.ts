import { setTimeout as delay } from "node:timers/promises";
import { DelayedError, type Job } from "bullmq";
import { type Api, GrammyError, HttpError } from "grammy";
import type { DateTime } from "luxon";
import { renderAlert } from "../src/domain/alert.ts";
import type { Article } from "../src/domain/article.ts";
import type { Language } from "../src/domain/catalog.ts";
import type { ChatSettings } from "../src/domain/chat.ts";
import { backoffMs, decideAfterFailure, type SendFailure } from "../src/domain/send-failure.ts";
import type { Logger } from "../src/logger.ts";
import type { ArticleStore, Outcome } from "../src/store/article-store.ts";
import type { CatalogStore } from "../src/store/catalog-store.ts";
import type { ChatStore } from "../src/store/chat-store.ts";
import { type RateLimiter, SendingStopped } from "../src/store/rate-limiter.ts";
import type { SubscriptionStore } from "../src/store/subscription-store.ts";
import type { DeliverJob } from "./queues.ts";

/** Tries of one send inside a batch before the batch itself is retried later by BullMQ. */
const SEND_TRIES = 3;
const ARTICLE_CACHE_SIZE = 64;

export interface DeliveryEvents {
  onSent?(seconds: number): void;
  onOutcome?(outcome: Outcome): void;
  onRateLimited?(): void;
}

export interface DeliverDeps {
  api: Api;
  articles: ArticleStore;
  chats: ChatStore;
  subscriptions: SubscriptionStore;
  catalog: CatalogStore;
  limiter: RateLimiter;
  label: string;
  readWord: (lang: Language) => string;
  paidBroadcast: boolean;
  /** Sends in flight at once within one batch. */
  concurrency: number;
  logger: Logger;
  now: () => DateTime;
  events?: DeliveryEvents;
  /** True once the process is shutting down: batches stop starting new sends. */
  stopping?: () => boolean;
}

class TransientSendError extends Error {}
/** Thrown when the process stops: the chat is left for the next worker, unsent and unsettled. */
class HandBack extends Error {}

function describeFailure(error: unknown): SendFailure | undefined {
  if (error instanceof GrammyError) {
    return {
      kind: "api",
      code: error.error_code,
      description: error.description,
      retryAfter: error.parameters.retry_after,
      migrateTo: error.parameters.migrate_to_chat_id,
    };
  }
  if (error instanceof HttpError) {
    const code = (error.error as { code?: string } | undefined)?.code ?? "";
    // Refused before connecting: Telegram never saw the request, so a retry cannot duplicate.
    const neverLeft = ["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"].includes(
      code,
    );
    return { kind: "network", requestLeft: !neverLeft };
  }
  return undefined;
}

/** Runs `work` over `items`, `limit` at a time; every item is tried before the first error is rethrown. */
async function forEachLimit<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>) {
  let next = 0;
  let firstError: unknown;
  const lane = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      try {
        await work(item);
      } catch (error) {
        firstError ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  if (firstError !== undefined) throw firstError;
}

/**
 * Sends one article's alert to a batch of chats. The ledger is read first and written after
 * every send, so a retried batch skips every chat that already has an outcome.
 */
export function deliverProcessor(deps: DeliverDeps) {
  const { api, articles, chats, subscriptions, catalog, limiter, logger } = deps;
  const cache = new Map<number, Article>();
  // Chats of one language and time zone see the same alert; rendering once per pair saves most of the CPU.
  const rendered = new Map<string, string>();

  function alertText(seq: number, item: Article, chat: ChatSettings): string {
    const key = `${seq}|${chat.lang}|${chat.timeZone}`;
    let text = rendered.get(key);
    if (text === undefined) {
      if (rendered.size >= 1024) rendered.clear();
      text = renderAlert(item, chat, deps.label, deps.readWord(chat.lang));
      rendered.set(key, text);
    }
    return text;
  }

  async function article(seq: number): Promise<Article | undefined> {
    const cached = cache.get(seq);
    if (cached) return cached;
    const found = await articles.get(seq);
    if (found) {
      if (cache.size >= ARTICLE_CACHE_SIZE) cache.delete(cache.keys().next().value as number);
      cache.set(seq, found);
    }
    return found;
  }

  async function settle(seq: number, chatId: number, outcome: Outcome): Promise<void> {
    if (await articles.settle(seq, chatId, outcome, deps.now().toISO() ?? ""))
      deps.events?.onOutcome?.(outcome);
  }

  async function moveChat(seq: number, chat: ChatSettings, to: number): Promise<ChatSettings> {
    await articles.noteMovedChat(seq, to);
    const slugs = (await catalog.all()).map((e) => e.slug);
    await subscriptions.moveChat(chat.id, to, slugs);
    await chats.move(chat.id, to);
    logger.info({ from: chat.id, to }, "group migrated to a supergroup; subscriptions moved");
    return (await chats.get(to)) ?? { ...chat, id: to, kind: "group" };
  }

  /**
   * Settings for a chat queued before it moved are gone; its alert goes to the new id, once:
   * the new id is noted first, so this article's fan-out does not queue it as well.
   */
  async function forwarded(seq: number, chatId: number): Promise<ChatSettings | undefined> {
    const to = await chats.movedTo(chatId);
    if (to === undefined) return undefined;
    await articles.noteMovedChat(seq, to);
    return chats.get(to);
  }

  async function deliverOne(
    seq: number,
    item: Article,
    chatId: number,
    stored: ChatSettings | undefined,
    lastTry: boolean,
  ) {
    const chat = stored ?? (await forwarded(seq, chatId));
    if (!chat?.active) return settle(seq, chatId, { kind: "skipped", reason: "inactive" });
    let target = chat;
    let ambiguousCounted = false;
    let claimedId = chatId;
    let ownClaimed = false;
    const text = alertText(seq, item, chat);
    for (let attempt = 1; ; attempt++) {
      if (deps.stopping?.()) throw new HandBack();
      // Under a new id the group may get this article from another batch too: one of them claims it.
      if (target.id !== claimedId) {
        if (!(await articles.claimAlias(seq, target.id)))
          return settle(seq, chatId, { kind: "skipped", reason: "moved" });
        claimedId = target.id;
      } else if (target.kind !== "private" && !ownClaimed) {
        // Groups can migrate, so the same group may also sit in this article's batches under its
        // new id: claim it right before sending, so only one of them sends.
        const claim = await articles.claimGroup(seq, chatId);
        if (claim === "moved") return settle(seq, chatId, { kind: "skipped", reason: "moved" });
        if (claim === "done") return;
        ownClaimed = true;
      }
      await limiter.acquire(target.id, target.kind !== "private", deps.stopping);
      const started = performance.now();
      try {
        const message = await api.sendMessage(target.id, text, {
          parse_mode: "HTML",
          ...(deps.paidBroadcast ? { allow_paid_broadcast: true } : {}),
        });
        deps.events?.onSent?.((performance.now() - started) / 1000);
        return settle(seq, chatId, { kind: "sent", messageId: message.message_id, chatId: target.id });
      } catch (error) {
        const failure = describeFailure(error);
        if (!failure) {
          // Not Telegram and not the network: our own bug or Redis. Retried with the batch, then recorded.
          if (!lastTry) throw error;
          logger.error({ seq, chatId, err: error }, "alert could not be sent");
          return settle(seq, chatId, { kind: "failed", reason: "internal" });
        }
        const decision = decideAfterFailure(failure);
        switch (decision.action) {
          case "wait-and-retry":
            deps.events?.onRateLimited?.();
            await limiter.pauseAll(decision.seconds);
            attempt--;
            continue;
          case "move-chat":
            target = await moveChat(seq, target, decision.to);
            continue;
          case "deactivate":
            await chats.deactivate(target.id);
            return settle(seq, chatId, { kind: "failed", reason: decision.reason });
          case "give-up":
            logger.warn({ seq, chatId, err: failure }, "alert refused by Telegram");
            return settle(seq, chatId, { kind: "failed", reason: decision.reason });
          case "retry-later":
            if (decision.ambiguous && !ambiguousCounted) {
              ambiguousCounted = true;
              await articles.countAmbiguous(seq);
            }
            if (attempt < SEND_TRIES) {
              await delay(backoffMs(attempt));
              continue;
            }
            if (lastTry) return settle(seq, chatId, { kind: "failed", reason: "unavailable" });
            throw new TransientSendError(
              `sending to ${chatId} failed ${attempt} times; the batch will be retried`,
            );
        }
      }
    }
  }

  return async (job: Job<DeliverJob>, token?: string): Promise<void> => {
    const { seq, chatIds } = job.data;
    const item = await article(seq);
    if (!item) {
      logger.warn({ seq }, "delivery for an article that is gone");
      return;
    }
    const entries = await articles.ledgerEntries(seq, chatIds);
    // A chat already reached under its old id is counted here, without a second alert.
    for (const [chatId, value] of entries) {
      if (value === "=") await settle(seq, chatId, { kind: "skipped", reason: "moved" });
    }
    // "~": a group send a crash interrupted; it goes again (at-least-once).
    const pending = chatIds.filter((id) => !entries.has(id) || entries.get(id) === "~");
    if (pending.length === 0) return;
    const settings = await chats.getMany(pending);
    const lastTry = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    let handedBack = false;
    await forEachLimit(pending, deps.concurrency, async (chatId) => {
      try {
        await deliverOne(seq, item, chatId, settings.get(chatId), lastTry);
      } catch (error) {
        if (!(error instanceof HandBack || error instanceof SendingStopped)) throw error;
        handedBack = true;
      }
    });
    if (handedBack) {
      // The ledger lets the next worker skip what this one sent; no attempt is used up.
      await job.moveToDelayed(Date.now(), token);
      throw new DelayedError();
    }
  };
}
