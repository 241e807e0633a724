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

async function seed(t: ReturnType<typeof deliveryTools>, first: number, count: number) {
  const ids = Array.from({ length: count }, (_, i) => first + i);
  for (let i = 0; i < ids.length; i += 200) {
    await Promise.all(ids.slice(i, i + 200).map((id) => t.subscriber(id, ["dagestan"])));
  }
  return ids;
}

describe("crash safety", () => {
  let h: Harness;
  let t: ReturnType<typeof deliveryTools>;

  beforeAll(async () => {
    // The bot runs here only to own the prefix and the fake; the worker is a separate process.
    h = await startHarness("crash-worker", { role: "bot" });
    t = deliveryTools(h);
  });
  afterAll(async () => {
    await t.queues.close();
    await h.stop();
  });

  it("loses no alert when a worker is killed with SIGKILL mid-fan-out and restarted", async () => {
    const ids = await seed(t, 100_000, 8000);
    const env = { ...h.env, SEND_RATE: "1000", JOB_LOCK_SECONDS: "2", LOG_LEVEL: "warn" };
    const first = WorkerProcess.start(env);
    const published = await t.publish(articleInput({ regions: ["dagestan"] }));
    if (published.status !== "queued") throw new Error(`not queued: ${JSON.stringify(published)}`);
    await eventually(() => sentCounts(h.fake).size >= 1500, 20_000, "1500 alerts sent before the crash");
    await first.signal("SIGKILL");
    const acceptedAtKill = [...sentCounts(h.fake).values()].reduce((a, b) => a + b, 0);
    const settledAtKill = (await t.articles.stats(published.seq)).done;
    const statsAtKill = await t.articles.stats(published.seq);
    expect(statsAtKill.fanoutDoneAt).toBeUndefined();

    const second = WorkerProcess.start(env);
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
    const missed = ids.filter((id) => !counts.get(id));
    const duplicates = ids.filter((id) => (counts.get(id) ?? 0) > 1);
    // Only sends Telegram accepted whose outcome was not yet in the ledger can repeat.
    const inFlightAtKill = acceptedAtKill - settledAtKill;
    expect(missed).toEqual([]);
    expect(duplicates.length).toBeLessThanOrEqual(Math.max(0, inFlightAtKill));
    expect(await t.articles.stats(published.seq)).toMatchObject({ recipients: 8000, sent: 8000, done: 8000 });
    console.info(
      `worker crash: ${inFlightAtKill} sends in flight at the kill, ${duplicates.length} duplicates`,
    );
  }, 90_000);
});

describe("graceful shutdown", () => {
  let h: Harness;
  let t: ReturnType<typeof deliveryTools>;

  beforeAll(async () => {
    h = await startHarness("graceful-stop", { role: "bot" });
    t = deliveryTools(h);
  });
  afterAll(async () => {
    await t.queues.close();
    await h.stop();
  });

  it("finishes the sends in flight on SIGTERM, exits 0 within 10 s, and the next worker completes with no repeat", async () => {
    const ids = await seed(t, 300_000, 4000);
    const env = { ...h.env, SEND_RATE: "500", LOG_LEVEL: "warn" };
    const first = WorkerProcess.start(env);
    const published = await t.publish(articleInput({ regions: ["dagestan"] }));
    if (published.status !== "queued") throw new Error("not queued");
    await eventually(() => sentCounts(h.fake).size >= 1000, 20_000, "1000 alerts sent before the stop");
    const stopAt = Date.now();
    expect(await first.signal("SIGTERM")).toBe(0);
    expect(Date.now() - stopAt).toBeLessThan(10_000);
    expect((await t.articles.stats(published.seq)).finishedAt).toBeUndefined();

    const second = WorkerProcess.start(env);
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
    expect(ids.filter((id) => !counts.get(id))).toEqual([]);
    expect(ids.filter((id) => (counts.get(id) ?? 0) > 1)).toEqual([]);
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
    const ids = await seed(t, 200_000, 6000);
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
