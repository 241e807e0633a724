import type { Worker } from "bullmq";
import { SCHEDULED_QUEUE, type ScheduledJob } from "../src/delivery/queues.ts";
import { requeueScheduled } from "../src/delivery/scheduled-jobs.ts";
import { publishScheduledProcessor } from "./publish-scheduled.ts";
import { createWorker, type WorkerContext } from "./worker-base.ts";

/**
 * Editors' scheduled pushes: the worker that publishes each at its time, after every kept push
 * has been given back a job it may have lost (see requeueScheduled).
 */
export async function scheduledWorker(ctx: WorkerContext): Promise<Worker<ScheduledJob>> {
  const { stores, queues, now } = ctx;
  await requeueScheduled(queues.scheduled, stores.scheduled, now().toMillis());
  return createWorker<ScheduledJob>(ctx.base, {
    name: "scheduled",
    queue: SCHEDULED_QUEUE,
    concurrency: 2,
    processor: publishScheduledProcessor({
      scheduled: stores.scheduled,
      publish: { catalog: stores.catalog, articles: stores.articles, texts: stores.texts, queues },
      cards: stores.cards,
      subscriptions: stores.subscriptions,
      audit: stores.audit,
      status: queues.status,
      api: ctx.api,
      limiter: ctx.limiter,
      translate: ctx.translate,
      sendRate: ctx.tuning.sendRate,
      logger: ctx.logger,
      now,
    }),
  });
}
