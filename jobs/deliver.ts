import { setTimeout as delay } from "node:timers/promises";
import { DelayedError, type Job } from "bullmq";
import type { Api } from "grammy";
import type { DateTime } from "luxon";
import { targetClaims } from "../src/delivery/deliver-claim.ts";
import { handleFailure, type SendTries } from "../src/delivery/deliver-failure.ts";
import { forEachLimit } from "../src/delivery/for-each-limit.ts";
import type { DeliverJob } from "../src/delivery/queues.ts";
import { type AlertForm, alertLinks, alertSender, TEXT_ALERT } from "../src/delivery/send-alert.ts";
import { renderAlert, renderAlertCaption } from "../src/domain/alert.ts";
import type { Article } from "../src/domain/article.ts";
import type { ChatSettings } from "../src/domain/chat.ts";
import type { Language } from "../src/domain/language.ts";
import type { Logger } from "../src/logger.ts";
import type { ArticleControl, ArticleStore } from "../src/store/article-store.ts";
import type { CatalogStore } from "../src/store/catalog-store.ts";
import { migrateChat } from "../src/store/chat-migration.ts";
import type { ChatStore } from "../src/store/chat-store.ts";
import type { DeliveryErrorLog } from "../src/store/delivery-errors.ts";
import type { DeliveryLedger, Outcome, SettleEntry } from "../src/store/delivery-ledger.ts";
import { LedgerBatch } from "../src/store/ledger-batch.ts";
import type { MirrorStore } from "../src/store/mirror-store.ts";
import type { PictureStore } from "../src/store/picture-store.ts";
import {
  type AcquireOptions,
  LockLost,
  type RateLimiter,
  SendingStopped,
} from "../src/store/rate-limiter.ts";
import type { SubscriptionStore } from "../src/store/subscription-store.ts";

const ARTICLE_CACHE_SIZE = 64;
/** How stale a worker's view of a cancel or a correction may be: one Redis read per article this often. */
const CONTROL_TTL_MS = 250;

export interface DeliveryEvents {
  onSent?(seconds: number): void;
  onOutcome?(outcome: Outcome): void;
  onRateLimited?(): void;
}

export interface DeliverDeps {
  api: Api;
  articles: ArticleStore;
  deliveries: DeliveryLedger;
  pictures: PictureStore;
  chats: ChatStore;
  subscriptions: SubscriptionStore;
  catalog: CatalogStore;
  limiter: RateLimiter;
  label: string;
  readWord: (lang: Language) => string;
  /** The words of the "Read here" button. */
  readHereWord: (lang: Language) => string;
  /** The bot's @username, for the "Read here" links of groups and channels. */
  botUsername: () => Promise<string | undefined>;
  /** Every link of an alert goes through the admins' mirrors. */
  mirrors: Pick<MirrorStore, "current">;
  paidBroadcast: boolean;
  /** False: text alerts go without a link preview (LINK_PREVIEWS=false). */
  linkPreviews: boolean;
  /** How long one sender may take to upload an article's picture before another may (ms). */
  pictureUploadMs: number;
  /** Sends in flight at once within one batch. */
  concurrency: number;
  logger: Logger;
  now: () => DateTime;
  events?: DeliveryEvents;
  /** Where the latest errors are kept for admins. */
  errors?: DeliveryErrorLog;
  /** True once the process is shutting down: batches stop starting new sends. */
  stopping?: () => boolean;
  /** How often the stores' Redis connection has (re)connected: see the end of a batch. */
  connections?: () => number;
}

/** Thrown when the process stops: the chat is left for the next worker, unsent and unsettled. */
class HandBack extends Error {}

/** One delivery job under way. */
interface BatchRun {
  seq: number;
  item: Article;
  lastTry: boolean;
  /** The job's lock fences its sends; its priority orders them among this process's waiting sends. */
  slots: AcquireOptions;
  /** Chats whose alert goes without a sound. */
  silent: ReadonlySet<number>;
  /** Every outcome recorded for the job: the job ends once they are all in the ledger. */
  outcomes: Promise<unknown>[];
  /** The same outcomes, to record again if Redis failed over meanwhile. */
  settled: SettleEntry[];
  /** Another worker took the job over: no send starts any more. */
  lockLost: boolean;
}

/**
 * Sends one article's alert to a batch of chats. The ledger is read first, in one call, and the
 * outcomes are written in groups (LedgerBatch) as the sends end, so a retried batch skips every
 * chat that already has an outcome, and a crash repeats at most the sends not recorded yet.
 */
export function deliverProcessor(deps: DeliverDeps) {
  const { articles, deliveries, chats, limiter, logger } = deps;
  const ledger = new LedgerBatch(deliveries, () => deps.now().toISO() ?? "");
  const cache = new Map<number, { article: Article; revision: number }>();
  const controls = new Map<number, { at: number; value: Promise<ArticleControl> }>();
  const alerts = alertSender({ ...deps, uploadClaimMs: deps.pictureUploadMs });
  // Chats of one language and time zone see the same alert; rendering once per pair saves most of the CPU.
  const rendered = new Map<string, string | undefined>();

  function render(
    seq: number,
    revision: number,
    item: Article,
    chat: ChatSettings,
    as: "text" | "caption",
  ): string | undefined {
    const key = `${seq}|${revision}|${item.url}|${chat.lang}|${chat.timeZone}|${as}`;
    if (rendered.has(key)) return rendered.get(key);
    if (rendered.size >= 1024) rendered.clear();
    const readWord = deps.readWord(chat.lang);
    const html =
      as === "text"
        ? renderAlert(item, chat, deps.label, readWord)
        : renderAlertCaption(item, chat, deps.label, readWord);
    rendered.set(key, html);
    return html;
  }

  /** Whether the article was cancelled or corrected, shared by every send of this process. */
  function control(seq: number): Promise<ArticleControl> {
    const cached = controls.get(seq);
    if (cached && performance.now() - cached.at < CONTROL_TTL_MS) return cached.value;
    if (controls.size >= ARTICLE_CACHE_SIZE) controls.delete(controls.keys().next().value as number);
    const value = articles.control(seq);
    controls.set(seq, { at: performance.now(), value });
    value.catch(() => controls.delete(seq));
    return value;
  }

  /** The article at `revision` or later: a correction replaces the cached text. */
  async function article(seq: number, revision: number): Promise<Article | undefined> {
    const cached = cache.get(seq);
    if (cached && cached.revision >= revision) return cached.article;
    const found = await articles.get(seq);
    if (found) {
      if (cache.size >= ARTICLE_CACHE_SIZE) cache.delete(cache.keys().next().value as number);
      cache.set(seq, { article: found, revision });
    }
    return found;
  }

  /** Queues a chat's outcome for the ledger; the job waits for it before it ends. */
  function settle(run: BatchRun, chatId: number, outcome: Outcome): void {
    const recorded = ledger.settle(run.seq, chatId, outcome).then((first) => {
      if (first) deps.events?.onOutcome?.(outcome);
    });
    // Awaited with the rest of the job's outcomes; a failure fails the job there.
    recorded.catch(() => undefined);
    run.outcomes.push(recorded);
    run.settled.push({ seq: run.seq, chatId, outcome });
  }

  /**
   * A group became a supergroup mid-send: it migrates, and the send goes on at its new id, noted
   * first so that this article's fan-out does not queue it as well.
   */
  async function moveChat(seq: number, chat: ChatSettings, to: number): Promise<ChatSettings> {
    await deliveries.noteMovedChat(seq, to);
    await migrateChat(deps, chat.id, to);
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
    await deliveries.noteMovedChat(seq, to);
    return chats.get(to);
  }

  async function deliverOne(run: BatchRun, chatId: number, stored: ChatSettings | undefined) {
    const { seq, item } = run;
    const chat = stored ?? (await forwarded(seq, chatId));
    if (!chat?.active) return settle(run, chatId, { kind: "skipped", reason: "inactive" });
    let target = chat;
    const claim = targetClaims(deliveries, seq, chatId);
    const tries: SendTries = { seq, chatId, attempt: 1, lastTry: run.lastTry, ambiguousCounted: false };
    const silent = run.silent.has(chatId);
    // A chat that takes no pictures (a group that forbids media) gets the text alert.
    let textOnly = false;
    // The last slot went by while the send got ready: the next one need not wait for the chat's gap.
    let missed = false;
    for (; ; tries.attempt++) {
      if (deps.stopping?.()) throw new HandBack();
      if (run.lockLost) throw new LockLost();
      const claimed = await claim(target);
      if (claimed === "moved") return settle(run, chatId, { kind: "skipped", reason: "moved" });
      if (claimed === "done") return;
      const form: AlertForm = textOnly ? TEXT_ALERT : await alerts.form(seq, item);
      try {
        const validUntil = await limiter.acquire(target.id, target.kind !== "private", deps.stopping, {
          ...run.slots,
          missed,
        });
        missed = false;
        // An editor's cancel reaches sends already waiting for their slot.
        const ctl = await control(seq);
        if (ctl.stopped) return settle(run, chatId, { kind: "skipped", reason: "cancelled" });
        const stored = (await article(seq, ctl.revision)) ?? item;
        // The mirror map is kept in the process for a second: no round trip per send.
        const mirrors = await deps.mirrors.current();
        const { article: current, markup } = await alertLinks(
          seq,
          stored,
          target.id,
          chat.lang,
          mirrors,
          deps,
        );
        if (performance.now() >= validUntil) {
          // Sent now, it would go out with the sends of later slots (the reads after the slot
          // were slow, or the process stalled), and the job's lock may have lapsed meanwhile: a
          // new slot keeps the pace and asks Redis whose the job is.
          tries.attempt--;
          missed = true;
          continue;
        }
        const started = performance.now();
        try {
          const sent = await alerts.send(
            seq,
            target,
            current,
            form,
            {
              text: () => render(seq, ctl.revision, current, chat, "text") ?? "",
              caption: () => render(seq, ctl.revision, current, chat, "caption"),
            },
            { silent, markup },
          );
          deps.events?.onSent?.((performance.now() - started) / 1000);
          return settle(run, chatId, { kind: "sent", ...sent, chatId: target.id });
        } catch (error) {
          const asText = await alerts.afterFailure(seq, form, error);
          if (asText) {
            textOnly ||= asText === "chat";
            // The picture failed, not the chat: the text alert goes now and uses up no try.
            tries.attempt--;
            continue;
          }
          const step = await handleFailure(error, tries, target.id, deps);
          switch (step.next) {
            case "wait":
              deps.events?.onRateLimited?.();
              await limiter.pauseAll(step.seconds);
              // Waiting out a 429 uses up no try.
              tries.attempt--;
              continue;
            case "move":
              target = await moveChat(seq, target, step.to);
              continue;
            case "general":
              // The forum topic is gone: the same alert goes to General, using up no try.
              target = { ...target, threadId: undefined };
              tries.attempt--;
              continue;
            case "retry":
              await delay(step.afterMs);
              continue;
            case "settle":
              return settle(run, chatId, step.outcome);
          }
        }
      } finally {
        await alerts.release(seq, form);
      }
    }
  }

  return async (job: Job<DeliverJob>, token?: string): Promise<void> => {
    const { seq, chatIds } = job.data;
    const ctl = await control(seq);
    const item = await article(seq, ctl.revision);
    if (!item) {
      logger.warn({ seq }, "delivery for an article that is gone");
      return;
    }
    if (ctl.expired) {
      // Settling would recreate figures that expired; sending could repeat alerts the ledger forgot.
      logger.warn({ seq, chats: chatIds.length }, "delivery batch dropped: it came after the 48 h ledger");
      return;
    }
    const run: BatchRun = {
      seq,
      item,
      lastTry: job.attemptsMade + 1 >= (job.opts.attempts ?? 1),
      slots: {
        // BullMQ keeps the job's lock at <queue key>:<job id>:lock, holding the worker's token.
        ...(token !== undefined
          ? { fence: { lockKey: `${job.queueQualifiedName}:${job.id}:lock`, token } }
          : {}),
        ...(job.opts.priority !== undefined ? { priority: job.opts.priority } : {}),
      },
      silent: new Set(job.data.silent ?? []),
      outcomes: [],
      settled: [],
      lockLost: false,
    };
    const connections = deps.connections?.();
    let handedBack = false;
    try {
      const entries = await deliveries.ledgerEntries(seq, chatIds);
      // A chat already reached under its old id is counted here, without a second alert.
      for (const [chatId, value] of entries) {
        if (value === "=") settle(run, chatId, { kind: "skipped", reason: "moved" });
      }
      // "~": a group send a crash interrupted; it goes again (at-least-once).
      const pending = chatIds.filter((id) => !entries.has(id) || entries.get(id) === "~");
      if (pending.length === 0) return;
      if (ctl.stopped) {
        for (const chatId of pending) settle(run, chatId, { kind: "skipped", reason: "cancelled" });
        return;
      }
      const settings = await chats.getMany(pending);
      await forEachLimit(pending, deps.concurrency, async (chatId) => {
        try {
          await deliverOne(run, chatId, settings.get(chatId));
        } catch (error) {
          if (error instanceof LockLost) run.lockLost = true;
          else if (error instanceof HandBack || error instanceof SendingStopped) handedBack = true;
          else throw error;
        }
      });
    } finally {
      // Every outcome of the job is in the ledger before it ends, however it ends.
      await ledger.flush();
      await Promise.all(run.outcomes);
      if (connections !== deps.connections?.() && run.settled.length > 0) {
        // The connection was made anew during the batch, perhaps to a replica promoted after a
        // failover, which may lack the newest outcomes the old master had confirmed. Recorded
        // again, each missing one is counted now (the others are left as they are), so the
        // article still finishes and its corrections and retractions still reach those chats.
        await deliveries.settleMany(run.settled, deps.now().toISO() ?? "");
      }
    }
    if (run.lockLost) {
      // The new owner sends the rest; this worker recorded only what it sent.
      logger.warn({ seq, jobId: job.id }, "delivery batch taken over by another worker after a stall");
      throw new LockLost();
    }
    if (handedBack) {
      // The ledger lets the next worker skip what this one sent; no attempt is used up.
      await job.moveToDelayed(Date.now(), token);
      throw new DelayedError();
    }
  };
}
