import type { Redis } from "ioredis";
import type { FeedHealth } from "../domain/admin-stats.ts";
import { Claims } from "./claims.ts";
import type { RedisKeys } from "./keys.ts";
import { scanKeys } from "./redis.ts";

/** Item keys remembered per feed; a feed lists far fewer, so anything still in it stays remembered. */
export const SEEN_LIMIT = 2000;

export interface FeedState {
  /** The URL the validators and the first poll belong to; a changed URL starts the feed afresh. */
  url?: string;
  etag?: string;
  lastModified?: string;
  /** The first successful poll is done: its items were marked seen, not published. */
  primed: boolean;
  failures: number;
  /** Epoch milliseconds before which scheduled polls do nothing (backoff after failures). */
  nextAttemptAt?: number;
  /** The admins were told the feed is down and not yet that it recovered. */
  down: boolean;
  lastError?: string;
}

export interface Validators {
  etag?: string;
  lastModified?: string;
}

export class FeedStore {
  private readonly claims;

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly seenLimit = SEEN_LIMIT,
  ) {
    this.claims = new Claims(redis);
  }

  async state(feedId: string): Promise<FeedState> {
    const h = await this.redis.hgetall(this.keys.feedState(feedId));
    return {
      ...(h.url ? { url: h.url } : {}),
      ...(h.etag ? { etag: h.etag } : {}),
      ...(h.lastModified ? { lastModified: h.lastModified } : {}),
      primed: h.primed === "1",
      failures: Number(h.failures ?? 0) || 0,
      ...(h.nextAttemptAt ? { nextAttemptAt: Number(h.nextAttemptAt) } : {}),
      down: h.down === "1",
      ...(h.lastError ? { lastError: h.lastError } : {}),
    };
  }

  /** A token when this caller may poll the feed now, undefined while another poll holds it. */
  async lock(feedId: string, ttlMs: number): Promise<string | undefined> {
    return this.claims.claim(this.keys.feedLock(feedId), ttlMs);
  }

  async unlock(feedId: string, token: string): Promise<void> {
    await this.claims.release(this.keys.feedLock(feedId), token);
  }

  /** The keys among `itemKeys` this feed has not seen. */
  async unseen(feedId: string, itemKeys: readonly string[]): Promise<Set<string>> {
    if (itemKeys.length === 0) return new Set();
    const scores = await this.redis.zmscore(this.keys.feedSeen(feedId), ...itemKeys);
    return new Set(itemKeys.filter((_, i) => scores[i] === null));
  }

  /** Remembers keys as seen at `atMs`; the oldest beyond the limit are forgotten. */
  async markSeen(feedId: string, itemKeys: readonly string[], atMs: number): Promise<void> {
    if (itemKeys.length === 0) return;
    const key = this.keys.feedSeen(feedId);
    await this.redis
      .multi()
      .zadd(key, ...itemKeys.flatMap((k) => [atMs, k]))
      .zremrangebyrank(key, 0, -(this.seenLimit + 1))
      .exec();
  }

  /**
   * Records a good poll: failures cleared, the feed primed for `url`. Validators are replaced
   * when given (a 200) and kept when not (a 304). `recovered` is true for exactly one caller
   * after the feed was reported down.
   */
  async recordSuccess(
    feedId: string,
    url: string,
    validators?: Validators,
    atMs = Date.now(),
  ): Promise<{ recovered: boolean }> {
    const key = this.keys.feedState(feedId);
    const tx = this.redis
      .multi()
      .hdel(key, "down")
      .hset(key, { url, primed: "1", failures: "0", lastSuccessAt: String(atMs) })
      .hdel(key, "nextAttemptAt", "lastError");
    if (validators) {
      tx.hdel(key, "etag", "lastModified");
      if (validators.etag) tx.hset(key, "etag", validators.etag);
      if (validators.lastModified) tx.hset(key, "lastModified", validators.lastModified);
    }
    const results = await tx.exec();
    return { recovered: results?.[0]?.[1] === 1 };
  }

  /**
   * Counts a failed poll and sets when the next may run. `reportDown` is true for exactly
   * one caller, the first to see the failures reach `downAfter`.
   */
  async recordFailure(
    feedId: string,
    error: string,
    downAfter: number,
    nextAttempt: (failures: number) => number,
  ): Promise<{ failures: number; reportDown: boolean }> {
    const key = this.keys.feedState(feedId);
    const failures = await this.redis.hincrby(key, "failures", 1);
    await this.redis.hset(key, { nextAttemptAt: String(nextAttempt(failures)), lastError: error });
    const reportDown = failures >= downAfter && (await this.redis.hsetnx(key, "down", "1")) === 1;
    return { failures, reportDown };
  }

  /**
   * The health of every feed that has polled at least once, by feed id: found by scanning the
   * state keys, so feeds of another worker's FEEDS_FILE count too.
   */
  async health(): Promise<FeedHealth[]> {
    // A state key is the head, the feed id (never a ':'), then what feedState puts after it.
    const head = this.keys.feedHead;
    const tail = this.keys.feedState("").slice(head.length);
    const ids: string[] = [];
    for await (const keys of scanKeys(this.redis, `${globEscape(head)}*${globEscape(tail)}`)) {
      for (const key of keys) {
        const id = key.slice(head.length, -tail.length);
        if (key.startsWith(head) && /^[a-z0-9-]{1,32}$/.test(id)) ids.push(id);
      }
    }
    ids.sort();
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids)
      pipeline.hmget(this.keys.feedState(id), "down", "failures", "lastError", "lastSuccessAt");
    const rows = (await pipeline.exec()) ?? [];
    return ids.map((feedId, i) => {
      const [err, values] = rows[i] ?? [];
      if (err) throw err;
      const [down, failures, lastError, lastSuccessAt] = values as (string | null)[];
      return {
        feedId,
        down: down === "1",
        failures: Number(failures ?? 0) || 0,
        ...(lastError ? { lastError } : {}),
        ...(lastSuccessAt && Number(lastSuccessAt) > 0 ? { lastSuccessAt: Number(lastSuccessAt) } : {}),
      };
    });
  }

  /** A changed URL makes the feed new: its old validators and first poll no longer apply. */
  async forgetUrl(feedId: string): Promise<void> {
    await this.redis.hdel(this.keys.feedState(feedId), "url", "etag", "lastModified", "primed");
  }
}

/** A literal for SCAN MATCH: glob characters in a prefix match only themselves. */
function globEscape(text: string): string {
  return text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}
