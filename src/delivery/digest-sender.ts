import type { ChatSettings } from "../domain/chat.ts";
import type { DigestMessage } from "../store/digest-ledger.ts";
import type { DigestInFlight, DigestPart } from "../store/held-store.ts";
import { SendingStopped } from "../store/rate-limiter.ts";
import { DigestArticles } from "./digest-articles.ts";
import type { DigestRun, Rendered, SendDigestDeps } from "./digest-deps.ts";
import { sendDigestPart } from "./digest-part-send.ts";
import { digestItems, digestParts, renderDigestMessage } from "./digest-render.ts";
import { type SettleDeps, settleDigest } from "./ledger-walk.ts";

/** One chat's digest, as its job holds it. */
export interface DigestToSend {
  chatId: number;
  /** The job the held items are claimed under: a later job for the chat takes them over. */
  jobId: string;
  /** The job is on its last attempt: nothing will retry it. */
  lastTry: boolean;
}

/**
 * How a digest's job ended: "done" (sent, dropped, or taken over by a later job), or
 * "handed-back": the process is stopping, and what was sent is noted for the next worker.
 */
export type DigestEnd = "done" | "handed-back";

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
export class DigestSender {
  private readonly articles: DigestArticles;
  private readonly settleDeps: SettleDeps;

  constructor(private readonly deps: SendDigestDeps) {
    this.articles = new DigestArticles(deps.articles);
    this.settleDeps = { ...deps, digestWords: deps.words, digestLinks: deps.links };
  }

  async send(digest: DigestToSend): Promise<DigestEnd> {
    const { held, logger } = this.deps;
    const { chatId } = digest;
    const flight = await held.take(chatId, digest.jobId);
    if (!flight) return "done";
    const chat = await this.readerOf(chatId, flight);
    if (!chat?.active) {
      // The reader left (/stop) or blocked the bot: what was held for them goes nowhere.
      await held.finish(chatId);
      logger.info({ chatId, items: flight.items.length }, "digest dropped: the chat is gone or inactive");
      return "done";
    }
    const parts = await this.renderParts(chatId, chat, flight);
    if (!parts) {
      await held.finish(chatId);
      return "done";
    }
    const run = digestRun(digest, chat, flight, parts);
    try {
      await this.recheckSent(run);
      if (!(await this.sendParts(run))) return "done";
    } catch (error) {
      // The process stops: the digest stays in flight for the next worker.
      if (!(error instanceof SendingStopped)) throw error;
      return "handed-back";
    }
    await held.finish(chatId);
    this.deps.onSent?.(parts.length, flight.items.length);
    return "done";
  }

  private async readerOf(chatId: number, flight: DigestInFlight): Promise<ChatSettings | undefined> {
    const { chats } = this.deps;
    const id = flight.target ?? chatId;
    const found = await chats.get(id);
    if (found) return found;
    const to = await chats.movedTo(id);
    return to === undefined ? undefined : chats.get(to);
  }

  /** The digest's messages, rendered once and kept; undefined when no line is left to send. */
  private async renderParts(chatId: number, chat: ChatSettings, flight: DigestInFlight) {
    if (flight.parts) return flight.parts;
    const { deps } = this;
    const revisions = await deps.articles.revisionCount();
    const items = await digestItems(this.articles.at(revisions), flight.items, { links: await deps.links() });
    if (items.length === 0 && flight.fellOut === 0) return undefined;
    // Chats of one language and zone holding the same articles get the same digest: rendered once.
    const key = `r${revisions}|${chat.lang}|${chat.timeZone}|${flight.fellOut}|${items.map((i) => i.seq).join(",")}`;
    const rendered = await this.articles.remember(key, async () =>
      digestParts(items, chat, flight.fellOut, deps.label, deps.words(chat.lang)).map((part) => ({
        ...part,
        revisions,
      })),
    );
    return deps.held.saveParts(chatId, rendered);
  }

  /** A run that died between a send and its check (see sendParts): the parts it sent are checked now. */
  private async recheckSent(run: DigestRun): Promise<void> {
    const { deps } = this;
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
      if (message && message.revisions !== revisionsNow) await settleDigest(this.settleDeps, message);
    }
  }

  /** The part as it reads now: rendered again if an article was corrected or retracted since. */
  private async renderNow(run: DigestRun, part: DigestPart, index: number): Promise<Rendered | undefined> {
    const { deps } = this;
    const latest = await deps.articles.revisionCount();
    if (part.revisions === latest) return { html: part.html, revisions: latest };
    const html = await renderDigestMessage(
      this.articles.at(latest),
      run.content(part, index),
      deps.label,
      deps.words(run.chat.lang),
      await deps.links(),
    );
    return html === undefined ? undefined : { html, revisions: latest };
  }

  /** Sends the parts not sent yet: false when the digest was dropped or another job took it over. */
  private async sendParts(run: DigestRun): Promise<boolean> {
    const { deps } = this;
    const { chatId, flight, reader } = run;
    for (const [index, part] of run.parts.entries()) {
      if (flight.sent.has(index)) continue;
      // A later job for this chat took the digest over: it sends the rest.
      if ((await deps.held.owner(chatId)) !== run.jobId) return false;
      const render = () => this.renderNow(run, part, index);
      const sent = await sendDigestPart(deps, chatId, reader, render, run.lastTry);
      if (sent === undefined) {
        await deps.held.finish(chatId);
        deps.logger.info({ chatId }, "digest dropped: Telegram refused it for good");
        return false;
      }
      if (sent === "empty") {
        // Every line in it was retracted: nothing to send.
        await deps.held.markPartSent(chatId, index, 0);
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
      if ((await deps.articles.revisionCount()) !== revisions) {
        await settleDigest(this.settleDeps, message, html);
      }
    }
    return true;
  }
}

/** The digest under way, with what its parts hold as the ledger keeps it. */
function digestRun(
  digest: DigestToSend,
  chat: ChatSettings,
  flight: DigestInFlight,
  parts: DigestPart[],
): DigestRun {
  const breaking = new Map(flight.items.map((item) => [item.seq, item.breaking]));
  return {
    chatId: digest.chatId,
    jobId: digest.jobId,
    chat,
    flight,
    parts,
    reader: { target: chat },
    lastTry: digest.lastTry,
    content: (part, index) => ({
      lines: part.seqs.map((seq) => ({ seq, breaking: breaking.get(seq) ?? false })),
      lang: chat.lang,
      zone: chat.timeZone,
      fellOut: index === 0 ? flight.fellOut : 0,
      ...(part.more ? { more: part.more } : {}),
    }),
  };
}
