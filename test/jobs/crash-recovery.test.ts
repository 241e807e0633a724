import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeBotApi } from "../../src/bench/fake-bot-api/fake-bot-api.ts";
import { TICK_MS } from "../../src/store/rate-limiter.ts";
import { type Harness, startHarness } from "../support/bot-harness.ts";
import { articleInput, deliveryTools } from "../support/delivery-harness.ts";
import { eventually } from "../support/eventually.ts";
import { PrivateRedis } from "../support/redis.ts";
import { WorkerProcess } from "../support/worker-process.ts";

const sentCounts = (fake: FakeBotApi) => {
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

/** The ids of the delivery jobs active now. */
async function activeBatches(t: ReturnType<typeof deliveryTools>): Promise<Set<string>> {
  return new Set((await t.queues.deliver.getActive()).flatMap((job) => (job.id ? [job.id] : [])));
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
  try {
    await eventually(
      () => reached() >= opts.after,
      30_000,
      `${opts.after} alerts sent before the interruption`,
    );
    await opts.interrupt(first, published.seq);
  } catch (error) {
    // A failed test leaves no worker behind, stopped or running.
    if (first.pid !== undefined) process.kill(first.pid, "SIGCONT");
    await first.signal("SIGKILL");
    throw error;
  }
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

  it("repeats no more than the sends in flight when a stalled worker resumes after another took its batches over", async () => {
    /**
     * Sends that passed their lock check but had not written their request when the process
     * stopped: the sends of one tick wake and pass their checks together (10 at 1000/s), and a stop
     * can fall while they are being written (CI saw 11 repeats for 2 counted in flight).
     */
    const UNWRITTEN_AT_STOP = (1000 * TICK_MS) / 1000;
    const lockSeconds = 2;
    const ids = Array.from({ length: 6000 }, (_, i) => 500_000 + i);
    let inFlightAtStop = 0;
    let taken = 0;
    let resumed: WorkerProcess | undefined;
    let other: WorkerProcess | undefined;
    const run = deliverThroughInterruption(h, t, {
      firstId: 500_000,
      count: 6000,
      region: "kabardino-balkaria",
      env: { ...h.env, SEND_RATE: "1000", JOB_LOCK_SECONDS: String(lockSeconds), LOG_LEVEL: "error" },
      after: 1000,
      interrupt: async (worker, seq) => {
        const pid = worker.pid;
        if (pid === undefined) throw new Error("worker not started");
        // The event loop stops as in a long stall: nothing is killed, the process carries on later.
        process.kill(pid, "SIGSTOP");
        const held = await activeBatches(t);
        // Requests written before the stop may still be arriving: count once the fake is quiet.
        let seen = -1;
        await eventually(
          () => {
            const same = h.fake.calls.length === seen;
            seen = h.fake.calls.length;
            return same;
          },
          5000,
          "the stopped worker's last requests answered",
        );
        // This test's chats only: the fake also holds the sends of the tests before it.
        const counts = sentCounts(h.fake);
        const accepted = ids.reduce((sum, id) => sum + (counts.get(id) ?? 0), 0);
        inFlightAtStop = accepted - (await t.articles.stats(seq)).done;
        expect(held.size).toBeGreaterThan(0);
        // Another worker takes the stalled worker's batches over once their locks lapse, and
        // sends them: the stalled worker's reading of their ledger is stale from then on.
        other = WorkerProcess.start({
          ...h.env,
          SEND_RATE: "1000",
          JOB_LOCK_SECONDS: String(lockSeconds),
          LOG_LEVEL: "error",
        });
        try {
          await eventually(
            async () => {
              const states = await Promise.all([...held].map((id) => t.queues.deliver.getJobState(id)));
              taken = states.filter((state) => state === "completed" || state === "unknown").length;
              return taken === held.size;
            },
            60_000,
            "every batch of the stalled worker finished by another",
          );
        } finally {
          process.kill(pid, "SIGCONT");
        }
        resumed = worker;
      },
    });
    let result: Awaited<typeof run>;
    try {
      result = await run;
      // Whatever the resumed worker was still sending has ended once it exits; count after that.
      expect(await resumed?.signal("SIGTERM")).toBe(0);
    } finally {
      await resumed?.signal("SIGKILL");
      await other?.signal("SIGTERM");
    }
    const counts = sentCounts(h.fake);
    const duplicates = ids.filter((id) => (counts.get(id) ?? 0) > 1);
    expect(taken).toBeGreaterThan(0);
    expect(result.missed).toEqual([]);
    // Without the fence the resumed worker sends the rest of each batch it held (hundreds). The
    // fake counts what reached it by the stop; a send past its last lock check whose request was
    // not written yet is in flight too, unseen from here: a few microtasks wide, so a few at most.
    expect(duplicates.length).toBeLessThanOrEqual(Math.max(0, inFlightAtStop) + UNWRITTEN_AT_STOP);
    // In flight: at most the process's 400 concurrent sends and the outcomes not yet recorded.
    expect(inFlightAtStop).toBeLessThanOrEqual(450);
    console.info(
      `stalled worker: ${taken} batches taken over, ${inFlightAtStop} sends in flight at the stop, ${duplicates.length} duplicates`,
    );
  }, 120_000);

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
  let fake: FakeBotApi;
  let h: Harness;
  let t: ReturnType<typeof deliveryTools>;

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    fake = await FakeBotApi.start();
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
