import { Readable } from "node:stream";
import { Redis } from "ioredis";
import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeUser } from "../../src/bench/fake-bot-api/chat-state.ts";
import { FakeBotApi } from "../../src/bench/fake-bot-api/fake-bot-api.ts";
import { revisionJobId } from "../../src/delivery/queues.ts";
import { redisKeys } from "../../src/store/keys.ts";
import { importSubscribers } from "../../src/store/subscriber-import.ts";
import { SubscriptionStore } from "../../src/store/subscription-store.ts";
import { type Harness, startHarness } from "../support/bot-harness.ts";
import { articleInput, deliveryTools } from "../support/delivery-harness.ts";
import { eventually } from "../support/eventually.ts";
import { PrivateRedis, testPrefix } from "../support/redis.ts";

const TOKEN = "ingest-token-for-the-cluster-test-0123";

/**
 * A Redis in cluster mode holding every slot: it runs each command as a one-node cluster would,
 * so it refuses a script or transaction whose keys lie in different slots (CROSSSLOT).
 */
async function startClusterNode(): Promise<PrivateRedis> {
  const node = await PrivateRedis.start(["--cluster-enabled", "yes"]);
  const admin = new Redis(node.url);
  try {
    await admin.call("CLUSTER", "ADDSLOTSRANGE", "0", "16383");
    await eventually(
      async () => /cluster_state:ok/.test(String(await admin.call("CLUSTER", "INFO"))),
      20_000,
      "cluster_state:ok",
    );
  } finally {
    admin.disconnect();
  }
  return node;
}

describe("Redis Cluster with a {hash-tag} prefix", () => {
  let node: PrivateRedis;

  beforeAll(async () => {
    node = await startClusterNode();
  }, 30_000);
  afterAll(async () => {
    await node?.stop();
  });

  it("refuses a plain prefix: Redis rejects the cross-slot script, and the app will not start", async () => {
    const client = new Redis(node.url);
    try {
      const plain = new SubscriptionStore(client, redisKeys(testPrefix("cluster-plain")));
      // subscribe.lua touches the slug's shard and the counts: two slots without a hash tag.
      await expect(plain.subscribe(1, "chechnya")).rejects.toThrow(/CROSSSLOT|same slot/);
      const tagged = new SubscriptionStore(client, redisKeys(`{${testPrefix("cluster-tag")}}`));
      expect(await tagged.subscribe(1, "chechnya")).toBeTruthy();
    } finally {
      client.disconnect();
    }
    const fake = await FakeBotApi.start();
    try {
      await expect(
        startHarness("cluster-plain", { fake, env: { REDIS_URL: node.url, REDIS_PREFIX: "newsbell" } }),
      ).rejects.toThrow(
        'Redis runs as a cluster, so REDIS_PREFIX must be a hash tag such as {newsbell} (it is "newsbell")',
      );
    } finally {
      await fake.stop();
    }
  });

  it("widens a big slug's shards and reads them back with every key in the prefix's one slot", async () => {
    const client = new Redis(node.url);
    try {
      const keys = redisKeys(`{${testPrefix("cluster-wide")}}`);
      const wide = new SubscriptionStore(client, keys, { widenAt: 0.01 });
      const ids = Array.from({ length: 30 }, (_, i) => 7 + i * 1024);
      for (const id of ids) expect(await wide.subscribe(id, "chechnya")).toBe(true);
      expect(await client.hget(keys.subscriptionWidths, "chechnya")).toBe("4");
      expect((await wide.recipientsInShards(["chechnya", "dagestan"], 7, 8)).flat()).toEqual(ids);
      expect(await wide.reachInShards(["chechnya"], "ru", 7, 8)).toEqual({ reached: 0, followers: 30 });
      expect((await wide.membersInShard(["chechnya"], 7)).get("chechnya")?.length).toBe(30);
      expect(await wide.slugsOf(ids[3] as number, ["chechnya", "dagestan"])).toEqual(["chechnya"]);
      expect(await wide.unsubscribe(ids[3] as number, "chechnya")).toBe(true);
    } finally {
      client.disconnect();
    }
  });

  describe("every part works in one slot", () => {
    let h: Harness;
    let t: ReturnType<typeof deliveryTools>;

    beforeAll(async () => {
      h = await startHarness("cluster-tag", {
        role: "all",
        env: {
          REDIS_URL: node.url,
          REDIS_PREFIX: `{${testPrefix("cluster")}}`,
          INGEST_TOKEN: TOKEN,
          SEND_RATE: "500",
          PAID_BROADCAST: "true",
        },
      });
      t = deliveryTools(h);
    }, 60_000);
    afterAll(async () => {
      await t?.queues.close();
      await h?.stop();
    });

    it("subscribes and unsubscribes through the bot", async () => {
      const user = makeUser(7001);
      const counts = () => t.subscriptions.counts();
      h.fake.sendText(user, "/start chechnya");
      await eventually(async () => (await counts()).get("chechnya") === 1, 15_000, "subscribed");
      h.fake.sendText(user, "/stop");
      await eventually(async () => ((await counts()).get("chechnya") ?? 0) === 0, 15_000, "unsubscribed");
    });

    it("imports, delivers an ingested article to each subscriber once, then corrects and retracts it", async () => {
      const ids = Array.from({ length: 250 }, (_, i) => 800_000 + i);
      const csv = ids.map((id) => `${id},ingushetia;ecology,ru`).join("\n");
      const keys = redisKeys(h.config.redisPrefix);
      const summary = await importSubscribers(h.redis, keys, Readable.from([csv]), {
        defaults: { lang: "ru", timeZone: "Europe/Moscow" },
        onBadLine: (line, reason) => {
          throw new Error(`line ${line}: ${reason}`);
        },
      });
      expect(summary).toMatchObject({ badLines: 0, newChats: ids.length });

      const article = articleInput({ regions: ["ingushetia"], topics: ["ecology"] });
      const response = await fetch(`${h.app.httpUrl}/articles`, {
        method: "POST",
        headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
        body: JSON.stringify(article),
      });
      expect(response.status).toBe(202);
      const seq = await t.articles.seqOf(String(article.id));
      if (seq === undefined) throw new Error("the article was not recorded");
      await eventually(
        async () => (await t.articles.stats(seq)).finishedAt !== undefined,
        60_000,
        "delivery finished",
      );
      expect(await t.articles.stats(seq)).toMatchObject({ recipients: ids.length, sent: ids.length });
      for (const id of ids) expect(h.fake.messagesTo(id).length, `chat ${id}`).toBe(1);
      expect((await t.deliveries.ledgerEntries(seq, ids)).size).toBe(ids.length);

      const editor = { chatId: 7002, userId: 7002, lang: "ru" as const };
      const stored = await t.articles.get(seq);
      if (!stored) throw new Error("the article is gone");
      await t.articles.replace(seq, { ...stored, headline: "Corrected headline" });
      const now = () => DateTime.utc().toISO() ?? "";
      const correction = await t.revisions.startRevision(seq, "correct", now());
      await t.queues.revisions.add(
        "correct",
        { seq, revision: correction, editor },
        { jobId: revisionJobId(seq, correction) },
      );
      await eventually(
        async () => (await t.revisions.revisionFigures(seq, correction))?.finishedAt !== undefined,
        60_000,
        "correction finished",
      );
      expect(h.fake.messagesTo(ids[0] ?? 0)[0]?.text).toContain("Corrected headline");

      const retraction = await t.revisions.startRevision(seq, "retract", now());
      await t.queues.revisions.add(
        "retract",
        { seq, revision: retraction, editor },
        { jobId: revisionJobId(seq, retraction) },
      );
      await eventually(
        async () => (await t.revisions.revisionFigures(seq, retraction))?.finishedAt !== undefined,
        60_000,
        "retraction finished",
      );
      expect(ids.filter((id) => !h.fake.messagesTo(id)[0]?.deleted)).toEqual([]);
    }, 150_000);
  });
});
