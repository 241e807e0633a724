import { DateTime } from "luxon";
import { revisionJobId, statusJobId } from "../../delivery/queues.ts";
import type { Article } from "../../domain/article.ts";
import type { Language } from "../../domain/language.ts";
import { canStillRevise, type RevisionKind } from "../../domain/revision.ts";
import { STATUS_MIN_INTERVAL_MS } from "../../domain/status-interval.ts";
import type { ArticleStats } from "../../store/article-store.ts";
import type { BotContext, DialogContext } from "../context.ts";
import { readerLanguage } from "./chat-access.ts";

export interface FoundArticle {
  seq: number;
  article: Article;
  stats: ArticleStats;
}

type Ctx = BotContext | DialogContext;

/** An article by the id an editor typed or a button carried, with its delivery figures. */
export async function findArticle(
  ctx: Ctx,
  ref: { id: string } | { seq: number },
): Promise<FoundArticle | undefined> {
  const seq = "seq" in ref ? ref.seq : await ctx.stores.articles.seqOf(ref.id.trim());
  if (seq === undefined) return undefined;
  const article = await ctx.stores.articles.get(seq);
  if (!article) return undefined;
  return { seq, article, stats: await ctx.stores.articles.stats(seq) };
}

/** Whether Telegram still lets the bot edit and delete this article's alerts (48 h from the first send). */
export function revisable(found: FoundArticle, now: DateTime): boolean {
  return (
    canStillRevise(found.stats, found.article.publishedAt, now.toMillis()) &&
    found.stats.retractedAt === undefined
  );
}

/** Starts a correction or retraction job that walks the ledger and reports back to this chat. */
export async function startRevision(ctx: Ctx, seq: number, kind: RevisionKind): Promise<void> {
  const revision = await ctx.stores.revisions.startRevision(seq, kind, DateTime.utc().toISO() ?? "");
  const lang = readerLanguage(ctx);
  await ctx.queues.revisions.add(
    kind,
    { seq, revision, editor: { chatId: ctx.chat?.id ?? 0, userId: ctx.from?.id ?? 0, lang } },
    { jobId: revisionJobId(seq, revision) },
  );
}

/** Puts one status message in line for an edit; a job already waiting for it is left as it is. */
async function queueCardEdit(
  ctx: Ctx,
  seq: number,
  card: { chatId: number; messageId: number },
  lang: Language,
  expected = 0,
): Promise<void> {
  await ctx.queues.status.add(
    "status",
    { seq, chatId: card.chatId, messageId: card.messageId, lang, expected },
    { jobId: statusJobId(seq, card.chatId, card.messageId), delay: STATUS_MIN_INTERVAL_MS },
  );
}

/**
 * Keeps a status message live: a worker edits it as delivery advances, and after a cancel,
 * correction or retraction. A job already waiting for the same message is left as it is.
 */
export async function watchCard(
  ctx: Ctx,
  seq: number,
  card: { chatId: number; messageId: number },
  expected = 0,
): Promise<void> {
  const lang = readerLanguage(ctx);
  await ctx.stores.cards.noteCard(seq, card.chatId, card.messageId, lang);
  await queueCardEdit(ctx, seq, card, lang, expected);
}

/**
 * Shows a change (retracted, corrected headline, readers' reactions) on every status message of
 * the article, each in the language it was posted in; a card kept without one, in `fallback`.
 */
export async function refreshCards(ctx: Ctx, seq: number, fallback = readerLanguage(ctx)): Promise<void> {
  for (const card of await ctx.stores.cards.cards(seq))
    await queueCardEdit(ctx, seq, card, card.lang ?? fallback);
}
