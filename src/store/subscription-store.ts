import type { ChainableCommander, Redis } from "ioredis";
import type { Language } from "../domain/language.ts";
import { CHAT_BUCKETS, type RedisKeys, SUBSCRIPTION_SHARDS, shardOf } from "./keys.ts";
import { defineScripts, readLua } from "./lua.ts";

const SCRIPTS = {
  remove: ["newsbellUnsubscribe", readLua("unsubscribe")],
  addMany: ["newsbellSubscribeMany", readLua("subscribe-many")],
  countReach: ["newsbellCountReach", readLua("count-reach")],
} as const;

// count-reach.lua finds a shard's chats in its 4 settings buckets: shard + k × 1024.
if (CHAT_BUCKETS !== 4 * SUBSCRIPTION_SHARDS)
  throw new Error("count-reach.lua needs 4 chat buckets per shard");

/**
 * Followers per shard part, on average, past which a slug's width doubles: under Redis's stock
 * set-max-intset-entries (512) with room for parts that fill faster than the average.
 */
export const WIDEN_AT = 400;

/** Widths only double, so a few re-reads always catch up; more means something is wrong. */
const MAX_ATTEMPTS = 10;

/** Shards whose members a sweep moves at once: each is its own short script call. */
const SETTLE_BATCH = 64;

/** What one count of reach found in some shards. */
export interface ShardReach {
  /** Active chats of the edition following any of the slugs. */
  reached: number;
  /** Chats following any of the slugs, whatever their state: the work the count did. */
  followers: number;
}

export interface SubscriptionOptions {
  /** Followers per shard part, on average, past which a slug's width doubles (WIDEN_AT). */
  widenAt?: number;
}

/**
 * A chat's subscription to a slug is its id in the set `sub:{slug}:{chatId mod 1024}`.
 * Integer members keep each set an intset (4–8 bytes a member) as long as it holds at most
 * Redis's set-max-intset-entries (512 unless changed), and the shards let fan-out stream
 * recipients one shard at a time with SUNION deduplicating slugs.
 *
 * A slug followed by hundreds of thousands would pass that limit in every shard, and each set
 * would become a hashtable of ~50 bytes a member. So a slug has a width W (1, 2, 4…, in the
 * widths hash), doubled once its count passes `widenAt` × 1024 × W; past 1, shard k is split into
 * parts `sub:{slug}:{k}:{p}`, p = floor(chatId / 1024) mod W (subscribe-many.lua). Readers take
 * the union of the shard's set and all its parts, so a widening half done hides nobody; every
 * script checks that the width it was given is still the stored one, and is called again after
 * a re-read when it is not.
 */
export class SubscriptionStore {
  private readonly scripts;
  private readonly widenAt: number;
  /** The widths last read: a slug not in it has width 1 until Redis says otherwise. */
  private readonly widths = new Map<string, number>();

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    options: SubscriptionOptions = {},
  ) {
    this.scripts = defineScripts(redis, SCRIPTS);
    this.widenAt = options.widenAt ?? WIDEN_AT;
  }

  private width(slug: string): number {
    return this.widths.get(slug) ?? 1;
  }

  private async readWidths(): Promise<void> {
    const raw = await this.redis.hgetall(this.keys.subscriptionWidths);
    this.widths.clear();
    for (const [slug, width] of Object.entries(raw)) this.widths.set(slug, Number(width));
  }

  /** Runs `attempt` with the widths known, again after re-reading them while it says they changed. */
  private async withWidths<T>(attempt: () => Promise<T | undefined>): Promise<T> {
    for (let i = 0; i < MAX_ATTEMPTS; i++) {
      const result = await attempt();
      if (result !== undefined) return result;
      await this.readWidths();
    }
    throw new Error("subscription widths kept changing while read");
  }

  /** Every set that may hold a follower of `slug` in `shard`: the shard's set, then its parts. */
  private setsOf(slug: string, shard: number): string[] {
    const width = this.width(slug);
    const sets = [this.keys.subscriptionShard(slug, shard)];
    for (let part = 0; width > 1 && part < width; part++)
      sets.push(this.keys.subscriptionPart(slug, shard, part));
    return sets;
  }

  /**
   * Queues reads in one transaction after the slugs' widths, so the reads see the layout those
   * widths describe; again with fresh widths if they were not the ones the reads assumed.
   */
  private async read(slugs: readonly string[], queue: (tx: ChainableCommander) => void): Promise<unknown[]> {
    return this.withWidths(async () => {
      const tx = this.redis.multi().hmget(this.keys.subscriptionWidths, ...slugs);
      queue(tx);
      const results = (await tx.exec()) ?? [];
      const values = results.map(([err, value]) => {
        if (err) throw err;
        return value;
      });
      const stored = (values[0] ?? []) as (string | null)[];
      return slugs.every((slug, i) => Number(stored[i] ?? 1) === this.width(slug))
        ? values.slice(1)
        : undefined;
    });
  }

  async subscribe(chatId: number, slug: string): Promise<boolean> {
    const shard = shardOf(chatId, SUBSCRIPTION_SHARDS);
    const [added, widened] = await this.withWidths(() => this.add([{ slug, shard, members: [chatId] }]));
    if (widened.length > 0) await this.settle(widened);
    return added === 1;
  }

  async unsubscribe(chatId: number, slug: string): Promise<boolean> {
    const shard = shardOf(chatId, SUBSCRIPTION_SHARDS);
    return this.withWidths(async () => {
      const removed = Number(
        await this.scripts.remove(
          [this.keys.subscriptionCounts, this.keys.subscriptionWidths, ...this.setsOf(slug, shard)],
          [chatId, slug, this.width(slug)],
        ),
      );
      return removed < 0 ? undefined : removed === 1;
    });
  }

  /** Which of `slugs` the chat follows, in the order given. */
  async slugsOf(chatId: number, slugs: readonly string[]): Promise<string[]> {
    if (slugs.length === 0) return [];
    const shard = shardOf(chatId, SUBSCRIPTION_SHARDS);
    const found = await this.read(slugs, (tx) => {
      for (const slug of slugs) for (const set of this.setsOf(slug, shard)) tx.sismember(set, String(chatId));
    });
    let at = 0;
    return slugs.filter((slug) => {
      const sets = this.setsOf(slug, shard).length;
      const member = found.slice(at, at + sets).some((n) => n === 1);
      at += sets;
      return member;
    });
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
    const results = await this.read(slugs, (tx) => {
      for (let shard = from; shard < to; shard++)
        tx.sunion(...slugs.flatMap((slug) => this.setsOf(slug, shard)));
    });
    return results.map((members) => (members as string[]).map(Number).sort((a, b) => a - b));
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
    return this.withWidths(async () => {
      const keys: string[] = [this.keys.subscriptionWidths];
      for (let shard = from; shard < Math.min(to, SUBSCRIPTION_SHARDS); shard++) {
        for (const slug of slugs) keys.push(...this.setsOf(slug, shard));
        for (let k = 0; k < CHAT_BUCKETS / SUBSCRIPTION_SHARDS; k++)
          keys.push(this.keys.chatBucketAt(shard + k * SUBSCRIPTION_SHARDS));
      }
      const [reached, followers] = (await this.scripts.countReach(keys, [
        slugs.length,
        edition,
        SUBSCRIPTION_SHARDS,
        ...slugs.flatMap((slug) => [slug, this.width(slug)]),
      ])) as [number, number];
      return reached < 0 ? undefined : { reached, followers };
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
   * Subscribes many (chat, slug) pairs in one script call: the same rule as `subscribe` (a count
   * moves only when membership changed), at a fraction of the cost of one call per pair.
   * Returns how many were new. Meant for batches of a few thousand pairs (bulk import).
   */
  async subscribeMany(pairs: readonly { chatId: number; slug: string }[]): Promise<number> {
    if (pairs.length === 0) return 0;
    const [added, widened] = await this.withWidths(async () => {
      const groups = new Map<string, { slug: string; shard: number; members: number[] }>();
      for (const { chatId, slug } of pairs) {
        const shard = shardOf(chatId, SUBSCRIPTION_SHARDS);
        const id = `${slug}:${shard}`;
        const group = groups.get(id);
        if (group) group.members.push(chatId);
        else groups.set(id, { slug, shard, members: [chatId] });
      }
      return this.add([...groups.values()]);
    });
    // A doubled width is laid out now, so its shards do not wait to be written to become intsets.
    if (widened.length > 0) await this.settle(widened);
    return added;
  }

  /**
   * One subscribe-many.lua call: how many members were new and which slugs widened, or
   * undefined when a width given was not the stored one.
   */
  private async add(
    groups: readonly { slug: string; shard: number; members: readonly number[] }[],
  ): Promise<[number, string[]] | undefined> {
    const keys: string[] = [this.keys.subscriptionCounts, this.keys.subscriptionWidths];
    const args: (string | number)[] = [SUBSCRIPTION_SHARDS, this.widenAt];
    for (const { slug, shard, members } of groups) {
      const width = this.width(slug);
      if (width > 1) keys.push(this.keys.subscriptionPlaced(slug));
      keys.push(...this.setsOf(slug, shard));
      args.push(slug, width, shard, members.length, ...members);
    }
    const reply = (await this.scripts.addMany(keys, args)) as number | [number, ...string[]];
    if (typeof reply === "number") return reply < 0 ? undefined : [reply, []];
    const [added, ...widened] = reply;
    return [added, widened];
  }

  /**
   * Moves the members of every widened slug (or of `only` these) to their parts, shard by shard,
   * each shard in one short script call: the shards nobody wrote to since the width doubled.
   */
  async settle(only?: readonly string[]): Promise<void> {
    await this.readWidths();
    for (let i = 0; i < MAX_ATTEMPTS; i++) {
      let stale = false;
      for (const [slug, width] of this.widths) {
        if (width === 1 || (only && !only.includes(slug))) continue;
        const placed = (await this.redis.getBuffer(this.keys.subscriptionPlaced(slug))) ?? Buffer.alloc(0);
        const todo: number[] = [];
        for (let shard = 0; shard < SUBSCRIPTION_SHARDS; shard++)
          if (((placed[shard >> 3] ?? 0) & (0x80 >> (shard & 7))) === 0) todo.push(shard);
        for (let at = 0; at < todo.length && !stale; at += SETTLE_BATCH) {
          const results = await Promise.all(
            todo.slice(at, at + SETTLE_BATCH).map((shard) => this.add([{ slug, shard, members: [] }])),
          );
          stale = results.includes(undefined);
        }
        if (stale) break;
      }
      if (!stale) return;
      await this.readWidths();
    }
    throw new Error("subscription widths kept changing while settled");
  }

  /** Each slug's members in one shard, in one round trip: what an export reads per shard. */
  async membersInShard(slugs: readonly string[], shard: number): Promise<Map<string, number[]>> {
    const members = new Map<string, number[]>();
    if (slugs.length === 0) return members;
    const results = await this.read(slugs, (tx) => {
      for (const slug of slugs) tx.sunion(...this.setsOf(slug, shard));
    });
    slugs.forEach((slug, i) => {
      const ids = results[i];
      if (Array.isArray(ids) && ids.length > 0) members.set(slug, ids.map(Number));
    });
    return members;
  }
}
