import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { syncFeedSchedulers } from "../../jobs/feed-schedulers.ts";
import { createQueues, feedSchedulerId, type Queues } from "../../src/delivery/queues.ts";
import { redisKeys } from "../../src/store/keys.ts";
import { deletePrefix, SHARED_REDIS_URL, testPrefix } from "../support/redis.ts";

const prefix = testPrefix("feedsched");
const redis = new Redis(SHARED_REDIS_URL, { maxRetriesPerRequest: null });
let queues: Queues;

beforeAll(() => {
  queues = createQueues(redis, redisKeys(prefix).bullPrefix);
});
afterAll(async () => {
  await queues.close();
  await deletePrefix(redis, prefix);
  redis.disconnect();
});

async function schedulers() {
  const list = await queues.feeds.getJobSchedulers(0, -1);
  return list
    .map((s) => ({ key: s.key, every: s.every, data: s.template?.data }))
    .sort((a, b) => a.key.localeCompare(b.key));
}

async function pendingJobs(): Promise<number> {
  const counts = await queues.feeds.getJobCounts("waiting", "delayed", "prioritized");
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

describe("feed schedulers", () => {
  it("adds one scheduler per feed, and a second sync (a restart) adds no scheduler and no job", async () => {
    const feeds = [
      { id: "ru", intervalSeconds: 300 },
      { id: "en", intervalSeconds: 60 },
    ];
    await syncFeedSchedulers(queues.feeds, feeds);
    const jobsAfterFirst = await pendingJobs();
    await syncFeedSchedulers(queues.feeds, feeds);
    expect(await schedulers()).toEqual([
      { key: feedSchedulerId("en"), every: 60_000, data: { feedId: "en" } },
      { key: feedSchedulerId("ru"), every: 300_000, data: { feedId: "ru" } },
    ]);
    expect(jobsAfterFirst).toBe(2);
    expect(await pendingJobs()).toBe(2);
  });

  it("updates a changed interval in place and removes the scheduler of a feed taken out of the file", async () => {
    const result = await syncFeedSchedulers(queues.feeds, [{ id: "ru", intervalSeconds: 120 }]);
    expect(result).toEqual({ upserted: [feedSchedulerId("ru")], removed: [feedSchedulerId("en")] });
    expect(await schedulers()).toEqual([
      { key: feedSchedulerId("ru"), every: 120_000, data: { feedId: "ru" } },
    ]);
    expect(await pendingJobs()).toBe(1);
  });

  it("removes every scheduler when the file lists no feed", async () => {
    await syncFeedSchedulers(queues.feeds, []);
    expect(await queues.feeds.getJobSchedulersCount()).toBe(0);
  });
});
