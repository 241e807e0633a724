import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
