import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeBotApi } from "../../src/bench/fake-bot-api/fake-bot-api.ts";
import { defaultReaderOptions } from "../../src/domain/reader-options.ts";
import { DigestLedger } from "../../src/store/digest-ledger.ts";
import { HeldStore } from "../../src/store/held-store.ts";
import { redisKeys } from "../../src/store/keys.ts";
import { type Harness, startHarness } from "../support/bot-harness.ts";
import { articleInput, deliveryTools } from "../support/delivery-harness.ts";
import { eventually } from "../support/eventually.ts";
import { PrivateRedis } from "../support/redis.ts";
import { WorkerProcess } from "../support/worker-process.ts";

describe("a worker process killed mid-digest", () => {
  let h: Harness;
  let t: ReturnType<typeof deliveryTools>;

  beforeAll(async () => {
    // The bot runs here only to own the prefix and the fake; the workers are separate processes.
    h = await startHarness("digest-crash", { role: "bot" });
    t = deliveryTools(h);
  });
  afterAll(async () => {
    await t.queues.close();
    await h.stop();
  });

  it("loses no held article and repeats no more digests than were in flight at the kill", async () => {
    const keys = redisKeys(h.config.redisPrefix);
    const held = new HeldStore(h.redis, keys);
    const ledger = new DigestLedger(h.redis, keys);
    const count = 600;
    const ids = Array.from({ length: count }, (_, i) => 700_000 + i);
    const env = { ...h.env, SEND_RATE: "100", JOB_LOCK_SECONDS: "2", LOG_LEVEL: "info" };
    const first = WorkerProcess.start(env);
    await eventually(() => first.output.join("").includes("workers started"), 30_000, "the first worker up");
    // Muted for a few seconds, keeping what comes: the article waits and comes as a digest at the end.
    const options = { ...defaultReaderOptions(), muteUntil: Date.now() + 6000, muteKeep: true };
    for (let i = 0; i < ids.length; i += 200)
      await Promise.all(ids.slice(i, i + 200).map((id) => t.subscriber(id, ["krasnodar"], { options })));
    const digests = () => {
      const per = new Map<number, number>();
      for (const c of h.fake.calls)
        if (c.method === "sendMessage" && c.status === 200 && String(c.payload.text).includes("Дайджест")) {
          const id = Number(c.payload.chat_id);
          per.set(id, (per.get(id) ?? 0) + 1);
        }
      return per;
    };
    const published = await t.publish(articleInput({ regions: ["krasnodar"], headline: "Пока вы спали" }));
    if (published.status !== "queued") throw new Error(`not queued: ${JSON.stringify(published)}`);
    await eventually(
      async () => (await t.articles.stats(published.seq)).finishedAt !== undefined,
      20_000,
      "the article held for every chat",
    );
    expect((await t.articles.stats(published.seq)).skipped).toEqual({ held: count });
    await eventually(() => digests().size >= 150, 40_000, "150 digests sent before the kill");
    await first.signal("SIGKILL");
    const accepted = [...digests().values()].reduce((a, b) => a + b, 0);
    const recorded = new Set((await ledger.inShards(published.seq, 0, 1024)).map((e) => e.chatId));
    for (const id of ids) if ((await held.inFlight(id))?.sent.has(0)) recorded.add(id);
    // Only digests Telegram accepted that were not yet noted as sent can go twice.
    const inFlightAtKill = accepted - recorded.size;

    const second = WorkerProcess.start(env);
    try {
      await eventually(() => digests().size >= count, 60_000, "every chat's digest sent");
      await eventually(
        async () => (await ledger.inShards(published.seq, 0, 1024)).length >= count,
        10_000,
        "every digest recorded in the ledger",
      );
    } finally {
      await second.signal("SIGTERM");
    }
    const per = digests();
    expect(ids.filter((id) => !per.get(id))).toEqual([]);
    const duplicates = ids.filter((id) => (per.get(id) ?? 0) > 1).length;
    expect(duplicates).toBeLessThanOrEqual(Math.max(0, inFlightAtKill));
    for (const id of ids.slice(0, 20)) expect(await held.inFlight(id)).toBeUndefined();
    console.info(`digest crash: ${inFlightAtKill} digests in flight at the kill, ${duplicates} duplicates`);
  }, 120_000);
});

describe("Redis restarted mid-digest", () => {
  let redis: PrivateRedis;
  let fake: FakeBotApi;
  let h: Harness;
  let t: ReturnType<typeof deliveryTools>;

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    fake = await FakeBotApi.start();
    h = await startHarness("digest-crash-redis", {
      role: "worker",
      fake,
      env: { REDIS_URL: redis.url, SEND_RATE: "100", JOB_LOCK_SECONDS: "5" },
    });
    t = deliveryTools(h);
  });
  afterAll(async () => {
    await t.queues.close();
    await h.stop();
    await redis.stop();
  });

  it("loses no held article when Redis is killed and restarted while digests go out (AOF on)", async () => {
    const keys = redisKeys(h.config.redisPrefix);
    const ledger = new DigestLedger(h.redis, keys);
    const count = 600;
    const ids = Array.from({ length: count }, (_, i) => 800_000 + i);
    const options = { ...defaultReaderOptions(), muteUntil: Date.now() + 5000, muteKeep: true };
    for (let i = 0; i < ids.length; i += 200)
      await Promise.all(ids.slice(i, i + 200).map((id) => t.subscriber(id, ["rostov"], { options })));
    const digests = () => {
      const per = new Map<number, number>();
      for (const c of fake.calls)
        if (c.method === "sendMessage" && c.status === 200 && String(c.payload.text).includes("Дайджест")) {
          const id = Number(c.payload.chat_id);
          per.set(id, (per.get(id) ?? 0) + 1);
        }
      return per;
    };
    const published = await t.publish(articleInput({ regions: ["rostov"], headline: "Пока Redis спал" }));
    if (published.status !== "queued") throw new Error(`not queued: ${JSON.stringify(published)}`);
    await eventually(
      async () => (await t.articles.stats(published.seq)).finishedAt !== undefined,
      20_000,
      "the article held for every chat",
    );
    expect((await t.articles.stats(published.seq)).skipped).toEqual({ held: count });
    await eventually(() => digests().size >= 150, 40_000, "150 digests sent before the restart");
    await redis.restart();
    await eventually(() => digests().size >= count, 90_000, "every chat's digest sent after the restart");
    await eventually(
      async () => (await ledger.inShards(published.seq, 0, 1024).catch(() => [])).length >= count,
      20_000,
      "every digest recorded in the ledger",
    );
    const per = digests();
    expect(ids.filter((id) => !per.get(id))).toEqual([]);
    const duplicates = ids.filter((id) => (per.get(id) ?? 0) > 1).length;
    // Bound: the digests in flight in this one process at the restart (its digest worker's concurrency).
    expect(duplicates).toBeLessThanOrEqual(100);
    console.info(`digest redis restart: ${duplicates} duplicates`);
  }, 150_000);
});
