import type { Redis } from "ioredis";
import type { Language } from "../domain/language.ts";
import { CHAT_BUCKETS, type RedisKeys, SUBSCRIPTION_SHARDS, shardOf } from "./keys.ts";
import { defineScript, readLua } from "./lua.ts";

const ADD = readLua("subscribe");
const REMOVE = readLua("unsubscribe");
const ADD_MANY = readLua("subscribe-many");
const COUNT_REACH = readLua("count-reach");

// count-reach.lua finds a shard's chats in its 4 settings buckets: shard + k × 1024.
if (CHAT_BUCKETS !== 4 * SUBSCRIPTION_SHARDS)
  throw new Error("count-reach.lua needs 4 chat buckets per shard");

/** What one count of reach found in some shards. */
export interface ShardReach {
  /** Active chats of the edition following any of the slugs. */
  reached: number;
  /** Chats following any of the slugs, whatever their state: the work the count did. */
  followers: number;
}

/**
 * A chat's subscription to a slug is its id in the set `sub:{slug}:{chatId mod 1024}`.
 * Integer members keep each set an intset (8 bytes a member), and the shards let
 * fan-out stream recipients one shard at a time with SUNION deduplicating slugs.
 */
export class SubscriptionStore {
  private readonly add;
  private readonly remove;
  private readonly countReachScript;

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {
    this.add = defineScript(redis, "newsbellSubscribe", ADD);
    this.remove = defineScript(redis, "newsbellUnsubscribe", REMOVE);
    this.countReachScript = defineScript(redis, "newsbellCountReach", COUNT_REACH);
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

  /**
   * Every chat following any of `slugs` in shards `from`..`to-1`, in one round trip: one sorted
   * list per shard, each chat once however many of the slugs it follows.
   */
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

  /**
   * How many active chats of `edition` follow any of `slugs` in shards `from`..`to-1`: counted
   * inside Redis in one script call (the chats' settings never leave it), each chat once.
   */
  async reachInShards(
    slugs: readonly string[],
    edition: Language,
    from: number,
    to: number,
  ): Promise<ShardReach> {
    if (slugs.length === 0 || to <= from) return { reached: 0, followers: 0 };
    const keys: string[] = [];
    for (let shard = from; shard < Math.min(to, SUBSCRIPTION_SHARDS); shard++) {
      for (const slug of slugs) keys.push(this.keys.subscriptionShard(slug, shard));
      for (let k = 0; k < CHAT_BUCKETS / SUBSCRIPTION_SHARDS; k++)
        keys.push(this.keys.chatBucketAt(shard + k * SUBSCRIPTION_SHARDS));
    }
    const [reached, followers] = (await this.countReachScript(keys, [
      slugs.length,
      edition,
      SUBSCRIPTION_SHARDS,
    ])) as [number, number];
    return { reached, followers };
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
   * Subscribes many (chat, slug) pairs in one script call: the same rule as `subscribe` (a count
   * moves only when membership changed), at a fraction of the cost of one call per pair.
   * Returns how many were new. Meant for batches of a few thousand pairs (bulk import).
   */
  async subscribeMany(pairs: readonly { chatId: number; slug: string }[]): Promise<number> {
    if (pairs.length === 0) return 0;
    const byKey = new Map<string, { slug: string; members: number[] }>();
    for (const { chatId, slug } of pairs) {
      const key = this.shardKey(chatId, slug);
      const group = byKey.get(key);
      if (group) group.members.push(chatId);
      else byKey.set(key, { slug, members: [chatId] });
    }
    const args: (string | number)[] = [];
    for (const { slug, members } of byKey.values()) args.push(slug, members.length, ...members);
    const addMany = defineScript(this.redis, "newsbellSubscribeMany", ADD_MANY);
    return Number(await addMany([this.keys.subscriptionCounts, ...byKey.keys()], args));
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
