import { createHash } from "node:crypto";
import { DelayedError, type Job } from "bullmq";
import type { Api } from "grammy";
import type { DateTime } from "luxon";
import type { StatusJob } from "../src/delivery/queues.ts";
import { describeFailure } from "../src/delivery/telegram-failure.ts";
import type { Language } from "../src/domain/catalog.ts";
import { deliveryProgress } from "../src/domain/delivery-progress.ts";
import { canStillRevise } from "../src/domain/revision.ts";
import { nextStatusInterval } from "../src/domain/status-interval.ts";
import type { Logger } from "../src/logger.ts";
import type { ArticleStore } from "../src/store/article-store.ts";
import type { RateLimiter } from "../src/store/rate-limiter.ts";
import type { ReactionStore } from "../src/store/reaction-store.ts";
import { statusCard, type Translate } from "../src/telegram/status-card.ts";

export interface StatusDeps {
  api: Api;
  articles: ArticleStore;
  limiter: RateLimiter;
  reactions: Pick<ReactionStore, "totals">;
  translate: (lang: Language) => Translate;
  sendRate: number;
  logger: Logger;
  now: () => DateTime;
}

/**
 * Keeps one editor's status message in step with delivery: edits it when the figures changed,
 * then comes back later, until the article is delivered, cancelled or retracted.
 */
export function statusProcessor(deps: StatusDeps) {
  const { api, articles, limiter, logger } = deps;
  return async (job: Job<StatusJob>, token?: string): Promise<void> => {
    const { seq, chatId, messageId, lang, expected } = job.data;
    const article = await articles.get(seq);
    if (!article) return;
    const [stats, reactions] = await Promise.all([articles.stats(seq), deps.reactions.totals(seq)]);
    const now = deps.now();
    const progress = deliveryProgress(stats, now, deps.sendRate, expected);
    const revisable = canStillRevise(stats, article.publishedAt, now.toMillis());
    const card = statusCard(article, seq, progress, deps.translate(lang), revisable, reactions);
    const shown = createHash("sha1")
      .update(card.text)
      .update(JSON.stringify(card.reply_markup))
      .digest("hex");
    let retryAfterMs = 0;
    if (shown !== job.data.shown) {
      // The editor is watching: the edit takes the next free slot, not a place behind the alerts.
      await limiter.acquire(chatId, chatId < 0, undefined, { interactive: true });
      try {
        await api.editMessageText(chatId, messageId, card.text, {
          parse_mode: "HTML",
          reply_markup: card.reply_markup,
        });
        await job.updateData({ ...job.data, shown });
      } catch (error) {
        const failure = describeFailure(error);
        if (failure?.kind !== "api") throw error;
        if (failure.code === 429) retryAfterMs = (failure.retryAfter ?? 1) * 1000;
        else if (/not modified/i.test(failure.description)) await job.updateData({ ...job.data, shown });
        else {
          // The editor deleted the message or left the chat: nothing more to show.
          logger.info(
            { seq, chatId, messageId, err: failure.description },
            "status message no longer editable",
          );
          return;
        }
      }
    }
    const ended =
      progress.state === "finished" || progress.state === "cancelled" || progress.state === "retracted";
    if (ended && retryAfterMs === 0) return;
    if (!revisable) return;
    const wait = Math.max(retryAfterMs, nextStatusInterval(progress.elapsedSeconds));
    await job.moveToDelayed(Date.now() + wait, token);
    throw new DelayedError();
  };
}
