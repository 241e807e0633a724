import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newChat } from "../../src/domain/chat.ts";
import { ChatStore } from "../../src/store/chat-store.ts";
import { redisKeys, SUBSCRIPTION_SHARDS, shardOf } from "../../src/store/keys.ts";
import { SubscriptionStore } from "../../src/store/subscription-store.ts";
import { deletePrefix, SHARED_REDIS_URL, testPrefix } from "../support/redis.ts";

const prefix = testPrefix("subs");
const redis = new Redis(SHARED_REDIS_URL);
let subs: SubscriptionStore;

beforeAll(() => {
  subs = new SubscriptionStore(redis, redisKeys(prefix));
});
afterAll(async () => {
  await deletePrefix(redis, prefix);
  redis.disconnect();
});

describe("subscription store", () => {
  it("counts each chat once per slug however often it subscribes", async () => {
    expect(await subs.subscribe(1, "courts")).toBe(true);
    expect(await subs.subscribe(1, "courts")).toBe(false);
    expect(await subs.subscribe(2, "courts")).toBe(true);
    expect(await subs.unsubscribe(3, "courts")).toBe(false);
    expect((await subs.counts()).get("courts")).toBe(2);
    expect(await subs.unsubscribe(1, "courts")).toBe(true);
    expect((await subs.counts()).get("courts")).toBe(1);
  });

  it("streams each recipient of several slugs once, shard by shard", async () => {
    const group = -1001234567890;
    for (const id of [10, 11, group]) await subs.subscribe(id, "chechnya");
    for (const id of [11, 12, group]) await subs.subscribe(id, "protests");
    const seen = (await subs.recipientsInShards(["chechnya", "protests"], 0, SUBSCRIPTION_SHARDS)).flat();
    expect(seen.sort((a, b) => a - b)).toEqual([group, 10, 11, 12]);
    const shard = shardOf(group, SUBSCRIPTION_SHARDS);
    expect(await subs.recipientsInShards(["chechnya"], shard, shard + 1)).toEqual([[group]]);
  });

  it("stores members as integers so each shard stays a compact intset", async () => {
    await subs.subscribe(-1009876543210, "ecology");
    const key = redisKeys(prefix).subscriptionShard("ecology", shardOf(-1009876543210, SUBSCRIPTION_SHARDS));
    expect(await redis.object("ENCODING", key)).toBe("intset");
  });

  it("moves a migrated group's subscriptions to its new id", async () => {
    await subs.subscribe(-500, "elections");
    await subs.subscribe(-500, "karabakh");
    expect(await subs.moveChat(-500, -100500, ["elections", "karabakh", "courts"])).toEqual([
      "elections",
      "karabakh",
    ]);
    expect(await subs.slugsOf(-100500, ["elections", "karabakh"])).toEqual(["elections", "karabakh"]);
    expect(await subs.slugsOf(-500, ["elections", "karabakh"])).toEqual([]);
  });
});

describe("a slug whose audience outgrows its shards", () => {
  const prefixes = new Map<string, string>();
  const keysFor = (name: string) => {
    const known = prefixes.get(name) ?? testPrefix(`subs-wide-${name}`);
    prefixes.set(name, known);
    return redisKeys(known);
  };
  const crowded = (n: number, shard: number) =>
    Array.from({ length: n }, (_, i) => shard + i * SUBSCRIPTION_SHARDS);

  afterAll(async () => {
    for (const prefix of prefixes.values()) await deletePrefix(redis, prefix);
  });

  it("keeps every part of a crowded shard an intset under Redis's stock set-max-intset-entries", async () => {
    expect(await redis.config("GET", "set-max-intset-entries")).toEqual(["set-max-intset-entries", "512"]);
    const ids = crowded(1200, 5);
    // The stock limit at work: 1,200 chats in one set make it a hashtable.
    const limitKeys = keysFor("limit");
    await new SubscriptionStore(redis, limitKeys).subscribeMany(
      ids.map((chatId) => ({ chatId, slug: "crowded" })),
    );
    expect(await redis.object("ENCODING", limitKeys.subscriptionShard("crowded", 5))).toBe("hashtable");

    // A quarter of a chat per shard on average before widening: the 1,200 chats of shard 5 count as
    // an audience of a million spread evenly, so the slug widens to 8 parts.
    const keys = keysFor("wide");
    const wide = new SubscriptionStore(redis, keys, { widenAt: 0.25 });
    for (let i = 0; i < ids.length; i += 100)
      await wide.subscribeMany(ids.slice(i, i + 100).map((chatId) => ({ chatId, slug: "crowded" })));
    expect(await redis.hget(keys.subscriptionWidths, "crowded")).toBe("8");
    expect(await redis.exists(keys.subscriptionShard("crowded", 5))).toBe(0);
    for (let part = 0; part < 8; part++) {
      const key = keys.subscriptionPart("crowded", 5, part);
      expect(await redis.scard(key)).toBe(150);
      expect(await redis.object("ENCODING", key)).toBe("intset");
    }
    expect((await wide.counts()).get("crowded")).toBe(1200);
    expect((await wide.recipientsInShards(["crowded"], 5, 6)).flat()).toEqual(ids);
    expect(await wide.subscribe(ids[7] as number, "crowded")).toBe(false);
    expect((await wide.counts()).get("crowded")).toBe(1200);
  });

  it("lets fan-out, reach, unsubscribe, /stop, a group's move and export see every chat before, during and after a widening", async () => {
    const keys = keysFor("readers");
    const chats = new ChatStore(redis, keys);
    const writer = new SubscriptionStore(redis, keys);
    const group = -1001234567890;
    const ids = [group, ...crowded(30, 3), ...crowded(30, 900), 1, 2, 1025];
    const later = [5000, 5001, -1009999999999];
    for (const id of [...ids, ...later])
      await chats.save(newChat(id, id < 0 ? "group" : "private", "ru", "Europe/Moscow"));
    for (const id of ids) await writer.subscribe(id, "chechnya");
    const views = async (expected: number[]) => {
      // A new store knows no width yet: it must find the current one, never read a stale layout.
      for (const subs of [writer, new SubscriptionStore(redis, keys)]) {
        const sorted = [...expected].sort((a, b) => a - b);
        const fanout = (
          await subs.recipientsInShards(["chechnya", "dagestan"], 0, SUBSCRIPTION_SHARDS)
        ).flat();
        expect(fanout.sort((a, b) => a - b)).toEqual(sorted);
        expect(await subs.reachInShards(["chechnya"], "ru", 0, SUBSCRIPTION_SHARDS)).toEqual({
          reached: expected.length,
          followers: expected.length,
        });
        const exported: number[] = [];
        for (let shard = 0; shard < SUBSCRIPTION_SHARDS; shard++)
          exported.push(...((await subs.membersInShard(["chechnya"], shard)).get("chechnya") ?? []));
        expect(exported.sort((a, b) => a - b)).toEqual(sorted);
        for (const id of expected) expect(await subs.slugsOf(id, ["chechnya"])).toEqual(["chechnya"]);
        expect((await subs.counts()).get("chechnya")).toBe(expected.length);
      }
    };
    let following = [...ids];
    await views(following);

    // During: two widenings (1 → 2 → 4) whose sweeps never ran, as when the process stops right
    // after each: most members still sit in the shards' own sets, a few in the parts of width 2.
    const stopped = new (class extends SubscriptionStore {
      override async settle(): Promise<void> {}
    })(redis, keys, { widenAt: 0.01 });
    await stopped.subscribe(5000, "chechnya");
    await stopped.subscribe(5001, "chechnya");
    following = [...following, 5000, 5001];
    expect(await redis.hget(keys.subscriptionWidths, "chechnya")).toBe("4");
    expect(await redis.scard(keys.subscriptionShard("chechnya", 3))).toBe(30);
    expect(await redis.exists(keys.subscriptionPart("chechnya", 3, 3))).toBe(0);
    await views(following);
    expect(await writer.subscribe(ids[3] as number, "chechnya")).toBe(false);
    expect(await writer.unsubscribe(ids[4] as number, "chechnya")).toBe(true);
    expect(await writer.removeAll(ids[33] as number, ["chechnya", "dagestan"])).toBe(1);
    expect(await writer.moveChat(group, -1009999999999, ["chechnya", "dagestan"])).toEqual(["chechnya"]);
    following = [-1009999999999, ...following.filter((id) => ![group, ids[4], ids[33]].includes(id))];
    await views(following);

    // After: the sweep puts every member in its part, and each shard of the slug is its parts alone.
    await writer.settle();
    for (let shard = 0; shard < SUBSCRIPTION_SHARDS; shard++)
      expect(await redis.exists(keys.subscriptionShard("chechnya", shard))).toBe(0);
    // Shard 3's chats 3 + 1024 i with i mod 4 = 3: seven, less the one that unsubscribed.
    expect(await redis.scard(keys.subscriptionPart("chechnya", 3, 3))).toBe(6);
    await views(following);
  });

  it("retries a write made with a width another process has since doubled", async () => {
    const keys = keysFor("stale");
    const one = new SubscriptionStore(redis, keys, { widenAt: 0.01 });
    const other = new SubscriptionStore(redis, keys, { widenAt: 0.01 });
    expect(await other.subscribe(7, "courts")).toBe(true);
    for (let id = 100; id < 130; id++) await one.subscribe(id, "courts");
    expect(await redis.hget(keys.subscriptionWidths, "courts")).toBe("4");
    expect(await other.subscribe(7, "courts")).toBe(false);
    expect(await other.subscribe(8, "courts")).toBe(true);
    expect(await other.unsubscribe(100, "courts")).toBe(true);
    expect((await one.counts()).get("courts")).toBe(31);
    expect((await one.recipientsInShards(["courts"], 0, SUBSCRIPTION_SHARDS)).flat().length).toBe(31);
  });
});
