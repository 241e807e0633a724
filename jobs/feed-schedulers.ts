import type { Queue } from "bullmq";
import { type FeedJob, type FeedJobName, feedSchedulerId } from "../src/delivery/queues.ts";
import type { FeedConfig } from "../src/domain/feed-config.ts";

export interface SchedulerSync {
  upserted: string[];
  removed: string[];
}

/**
 * Makes the queue's job schedulers match the feeds file: one per feed, keyed by the feed's
 * id, so a restart updates them in place instead of adding more, and feeds taken out of the
 * file stop being polled.
 */
export async function syncFeedSchedulers(
  queue: Queue<FeedJob, void, FeedJobName>,
  feeds: readonly Pick<FeedConfig, "id" | "intervalSeconds">[],
): Promise<SchedulerSync> {
  const wanted = new Set(feeds.map((f) => feedSchedulerId(f.id)));
  for (const feed of feeds) {
    await queue.upsertJobScheduler(
      // BullMQ types the scheduler id as the queue's job-name type; at run time it is any string.
      feedSchedulerId(feed.id) as FeedJobName,
      { every: feed.intervalSeconds * 1000 },
      { name: "poll-feed", data: { feedId: feed.id } },
    );
  }
  const existing = await queue.getJobSchedulers(0, -1);
  const removed = existing.map((s) => s.key).filter((key) => !wanted.has(key));
  for (const key of removed) await queue.removeJobScheduler(key);
  await dropPendingPolls(queue, new Set(feeds.map((f) => f.id)));
  return { upserted: [...wanted], removed };
}

// Removing a scheduler leaves the poll it already queued; that poll would only log an unknown feed.
async function dropPendingPolls(queue: Queue<FeedJob, void, FeedJobName>, feedIds: ReadonlySet<string>) {
  const pending = await queue.getJobs(["waiting", "delayed", "prioritized"]);
  for (const job of pending) {
    if (feedIds.has(job.data.feedId)) continue;
    // A worker may have taken it meanwhile; then it runs once and is ignored.
    await job.remove().catch(() => undefined);
  }
}
