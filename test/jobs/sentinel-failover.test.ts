import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeBotApi } from "../../src/bench/fake-bot-api/fake-bot-api.ts";
import { connectProducer, RedisUnavailableError } from "../../src/commands/connect.ts";
import { type Config, parseConfig } from "../../src/config.ts";
import { createLogger } from "../../src/logger.ts";
import { type RunningApp, startApp } from "../../src/main.ts";
import { ArticleStore } from "../../src/store/article-store.ts";
import { redisKeys } from "../../src/store/keys.ts";
import { createRedis } from "../../src/store/redis.ts";
import { TEST_TOKEN } from "../support/bot-harness.ts";
import { articleInput, deliveryTools } from "../support/delivery-harness.ts";
import { eventually } from "../support/eventually.ts";
import { recordForAudit } from "../support/label-audit.ts";
import { freePort, PrivateRedis, PrivateSentinel, testPrefix } from "../support/redis.ts";

const MASTER_NAME = "newsbell-test";
const SUBSCRIBERS = 4000;

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

/** Field → value of one entry of SENTINEL REPLICAS (a flat list of names and values). */
const fields = (flat: string[]) =>
  new Map(flat.flatMap((v, i) => (i % 2 === 0 ? [[v, flat[i + 1] ?? ""] as const] : [])));

describe("Redis Sentinel failover", () => {
  let master: PrivateRedis;
  let replica: PrivateRedis;
  let sentinel: PrivateSentinel;
  let sentinelClient: Redis;
  let fake: FakeBotApi;
  let config: Config;
  let app: RunningApp;
  let client: Redis;
  let t: ReturnType<typeof deliveryTools>;
  const warnings: string[] = [];

  beforeAll(async () => {
    master = await PrivateRedis.start();
    replica = await PrivateRedis.start(["--replicaof", "127.0.0.1", String(master.port)]);
    const replicaClient = new Redis(replica.url);
    await eventually(
      async () => /master_link_status:up/.test(await replicaClient.info("replication")),
      20_000,
      "the replica in sync with the master",
    );
    replicaClient.disconnect();
    sentinel = await PrivateSentinel.start(master, MASTER_NAME);
    sentinelClient = new Redis(`redis://${sentinel.address}`);
    // Only a replica the sentinel knows, in sync, can be promoted.
    await eventually(
      async () => {
        const replicas = (await sentinelClient.call("SENTINEL", "REPLICAS", MASTER_NAME)) as string[][];
        return replicas.some((r) => {
          const f = fields(r);
          return f.get("port") === String(replica.port) && f.get("master-link-status") === "ok";
        });
      },
      30_000,
      "the sentinel knows the replica",
    );

    fake = await FakeBotApi.start();
    config = parseConfig({
      BOT_TOKEN: TEST_TOKEN,
      TELEGRAM_API_ROOT: fake.apiRoot,
      // Under Sentinel REDIS_URL's host is not used: nothing listens here.
      REDIS_URL: "redis://127.0.0.1:1",
      REDIS_SENTINELS: sentinel.address,
      REDIS_SENTINEL_NAME: MASTER_NAME,
      REDIS_PREFIX: testPrefix("failover"),
      SEND_RATE: "1000",
      JOB_LOCK_SECONDS: "5",
      HTTP_PORT: "0",
    });
    const logger = createLogger("warn", [], { write: (line: string) => warnings.push(line) });
    app = await startApp(config, "worker", logger);
    client = createRedis(config.redis, "worker");
    client.on("error", () => undefined);
    t = deliveryTools({ config, redis: client });
    // Each queue on the client reports the failover as an error event: expected here.
    for (const queue of Object.values(t.queues)) {
      if (typeof queue === "object") queue.on("error", () => undefined);
    }
  }, 90_000);

  afterAll(async () => {
    await app?.stop();
    await t?.queues.close();
    client?.disconnect();
    sentinelClient?.disconnect();
    if (fake) {
      recordForAudit("sentinel-failover", fake.calls);
      await fake.stop();
    }
    await sentinel?.stop();
    await replica?.stop();
    await master?.stop();
  });

  it("keeps delivering on the promoted replica when the master is killed mid-fan-out: nobody missed, repeats bounded by what the replica had not got", async () => {
    const ids = Array.from({ length: SUBSCRIBERS }, (_, i) => 400_000 + i);
    for (let i = 0; i < ids.length; i += 200) {
      await Promise.all(ids.slice(i, i + 200).map((id) => t.subscriber(id, ["dagestan"])));
    }
    const published = await t.publish(articleInput({ regions: ["dagestan"] }));
    if (published.status !== "queued") throw new Error(`not queued: ${JSON.stringify(published)}`);
    await eventually(() => sentCounts(fake).size >= 1000, 30_000, "1000 alerts sent before the failover");
    expect((await t.articles.stats(published.seq)).fanoutDoneAt).toBeUndefined();

    await master.kill();
    // What the replica holds at the kill is all the new master will know: every alert Telegram
    // took whose outcome it lacks (replication not yet done, or sends in flight) may go again.
    const onReplica = new Redis(replica.url);
    const replicated = await new ArticleStore(onReplica, redisKeys(config.redisPrefix)).stats(published.seq);
    onReplica.disconnect();
    await eventually(
      async () => {
        const addr = (await sentinelClient.call(
          "SENTINEL",
          "GET-MASTER-ADDR-BY-NAME",
          MASTER_NAME,
        )) as string[];
        return addr[1] === String(replica.port);
      },
      60_000,
      "the sentinel promoted the replica",
    );
    const acceptedAtPromotion = [...sentCounts(fake).values()].reduce((a, b) => a + b, 0);

    await eventually(
      async () =>
        (await t.articles.stats(published.seq).catch(() => ({ finishedAt: undefined }))).finishedAt !==
        undefined,
      90_000,
      "delivery finished on the promoted replica",
    ).catch(async (error: unknown) => {
      // What a failure in CI needs to be understood: where delivery stood and what the workers said.
      const stats = await t.articles.stats(published.seq).catch((e: Error) => e.message);
      const jobs = await t.queues.deliver.getJobCounts().catch((e: Error) => e.message);
      const clients = await client.call("CLIENT", "LIST").catch((e: Error) => e.message);
      console.error("connections to the new master", clients);
      console.error(
        "stuck after the failover",
        { stats, jobs, sent: sentCounts(fake).size },
        warnings.slice(-30),
      );
      throw error;
    });
    const counts = sentCounts(fake);
    expect(ids.filter((id) => !counts.get(id))).toEqual([]);
    const duplicates = ids.filter((id) => (counts.get(id) ?? 0) > 1).length;
    const bound = acceptedAtPromotion - replicated.done;
    expect(duplicates).toBeLessThanOrEqual(bound);
    expect(await t.articles.stats(published.seq)).toMatchObject({
      recipients: SUBSCRIBERS,
      sent: SUBSCRIBERS,
      done: SUBSCRIBERS,
    });
    // The workers said what happened and carried on (the delivery above finished).
    expect(warnings.some((line) => line.includes("redis connection problem"))).toBe(true);
    // A one-shot command (the CLI's connection) asks the sentinels too, and reaches the new master.
    const cli = await connectProducer(config.redis);
    try {
      expect(((await cli.call("ROLE")) as string[])[0]).toBe("master");
      expect(((await cli.call("CONFIG", "GET", "port")) as string[])[1]).toBe(String(replica.port));
    } finally {
      cli.disconnect();
    }
    console.info(
      `sentinel failover: ${acceptedAtPromotion} alerts accepted at the promotion, ${replicated.done} settled on the replica, ${duplicates} duplicates`,
    );
  }, 180_000);
});

describe("Redis Sentinel out of reach", () => {
  it("stops a one-shot command at once with one line naming the sentinels and the master", async () => {
    const port = await freePort();
    const target = {
      url: "redis://127.0.0.1:1",
      sentinels: [{ host: "127.0.0.1", port }],
      sentinelName: "main",
    };
    const attempt = connectProducer(target, 5_000);
    await expect(attempt).rejects.toBeInstanceOf(RedisUnavailableError);
    await expect(attempt).rejects.toThrow(
      `cannot reach Redis at master "main" of the sentinels 127.0.0.1:${port} (REDIS_SENTINELS): All sentinels are unreachable`,
    );
  });
});
