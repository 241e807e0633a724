import { DelayedError, type Job } from "bullmq";
import type { Api } from "grammy";
import type { DateTime } from "luxon";
import { type PublishDeps, publishArticle } from "../src/delivery/publish-article.ts";
import { type Queues, type ScheduledJob, statusJobId } from "../src/delivery/queues.ts";
import { describeFailure } from "../src/delivery/telegram-failure.ts";
import type { Article } from "../src/domain/article.ts";
import { articleFromDraft } from "../src/domain/breaking-draft.ts";
import type { Language } from "../src/domain/catalog.ts";
import { deliveryProgress } from "../src/domain/delivery-progress.ts";
import type { KeptPush } from "../src/domain/scheduled-push.ts";
import { STATUS_MIN_INTERVAL_MS } from "../src/domain/status-interval.ts";
import type { Logger } from "../src/logger.ts";
import type { AuditStore } from "../src/store/audit-store.ts";
import type { RateLimiter } from "../src/store/rate-limiter.ts";
import { countReach } from "../src/store/reach.ts";
import type { ScheduledPushStore } from "../src/store/scheduled-pushes.ts";
import type { StatusCards } from "../src/store/status-cards.ts";
import type { SubscriptionStore } from "../src/store/subscription-store.ts";
import { statusCard, type Translate } from "../src/telegram/status-card.ts";

export interface PublishScheduledDeps {
  scheduled: ScheduledPushStore;
  publish: PublishDeps;
  /** Where the status message is noted, so corrections and retractions refresh it too. */
  cards: Pick<StatusCards, "noteCard">;
  subscriptions: SubscriptionStore;
  audit: AuditStore;
  status: Queues["status"];
  /** The workers' Api (createApi): the label goes on the status message like on every other. */
  api: Api;
  limiter: RateLimiter;
  translate: (lang: Language) => Translate;
  sendRate: number;
  logger: Logger;
  now: () => DateTime;
}

type Sent = { article: Pick<Article, "id" | "headline" | "breaking">; seq: number };

/** Sends the editor the live status message /breaking's Send leaves, and has the status worker keep it live. */
async function sendCard(deps: PublishScheduledDeps, push: KeptPush, sent: Sent): Promise<void> {
  const { draft, editor } = push;
  const { count: expected } = await countReach(
    deps.subscriptions,
    [...draft.topics, ...draft.regions],
    draft.lang,
  );
  const zero = { recipients: 0, done: 0, sent: 0, failed: {}, skipped: {} };
  const progress = deliveryProgress(zero, deps.now(), deps.sendRate, expected);
  const card = statusCard(sent.article, sent.seq, progress, deps.translate(editor.lang), true);
  await deps.limiter.acquire(editor.chatId, false, undefined, { interactive: true });
  try {
    const message = await deps.api.sendMessage(editor.chatId, card.text, {
      parse_mode: "HTML",
      reply_markup: card.reply_markup,
    });
    await deps.cards.noteCard(sent.seq, editor.chatId, message.message_id);
    await deps.status.add(
      "status",
      { seq: sent.seq, chatId: editor.chatId, messageId: message.message_id, lang: editor.lang, expected },
      { jobId: statusJobId(sent.seq, editor.chatId, message.message_id), delay: STATUS_MIN_INTERVAL_MS },
    );
  } catch (error) {
    // The editor blocked the bot or left: the push went out all the same. A network error is retried.
    if (describeFailure(error)?.kind !== "api") throw error;
    deps.logger.info(
      { articleId: push.id, err: String(error) },
      "could not send the status of a scheduled push",
    );
  }
}

/** Tells the editor their push could not go (a topic archived since, say); it is dropped. */
async function reportInvalid(deps: PublishScheduledDeps, push: KeptPush, problems: string): Promise<void> {
  const t = deps.translate(push.editor.lang);
  const text = t("sch-failed", { headline: push.draft.headline, id: push.id, problems });
  await deps.api.sendMessage(push.editor.chatId, text).catch((error: unknown) => {
    if (describeFailure(error)?.kind !== "api") throw error;
  });
}

/**
 * Publishes an editor's scheduled push when its time comes, through the same `publishArticle` as
 * /breaking's Send, its `publishedAt` the moment it goes. The push is claimed first, so a cancel
 * after that is refused and one before it wins; its article id makes a retried or repeated job
 * publish nothing twice. A job woken before the push's time (a changed time, a skewed clock)
 * goes back to waiting until then.
 */
export function publishScheduledProcessor(deps: PublishScheduledDeps) {
  return async (job: Job<ScheduledJob>, token?: string): Promise<void> => {
    const { id } = job.data;
    const now = deps.now();
    const claim = await deps.scheduled.claim(id, "send", now.toMillis());
    if (claim === "early") {
      const push = await deps.scheduled.get(id);
      if (!push) return;
      // The job's timer runs on Redis's clock, the push's time on ours: wait the difference.
      await job.moveToDelayed(Date.now() + Math.max(0, push.atMs - now.toMillis()), token);
      throw new DelayedError();
    }
    // Cancelled, or gone out already.
    if (claim !== "ok") return;
    const push = await deps.scheduled.get(id);
    if (!push) return;
    const article = articleFromDraft(push.draft, id, now);
    const result = await publishArticle(article, deps.publish, now);
    if (result.status === "invalid") {
      await reportInvalid(deps, push, result.errors.map((e) => `${e.field}: ${e.message}`).join("\n"));
      deps.logger.warn({ articleId: id, errors: result.errors }, "a scheduled push could not be published");
      await deps.scheduled.remove(id);
      return;
    }
    if (result.status === "queued") {
      await deps.audit.record({
        at: now.toUTC().toISO() ?? "",
        actorId: push.editor.userId,
        actorName: push.editor.name,
        action: "push",
        subject: id,
        detail: push.draft.headline,
      });
      deps.logger.info({ articleId: id, seq: result.seq }, "scheduled breaking news sent");
    }
    if (!push.cardSent) {
      await sendCard(deps, push, { article: { ...article, breaking: true }, seq: result.seq });
      await deps.scheduled.markCardSent(id);
    }
    await deps.scheduled.remove(id);
  };
}
