import { DelayedError, type Job } from "bullmq";
import { DateTime } from "luxon";
import { countRoutes, deliverBatches, sortChats } from "../src/delivery/fan-out-step.ts";
import { type FanoutJob, PRIORITY, type Queues } from "../src/delivery/queues.ts";
import { type Article, articleSlugs } from "../src/domain/article.ts";
import type { Language } from "../src/domain/catalog.ts";
import type { Logger } from "../src/logger.ts";
import type { ArticleStore } from "../src/store/article-store.ts";
import type { CatalogStore } from "../src/store/catalog-store.ts";
import type { ChatStore } from "../src/store/chat-store.ts";
import type { DeliveryLedger } from "../src/store/delivery-ledger.ts";
import type { FanoutCursor } from "../src/store/fanout-cursor.ts";
import type { HeldStore, RoutedChat } from "../src/store/held-store.ts";
import { SUBSCRIPTION_SHARDS } from "../src/store/keys.ts";
import type { SubscriptionStore } from "../src/store/subscription-store.ts";

/** Shards read per step at most. */
const SHARD_WINDOW = 16;
/**
 * Chats a step should read about. A step reads, decodes and queues its chats in one go: at a
 * million readers, 16 shards were 15,600 chats and held the event loop for about 240 ms, which
 * bunched the sends in flight up into 429s.
 */
const STEP_CHATS = 2000;

/** Shards per step for an article whose topics and regions have `audience` subscriptions in all. */
export function fanoutWindow(audience: number): number {
  const perShard = Math.max(audience, 1) / SUBSCRIPTION_SHARDS;
  return Math.max(1, Math.min(SHARD_WINDOW, Math.floor(STEP_CHATS / perShard)));
}

export interface FanoutDeps {
  articles: ArticleStore;
  fanout: FanoutCursor;
  deliveries: Pick<DeliveryLedger, "movedChats">;
  catalog: CatalogStore;
  chats: ChatStore;
  subscriptions: SubscriptionStore;
  /** Where articles wait for readers' digests (quiet hours, digest mode, mute). */
  held: HeldStore;
  queues: Pick<Queues, "deliver">;
  logger: Logger;
  now: () => DateTime;
  /** Waiting delivery jobs above which fan-out pauses until delivery drains. */
  maxBacklog: number;
  /** How long a fan-out waits before it looks at a full backlog again (ms; 100 unless set). */
  backlogPauseMs?: number;
  onFinished?: (seconds: number) => void;
  /** Chats not sent the alert now, by why: "held" for a digest, or the reason it was dropped. */
  onRouted?: (route: RoutedChat["route"], chats: number) => void;
}

/** What every step of one article's fan-out shares. */
interface StepPlan {
  article: Article;
  seq: number;
  /** The article's active topics and regions. */
  slugs: readonly string[];
  /** Shards per step. */
  window: number;
  priority: number;
}

/**
 * Streams an article's recipients shard by shard into delivery batches, never more than
 * `maxBacklog` batches ahead of delivery. Progress lives in Redis, so a crashed fan-out
 * resumes where it stopped; batch ids are deterministic, so a re-run step adds nothing new.
 */
export function fanoutProcessor(deps: FanoutDeps) {
  const { articles, fanout, deliveries, chats, subscriptions, queues, logger } = deps;

  async function backlogFull(breaking: boolean): Promise<boolean> {
    if (breaking) {
      const counts = await queues.deliver.getCountsPerPriority([PRIORITY.breaking]);
      return (counts[PRIORITY.breaking] ?? 0) >= deps.maxBacklog;
    }
    const counts = await queues.deliver.getJobCounts("wait", "prioritized");
    return (counts.wait ?? 0) + (counts.prioritized ?? 0) >= deps.maxBacklog;
  }

  /** Subscriptions to the article's topics and regions, in all: an upper bound of its readers. */
  async function audienceOf(slugs: readonly string[]): Promise<number> {
    const counts = await subscriptions.counts();
    return slugs.reduce((sum, slug) => sum + (counts.get(slug) ?? 0), 0);
  }

  /**
   * After a cancel: the chats of the shards not reached yet are counted, not queued, as not sent
   * (skipped:cancelled), by the rule the steps use (active, of the article's edition), inside
   * Redis. So delivered, failed, not sent and skipped add up to the audience on the editor's
   * status message. Step by step from the cursor, like the sending steps: a re-run after a crash
   * counts nothing twice.
   */
  async function countNotSent(
    seq: number,
    edition: Language,
    slugs: readonly string[],
    from: number,
    window: number,
    iso: () => string,
  ): Promise<void> {
    let cursor = from;
    while (cursor < SUBSCRIPTION_SHARDS) {
      const end = Math.min(cursor + window, SUBSCRIPTION_SHARDS);
      const { reached } = await subscriptions.reachInShards(slugs, edition, cursor, end);
      const last = end >= SUBSCRIPTION_SHARDS;
      const advanced = await fanout.advanceFanout(seq, cursor, end, 0, last, iso(), reached);
      cursor = advanced ? end : (await articles.stats(seq)).cursor;
    }
  }

  /**
   * One step: the chats of shards [cursor, cursor + window) into delivery batches, the held and
   * dropped ones recorded with the cursor's move. Returns where the next step starts.
   */
  async function step(plan: StepPlan, cursor: number): Promise<number> {
    const { article, seq, slugs, window, priority } = plan;
    const end = Math.min(cursor + window, SUBSCRIPTION_SHARDS);
    const candidates = (await subscriptions.recipientsInShards(slugs, cursor, end)).flat();
    // Read after the subscriptions, so a group that moved in between is already listed here.
    const [settings, moved] = await Promise.all([chats.getMany(candidates), deliveries.movedChats(seq)]);
    const now = deps.now();
    const sorted = sortChats(article, candidates, settings, moved, now);
    const batches = deliverBatches(seq, cursor, sorted, priority);
    if (batches.length > 0) await queues.deliver.addBulk(batches);
    const last = end >= SUBSCRIPTION_SHARDS;
    const { recipients, routed } = sorted;
    const iso = now.toISO() ?? "";
    const advanced =
      routed.length === 0
        ? await fanout.advanceFanout(seq, cursor, end, recipients.length, last, iso)
        : // Held and dropped chats get their outcome in the same step as the cursor, so a
          // re-run step neither counts nor holds them twice.
          await deps.held.advanceRouted(
            { seq, breaking: article.breaking },
            { from: cursor, to: end, queued: recipients.length, last, now: iso, heldAt: now.toMillis() },
            routed,
          );
    if (advanced && routed.length > 0 && deps.onRouted) {
      for (const [route, count] of countRoutes(routed)) deps.onRouted(route, count);
    }
    // The cursor was not where this run left it: another run moved it, or Redis lost the last
    // steps (a replica promoted after a failover may lack the newest writes, batches included).
    // Going on from here would skip the lost steps' recipients for good, so carry on from
    // where Redis says; a step run again adds only the batches that are missing.
    return advanced ? end : (await articles.stats(seq)).cursor;
  }

  return async (job: Job<FanoutJob>, token?: string): Promise<void> => {
    const { seq } = job.data;
    const article = await articles.get(seq);
    if (!article) {
      logger.warn({ seq }, "fan-out for an article that is gone");
      return;
    }
    const iso = () => deps.now().toISO() ?? "";
    await fanout.markStarted(seq, iso());
    // An archived topic or region keeps its subscribers but sends them nothing.
    const active = new Set((await deps.catalog.all()).filter((e) => e.state === "active").map((e) => e.slug));
    const slugs = articleSlugs(article).filter((slug) => active.has(slug));
    const priority = article.breaking ? PRIORITY.breaking : PRIORITY.regular;
    const started = await articles.stats(seq);
    // Fixed by the first run: a run after a pause for the backlog, or after a crash, reads it
    // with the cursor and needs neither the subscription counts nor the write.
    const window =
      started.fanoutWindow ?? (await fanout.fanoutWindow(seq, fanoutWindow(await audienceOf(slugs))));
    let cursor = started.cursor;
    while (cursor < SUBSCRIPTION_SHARDS) {
      if ((await articles.control(seq)).stopped) {
        // Cancelled: no more batches; the ones queued already settle as cancelled.
        logger.info({ seq, articleId: article.id, cursor }, "fan-out cancelled");
        await countNotSent(seq, article.lang, slugs, cursor, window, iso);
        return;
      }
      if (await backlogFull(article.breaking)) {
        // Each look takes the job up again (a handful of round trips): looking often would cost
        // Redis more than the alerts do while a large article drains.
        await job.moveToDelayed(Date.now() + (deps.backlogPauseMs ?? 100), token);
        throw new DelayedError();
      }
      cursor = await step({ article, seq, slugs, window, priority }, cursor);
    }
    const startedAt = (await articles.stats(seq)).startedAt;
    const seconds = startedAt ? deps.now().diff(DateTime.fromISO(startedAt)).as("seconds") : 0;
    deps.onFinished?.(seconds);
    logger.info({ seq, articleId: article.id, seconds }, "fan-out finished");
  };
}
