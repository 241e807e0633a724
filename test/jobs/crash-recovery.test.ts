import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "../support/bot-harness.ts";
import { articleInput, deliveryTools } from "../support/delivery-harness.ts";
import { eventually } from "../support/eventually.ts";
import { FakeTelegram } from "../support/fake-telegram.ts";
import { PrivateRedis } from "../support/redis.ts";
import { WorkerProcess } from "../support/worker-process.ts";

const sentCounts = (fake: FakeTelegram) => {
  const perChat = new Map<number, number>();
  for (const c of fake.calls) {
    if (c.method === "sendMessage" && c.status === 200) {
      const id = Number(c.payload.chat_id);
      perChat.set(id, (perChat.get(id) ?? 0) + 1);
    }
  }
  return perChat;
};

async function seed(t: ReturnType<typeof deliveryTools>, first: number, count: number, region = "dagestan") {
  const ids = Array.from({ length: count }, (_, i) => first + i);
  for (let i = 0; i < ids.length; i += 200) {
    await Promise.all(ids.slice(i, i + 200).map((id) => t.subscriber(id, [region])));
  }
  return ids;
}

/**
 * Publishes to `count` fresh subscribers through a worker process, interrupts that process once
 * `after` of them have their alert, then lets a new worker process finish the article.
 */
async function deliverThroughInterruption(
  h: Harness,
  t: ReturnType<typeof deliveryTools>,
  opts: {
    firstId: number;
    count: number;
    /** Each test its own region, so its article reaches only its own subscribers. */
    region: string;
    env: Record<string, string>;
    after: number;
    interrupt: (worker: WorkerProcess, seq: number) => Promise<void>;
  },
) {
  const ids = await seed(t, opts.firstId, opts.count, opts.region);
  const reached = () => {
    const counts = sentCounts(h.fake);
    return ids.filter((id) => counts.has(id)).length;
  };
  const first = WorkerProcess.start(opts.env);
  const published = await t.publish(articleInput({ regions: [opts.region] }));
  if (published.status !== "queued") throw new Error(`not queued: ${JSON.stringify(published)}`);
  await eventually(
    () => reached() >= opts.after,
    20_000,
    `${opts.after} alerts sent before the interruption`,
  );
  await opts.interrupt(first, published.seq);
  const second = WorkerProcess.start(opts.env);
  try {
    await eventually(
      async () => (await t.articles.stats(published.seq)).finishedAt !== undefined,
      40_000,
      "delivery finished",
    );
  } finally {
    await second.signal("SIGTERM");
  }
  const counts = sentCounts(h.fake);
  return {
    seq: published.seq,
    missed: ids.filter((id) => !counts.get(id)),
    duplicates: ids.filter((id) => (counts.get(id) ?? 0) > 1),
  };
}

describe("worker processes stopped mid-delivery", () => {
  let h: Harness;
  let t: ReturnType<typeof deliveryTools>;

  beforeAll(async () => {
    // The bot runs here only to own the prefix and the fake; the workers are separate processes.
    h = await startHarness("crash-worker", { role: "bot" });
    t = deliveryTools(h);
  });
  afterAll(async () => {
    await t.queues.close();
    await h.stop();
  });

  it("loses no alert when a worker is killed with SIGKILL mid-fan-out and restarted", async () => {
    let inFlightAtKill = 0;
    const result = await deliverThroughInterruption(h, t, {
      firstId: 100_000,
      count: 8000,
      region: "dagestan",
      env: { ...h.env, SEND_RATE: "1000", JOB_LOCK_SECONDS: "2", LOG_LEVEL: "warn" },
      after: 1500,
      interrupt: async (worker, seq) => {
        await worker.signal("SIGKILL");
        const accepted = [...sentCounts(h.fake).values()].reduce((a, b) => a + b, 0);
        const stats = await t.articles.stats(seq);
        expect(stats.fanoutDoneAt).toBeUndefined();
        // Only sends Telegram accepted whose outcome was not yet in the ledger can repeat.
        inFlightAtKill = accepted - stats.done;
      },
    });
    expect(result.missed).toEqual([]);
    expect(result.duplicates.length).toBeLessThanOrEqual(Math.max(0, inFlightAtKill));
    expect(await t.articles.stats(result.seq)).toMatchObject({ recipients: 8000, sent: 8000, done: 8000 });
    console.info(
      `worker crash: ${inFlightAtKill} sends in flight at the kill, ${result.duplicates.length} duplicates`,
    );
  }, 90_000);

  it("finishes the sends in flight on SIGTERM, exits 0 within 10 s, and the next worker completes with no repeat", async () => {
    const result = await deliverThroughInterruption(h, t, {
      firstId: 300_000,
      count: 4000,
      region: "ingushetia",
      env: { ...h.env, SEND_RATE: "500", LOG_LEVEL: "warn" },
      after: 1000,
      interrupt: async (worker, seq) => {
        const stopAt = Date.now();
        expect(await worker.signal("SIGTERM")).toBe(0);
        expect(Date.now() - stopAt).toBeLessThan(10_000);
        expect((await t.articles.stats(seq)).finishedAt).toBeUndefined();
      },
    });
    expect(result.missed).toEqual([]);
    expect(result.duplicates).toEqual([]);
  }, 90_000);
});

describe("Redis restart", () => {
  let redis: PrivateRedis;
  let fake: FakeTelegram;
  let h: Harness;
  let t: ReturnType<typeof deliveryTools>;

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    fake = await FakeTelegram.start();
    h = await startHarness("crash-redis", {
      role: "worker",
      fake,
      env: { REDIS_URL: redis.url, SEND_RATE: "1000", JOB_LOCK_SECONDS: "5" },
    });
    t = deliveryTools(h);
  });
  afterAll(async () => {
    await t.queues.close();
    await h.stop();
    await redis.stop();
  });

  it("loses no alert when Redis is killed and restarted mid-fan-out (AOF on)", async () => {
    const ids = await seed(t, 200_000, 9000);
    const published = await t.publish(articleInput({ regions: ["dagestan"] }));
    if (published.status !== "queued") throw new Error("not queued");
    await eventually(() => sentCounts(fake).size >= 1500, 20_000, "1500 alerts sent before the restart");
    expect((await t.articles.stats(published.seq)).fanoutDoneAt).toBeUndefined();
    await redis.restart();
    await eventually(
      async () =>
        (await t.articles.stats(published.seq).catch(() => ({ finishedAt: undefined }))).finishedAt !==
        undefined,
      60_000,
      "delivery finished after the restart",
    );
    const counts = sentCounts(fake);
    expect(ids.filter((id) => !counts.get(id))).toEqual([]);
    const duplicates = ids.filter((id) => (counts.get(id) ?? 0) > 1).length;
    // Bound: the sends in flight in this one process at the restart (its in-flight capacity).
    expect(duplicates).toBeLessThanOrEqual(400);
    console.info(`redis restart: ${duplicates} duplicates`);
  }, 90_000);
});
