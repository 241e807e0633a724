import type { Worker } from "bullmq";
import { FEED_QUEUE, type FeedJob } from "../src/delivery/queues.ts";
import type { FeedConfig } from "../src/domain/feed-config.ts";
import { syncFeedSchedulers } from "./feed-schedulers.ts";
import { pollFeedProcessor } from "./poll-feed.ts";
import { createWorker, type WorkerContext } from "./worker-base.ts";

/** Feed polling (FEEDS_FILE): one scheduler per feed, polled by jobs/poll-feed.ts. */
export async function feedWorker(ctx: WorkerContext, feeds: FeedConfig[]): Promise<Worker<FeedJob>> {
  const { config, i18n, stores, logger, metrics } = ctx;
  const schedulers = await syncFeedSchedulers(ctx.queues.feeds, feeds);
  const worker = createWorker<FeedJob>(ctx.base, {
    name: "feed",
    queue: FEED_QUEUE,
    concurrency: 2,
    // A poll holds the feed's own lock; fetch and parse problems are handled inside it.
    locked: false,
    processor: pollFeedProcessor({
      feeds: new Map(feeds.map((f) => [f.id, f])),
      store: ctx.stores.feeds,
      catalog: stores.catalog,
      articles: stores.articles,
      texts: ctx.stores.texts,
      queues: ctx.queues,
      api: ctx.api,
      adminIds: config.adminIds,
      translate: (key, vars) => i18n.t(config.defaultLanguage, key, vars),
      logger,
      now: ctx.now,
      ...(metrics ? { metrics } : {}),
      fetch: { allowPrivate: config.feedsAllowPrivate },
    }),
  });
  logger.info({ feeds: feeds.length, removedSchedulers: schedulers.removed }, "feed polling started");
  return worker;
}
