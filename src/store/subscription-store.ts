import type { Redis } from "ioredis";
import { type RedisKeys, SUBSCRIPTION_SHARDS, shardOf } from "./keys.ts";
import { defineScript } from "./lua.ts";

// The count moves only when membership really changed, so repeated taps keep counts exact.
const ADD = `if redis.call('SADD', KEYS[1], ARGV[1]) == 1 then redis.call('HINCRBY', KEYS[2], ARGV[2], 1) return 1 end return 0`;
const REMOVE = `if redis.call('SREM', KEYS[1], ARGV[1]) == 1 then redis.call('HINCRBY', KEYS[2], ARGV[2], -1) return 1 end return 0`;

/**
 * A chat's subscription to a slug is its id in the set `sub:{slug}:{chatId mod 1024}`.
 * Integer members keep each set an intset (8 bytes a member), and the shards let
 * fan-out stream recipients one shard at a time with SUNION deduplicating slugs.
 */
export class SubscriptionStore {
  private readonly add;
  private readonly remove;

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {
    this.add = defineScript(redis, "newsbellSubscribe", ADD);
    this.remove = defineScript(redis, "newsbellUnsubscribe", REMOVE);
  }

  private shardKey(chatId: number, slug: string): string {
    return this.keys.subscriptionShard(slug, shardOf(chatId, SUBSCRIPTION_SHARDS));
  }

  async subscribe(chatId: number, slug: string): Promise<boolean> {
    return (
      (await this.add([this.shardKey(chatId, slug), this.keys.subscriptionCounts], [chatId, slug])) === 1
    );
  }

  async unsubscribe(chatId: number, slug: string): Promise<boolean> {
    return (
      (await this.remove([this.shardKey(chatId, slug), this.keys.subscriptionCounts], [chatId, slug])) === 1
    );
  }

  /** Which of `slugs` the chat follows, in the order given. */
  async slugsOf(chatId: number, slugs: readonly string[]): Promise<string[]> {
    if (slugs.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const slug of slugs) pipeline.sismember(this.shardKey(chatId, slug), String(chatId));
    const results = (await pipeline.exec()) ?? [];
    return slugs.filter((_, i) => results[i]?.[1] === 1);
  }

  async removeAll(chatId: number, slugs: readonly string[]): Promise<number> {
    const removed = await Promise.all(slugs.map((slug) => this.unsubscribe(chatId, slug)));
    return removed.filter(Boolean).length;
  }

  async counts(): Promise<Map<string, number>> {
    const raw = await this.redis.hgetall(this.keys.subscriptionCounts);
    return new Map(Object.entries(raw).map(([slug, n]) => [slug, Number(n)]));
  }

  /** Every chat following any of `slugs` whose id falls in `shard`, each once, sorted. */
  async recipientsInShard(slugs: readonly string[], shard: number): Promise<number[]> {
    if (slugs.length === 0) return [];
    const members = await this.redis.sunion(...slugs.map((slug) => this.keys.subscriptionShard(slug, shard)));
    return members.map(Number).sort((a, b) => a - b);
  }

  /** The recipients of shards `from`..`to-1` in one round trip, one sorted list per shard. */
  async recipientsInShards(slugs: readonly string[], from: number, to: number): Promise<number[][]> {
    if (slugs.length === 0 || to <= from) return [];
    const pipeline = this.redis.pipeline();
    for (let shard = from; shard < to; shard++) {
      pipeline.sunion(...slugs.map((slug) => this.keys.subscriptionShard(slug, shard)));
    }
    const results = (await pipeline.exec()) ?? [];
    return results.map(([err, members]) => {
      if (err) throw err;
      return (members as string[]).map(Number).sort((a, b) => a - b);
    });
  }

  /** Moves every subscription of a chat to its new id (a group upgraded to a supergroup). */
  async moveChat(fromId: number, toId: number, slugs: readonly string[]): Promise<string[]> {
    const followed = await this.slugsOf(fromId, slugs);
    for (const slug of followed) {
      await this.subscribe(toId, slug);
      await this.unsubscribe(fromId, slug);
    }
    return followed;
  }

  /**
   * Subscribes many (chat, slug) pairs in one round trip with the same script as `subscribe`,
   * so counts stay exact; returns how many were new.
   */
  async subscribeMany(pairs: readonly { chatId: number; slug: string }[]): Promise<number> {
    if (pairs.length === 0) return 0;
    // ioredis puts commands defined on the client (here by the constructor) on its pipelines too.
    const pipeline = this.redis.pipeline();
    const add = (pipeline as unknown as Record<string, ((...a: (string | number)[]) => unknown) | undefined>)
      .newsbellSubscribe;
    if (!add) throw new Error("script newsbellSubscribe is not defined");
    for (const { chatId, slug } of pairs) {
      add.call(pipeline, 2, this.shardKey(chatId, slug), this.keys.subscriptionCounts, chatId, slug);
    }
    const results = (await pipeline.exec()) ?? [];
    let added = 0;
    for (const [err, result] of results) {
      if (err) throw err;
      if (result === 1) added++;
    }
    return added;
  }

  /** Each slug's members in one shard, in one round trip: what an export reads per shard. */
  async membersInShard(slugs: readonly string[], shard: number): Promise<Map<string, number[]>> {
    const members = new Map<string, number[]>();
    if (slugs.length === 0) return members;
    const pipeline = this.redis.pipeline();
    for (const slug of slugs) pipeline.smembers(this.keys.subscriptionShard(slug, shard));
    const results = (await pipeline.exec()) ?? [];
    slugs.forEach((slug, i) => {
      const [err, ids] = results[i] ?? [];
      if (err) throw err;
      if (Array.isArray(ids) && ids.length > 0) members.set(slug, ids.map(Number));
    });
    return members;
  }
}
