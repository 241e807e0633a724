import { DelayedError, type Job } from "bullmq";
import type { Api } from "grammy";
import { LRUCache } from "lru-cache";
import type { DateTime } from "luxon";
import { exhaustedSend, handleFailure, SEND_TRIES, type SendTries } from "../src/delivery/deliver-failure.ts";
import {
  type DigestLinks,
  digestItems,
  digestParts,
  renderDigestMessage,
} from "../src/delivery/digest-render.ts";
import { type SettleDeps, settleDigest } from "../src/delivery/ledger-walk.ts";
import { digestJobId, type SendDigestJob } from "../src/delivery/queues.ts";
import { sendUnderPolicy } from "../src/delivery/send-under-policy.ts";
import type { ChatSettings } from "../src/domain/chat.ts";
import type { DigestWords } from "../src/domain/digest.ts";
import type { Language } from "../src/domain/language.ts";
import type { Logger } from "../src/logger.ts";
import type { ArticleStore } from "../src/store/article-store.ts";
import type { CatalogStore } from "../src/store/catalog-store.ts";
import { migrateChat } from "../src/store/chat-migration.ts";
import type { ChatStore } from "../src/store/chat-store.ts";
import type { DeliveryErrorLog } from "../src/store/delivery-errors.ts";
import type { DeliveryLedger } from "../src/store/delivery-ledger.ts";
import type { DigestLedger, DigestMessage } from "../src/store/digest-ledger.ts";
import type { DigestInFlight, DigestPart, HeldStore } from "../src/store/held-store.ts";
import { type RateLimiter, SendingStopped } from "../src/store/rate-limiter.ts";
import type { SubscriptionStore } from "../src/store/subscription-store.ts";

export interface SendDigestDeps {
  api: Api;
  articles: ArticleStore;
  /** Where a send whose fate is unknown is counted, as for alerts. */
  deliveries: Pick<DeliveryLedger, "countAmbiguous">;
  chats: ChatStore;
  subscriptions: SubscriptionStore;
  catalog: CatalogStore;
  held: HeldStore;
  ledger: DigestLedger;
  limiter: RateLimiter;
  label: string;
  words: (lang: Language) => DigestWords;
  /** The mirrors and the bot's name the lines' links are rendered with. */
  links: () => Promise<DigestLinks>;
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

/** A digest message as rendered, with the revision count read before the rendering. */
interface Rendered {
  html: string;
  revisions: number;
}

/** One chat's digest under way. */
interface DigestRun {
  chatId: number;
  jobId: string;
  chat: ChatSettings;
  flight: DigestInFlight;
  parts: DigestPart[];
  /** Where the messages go: a group that migrates moves it. */
  reader: { target: ChatSettings };
  lastTry: boolean;
  /** What a part holds, as the ledger keeps it (its lines, language and zone). */
  content: (
    part: DigestPart,
    index: number,
  ) => Omit<DigestMessage, "chatId" | "targetId" | "messageId" | "revisions">;
}

/**
 * Sends one chat's digest. The held items are claimed first (moved in flight under this job),
 * rendered once and kept, and each message is noted as sent right after Telegram answered: a
 * retried or later job resumes from there, so nothing held is lost and at most the message in
 * flight when a worker died goes twice. Each message takes a slot of the global rate limiter
 * and the chat's gap, like an alert; failures are handled as for alerts.
 *
 * A correction or retraction reaches a digest at every stage, with no lock and no waiting:
 * - held: the digest is rendered from the articles as they read when it goes out;
 * - rendered, not yet sent (a send failing, a later part waiting): each part notes the revision
 *   count (ArticleStore.revisionCount, moved in the same transaction as every correction and
 *   retraction) read before it was rendered, and is rendered again before its send if the count
 *   moved since;
 * - sent: each message goes into the articles' ledger the moment it is noted as sent (one
 *   transaction), not once the whole digest is out, so a ledger walk from then on settles it.
 * What is left is a revision stored between the rendering and that ledger entry, whose walk may
 * have read the ledger before the entry was there. So after the entry the count is read again:
 * unchanged, no revision came in between and any later one's walk finds the entry; moved, this
 * job settles the message itself, as a walk would (settleDigest). A kill at any point leaves a
 * part either noted with its entry or not noted (sent again, rendered again if the count moved),
 * and a resumed job settles the parts sent before it whose count has moved. The one gap is the
 * send in flight at a kill, whose message id is never known: as for an alert, that message
 * cannot be reached by any revision.
 */
export function sendDigestProcessor(deps: SendDigestDeps) {
  const { held, chats, logger } = deps;
  const cached = new LRUCache<string, Promise<unknown>>({ max: ARTICLE_CACHE_SIZE, ttl: ARTICLE_TTL_MS });
  function remember<T>(key: string, read: () => Promise<T>): Promise<T> {
    const hit = cached.get(key);
    if (hit) return hit as Promise<T>;
    const value = read();
    cached.set(key, value);
    // A failed read is not kept: the next one asks Redis again.
    value.catch(() => cached.peek(key) === value && cached.delete(key));
    return value;
  }
  /**
   * The articles as read once `revisions` (ArticleStore.revisionCount) was seen: cached under that
   * count, so a value cached reflects every revision it counts, and none is used after a new one.
   */
  const articlesAt = (revisions: number): Pick<ArticleStore, "get" | "control"> => ({
    get: (seq) => remember(`a${seq}@${revisions}`, () => deps.articles.get(seq)),
    control: (seq) => remember(`c${seq}@${revisions}`, () => deps.articles.control(seq)),
  });
  const settleDeps: SettleDeps = { ...deps, digestWords: deps.words, digestLinks: deps.links };

  async function readerOf(chatId: number, flight: DigestInFlight): Promise<ChatSettings | undefined> {
    const id = flight.target ?? chatId;
    const found = await chats.get(id);
    if (found) return found;
    const to = await chats.movedTo(id);
    return to === undefined ? undefined : chats.get(to);
  }

  /**
   * Sends one message, rendered by `render` right before each attempt (a revision may come while
   * a send fails and is tried again): what was sent, "empty" when `render` finds no line left,
   * or undefined when the chat is out of reach for good.
   */
  async function sendPart(
    chatId: number,
    reader: { target: ChatSettings },
    render: () => Promise<Rendered | undefined>,
    lastTry: boolean,
  ): Promise<(Rendered & { messageId: number }) | "empty" | undefined> {
    const tries: SendTries = { seq: 0, chatId, lastTry, ambiguousCounted: true };
    return sendUnderPolicy<Rendered, (Rendered & { messageId: number }) | "empty" | undefined>(
      { limiter: deps.limiter, stopping: deps.stopping, tries: SEND_TRIES },
      {
        target: () => ({ id: reader.target.id, isGroup: reader.target.kind !== "private" }),
        // No job lock fences a digest (the held store's owner does), so a slot that went by while
        // it rendered is not asked again: the message goes at once.
        ready: async () => {
          const rendered = await render();
          return rendered ? { go: rendered } : { settle: "empty" };
        },
        call: async (rendered) => {
          const target = reader.target;
          const sent = await deps.api.sendMessage(target.id, rendered.html, {
            parse_mode: "HTML",
            // Many links in one message: a preview of the first would push the others down.
            link_preview_options: { is_disabled: true },
            ...(target.threadId !== undefined ? { message_thread_id: target.threadId } : {}),
          });
          return { ...rendered, messageId: sent.message_id };
        },
        failed: async (error) => {
          const step = await handleFailure(error, tries, reader.target.id, deps);
          // Whatever the chat's outcome, the digest is out of reach for good.
          return step.next === "settle" ? { next: "settle", outcome: undefined } : step;
        },
        exhausted: () => {
          exhaustedSend(tries);
          return undefined;
        },
        moveTo: async (to) => {
          const target = reader.target;
          await migrateChat(deps, target.id, to);
          await held.setTarget(chatId, to);
          reader.target = (await chats.get(to)) ?? { ...target, id: to, kind: "group" };
        },
        toGeneral: () => {
          reader.target = { ...reader.target, threadId: undefined };
        },
      },
    );
  }

  /** The digest's messages, rendered once and kept; undefined when no line is left to send. */
  async function renderParts(chatId: number, chat: ChatSettings, flight: DigestInFlight) {
    if (flight.parts) return flight.parts;
    const revisions = await deps.articles.revisionCount();
    const items = await digestItems(articlesAt(revisions), flight.items, { links: await deps.links() });
    if (items.length === 0 && flight.fellOut === 0) return undefined;
    // Chats of one language and zone holding the same articles get the same digest: rendered once.
    const key = `r${revisions}|${chat.lang}|${chat.timeZone}|${flight.fellOut}|${items.map((i) => i.seq).join(",")}`;
    const rendered = await remember(key, async () =>
      digestParts(items, chat, flight.fellOut, deps.label, deps.words(chat.lang)).map((part) => ({
        ...part,
        revisions,
      })),
    );
    return held.saveParts(chatId, rendered);
  }

  /** A run that died between a send and its check (see sendParts): the parts it sent are checked now. */
  async function recheckSent(run: DigestRun): Promise<void> {
    const { chatId, flight, reader } = run;
    const revisionsNow = await deps.articles.revisionCount();
    for (const [index, messageId] of flight.sent) {
      const part = run.parts[index];
      if (messageId === 0 || !part) continue;
      let message = await deps.ledger.message(reader.target.id, messageId);
      if (!message && flight.target === undefined) {
        // Sent by a worker that wrote the ledger only once the whole digest was out (before
        // each part was recorded as it went): recorded now, so that revisions reach it. (Not
        // after a group's migration: where that part went is not known.)
        message = { chatId, targetId: reader.target.id, messageId, ...run.content(part, index) };
        await deps.ledger.recordPart(message, index);
      }
      if (message && message.revisions !== revisionsNow) await settleDigest(settleDeps, message);
    }
  }

  /** The part as it reads now: rendered again if an article was corrected or retracted since. */
  async function renderNow(run: DigestRun, part: DigestPart, index: number): Promise<Rendered | undefined> {
    const latest = await deps.articles.revisionCount();
    if (part.revisions === latest) return { html: part.html, revisions: latest };
    const html = await renderDigestMessage(
      articlesAt(latest),
      run.content(part, index),
      deps.label,
      deps.words(run.chat.lang),
      await deps.links(),
    );
    return html === undefined ? undefined : { html, revisions: latest };
  }

  /** Sends the parts not sent yet: false when the digest was dropped or another job took it over. */
  async function sendParts(run: DigestRun): Promise<boolean> {
    const { chatId, flight, reader } = run;
    for (const [index, part] of run.parts.entries()) {
      if (flight.sent.has(index)) continue;
      // A later job for this chat took the digest over: it sends the rest.
      if ((await held.owner(chatId)) !== run.jobId) return false;
      const sent = await sendPart(chatId, reader, () => renderNow(run, part, index), run.lastTry);
      if (sent === undefined) {
        await held.finish(chatId);
        logger.info({ chatId }, "digest dropped: Telegram refused it for good");
        return false;
      }
      if (sent === "empty") {
        // Every line in it was retracted: nothing to send.
        await held.markPartSent(chatId, index, 0);
        flight.sent.set(index, 0);
        continue;
      }
      const { messageId, html, revisions } = sent;
      const content = run.content(part, index);
      const message: DigestMessage = { chatId, targetId: reader.target.id, messageId, ...content, revisions };
      await deps.ledger.recordPart(message, index);
      flight.sent.set(index, messageId);
      // From here a revision's ledger walk finds this message. One that came between the
      // rendering and this point may have walked the ledger before: the message is settled here.
      if ((await deps.articles.revisionCount()) !== revisions) await settleDigest(settleDeps, message, html);
    }
    return true;
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
    const parts = await renderParts(chatId, chat, flight);
    if (!parts) {
      await held.finish(chatId);
      return;
    }
    const breaking = new Map(flight.items.map((item) => [item.seq, item.breaking]));
    const run: DigestRun = {
      chatId,
      jobId,
      chat,
      flight,
      parts,
      reader: { target: chat },
      lastTry: job.attemptsMade + 1 >= (job.opts.attempts ?? 1),
      content: (part, index) => ({
        lines: part.seqs.map((seq) => ({ seq, breaking: breaking.get(seq) ?? false })),
        lang: chat.lang,
        zone: chat.timeZone,
        fellOut: index === 0 ? flight.fellOut : 0,
        ...(part.more ? { more: part.more } : {}),
      }),
    };
    try {
      await recheckSent(run);
      if (!(await sendParts(run))) return;
    } catch (error) {
      // The process stops: the digest stays in flight for the next worker.
      if (!(error instanceof SendingStopped)) throw error;
      // What was sent is noted: the next worker sends the rest. No attempt is used up.
      await job.moveToDelayed(Date.now(), token);
      throw new DelayedError();
    }
    await held.finish(chatId);
    deps.onSent?.(parts.length, flight.items.length);
  };
}
