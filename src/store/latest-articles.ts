import type { Redis } from "ioredis";
import type { Article } from "../domain/article.ts";
import type { Language } from "../domain/catalog.ts";
import { LATEST_INDEX_KEEP, latestIndexKeys, RECENT_KEEP_MS } from "./article-store.ts";
import type { RedisKeys } from "./keys.ts";

/**
 * At most this many articles are read per /latest, however few of them pass the chat's filters:
 * a filter that matches nothing costs this much and no more.
 */
export const LATEST_READ_MAX = 50;
/** Articles read per round trip. */
const PAGE = 10;
/** Recorded articles read per round trip while filling the index once. */
const FILL_PAGE = 100;

export interface LatestArticle {
  seq: number;
  article: Article;
}

/** What /latest looks in: these slugs, in these editions. */
export interface LatestScope {
  slugs: Iterable<string>;
  editions: Iterable<Language>;
}

/**
 * /latest's reading of the articles: ArticleStore.record keeps, per slug and edition, the newest
 * seqs by when they were recorded (`articleLatest`); this reads only the newest candidates of the
 * chat's slugs and editions, and only as many articles as it needs. A read-only view beside the
 * article store, but for filling the index once with what was recorded before it existed.
 */
export class LatestArticles {
  private filled = false;

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  /**
   * The newest articles of `scope` that `wanted` accepts, newest first, at most `limit`, reading
   * no more than `readMax` articles. Retracted articles are left out: the newsroom took them back.
   */
  async find(
    scope: LatestScope,
    wanted: (article: Article) => boolean,
    limit: number,
    readMax = LATEST_READ_MAX,
  ): Promise<LatestArticle[]> {
    const editions = [...new Set(scope.editions)];
    const indexes = [...new Set(scope.slugs)].flatMap((slug) =>
      editions.map((edition) => this.keys.articleLatest(slug, edition)),
    );
    if (indexes.length === 0 || limit <= 0) return [];
    await this.fill();
    const candidates = await this.newest(indexes, readMax);
    const found: LatestArticle[] = [];
    for (let start = 0; start < candidates.length && found.length < limit; start += PAGE) {
      const seqs = candidates.slice(start, start + PAGE);
      const pipeline = this.redis.pipeline();
      for (const seq of seqs) {
        pipeline.get(this.keys.article(seq));
        pipeline.hget(this.keys.articleStats(seq), "retractedAt");
      }
      const replies = (await pipeline.exec()) ?? [];
      seqs.forEach((seq, i) => {
        if (found.length >= limit) return;
        const [articleErr, raw] = replies[2 * i] ?? [];
        const [statsErr, retractedAt] = replies[2 * i + 1] ?? [];
        if (articleErr) throw articleErr;
        if (statsErr) throw statsErr;
        if (typeof raw !== "string" || retractedAt) return;
        const article = parseArticle(raw);
        if (article && wanted(article)) found.push({ seq, article });
      });
    }
    return found;
  }

  /**
   * The newest `count` seqs across `indexes` recorded in the last 8 days (what the recent index
   * keeps), newest first, each once: one round trip.
   */
  private async newest(indexes: readonly string[], count: number): Promise<number[]> {
    const since = Date.now() - RECENT_KEEP_MS;
    const pipeline = this.redis.pipeline();
    for (const key of indexes) pipeline.zrevrangebyscore(key, "+inf", since, "WITHSCORES", "LIMIT", 0, count);
    const recordedAt = new Map<number, number>();
    for (const [err, reply] of (await pipeline.exec()) ?? []) {
      if (err) throw err;
      const flat = reply as string[];
      for (let i = 0; i + 1 < flat.length; i += 2) recordedAt.set(Number(flat[i]), Number(flat[i + 1]));
    }
    return [...recordedAt]
      .sort(([seqA, atA], [seqB, atB]) => atB - atA || seqB - seqA)
      .slice(0, count)
      .map(([seq]) => seq);
  }

  /**
   * Puts the articles recorded before the index existed into it, once per installation: one walk
   * of the recent index (8 days of articles), then never again.
   */
  async fill(): Promise<void> {
    if (this.filled) return;
    if ((await this.redis.exists(this.keys.articleLatestFilled)) === 1) {
      this.filled = true;
      return;
    }
    const touched = new Set<string>();
    for (let start = 0; ; start += FILL_PAGE) {
      const flat = await this.redis.zrange(
        this.keys.articleRecent,
        String(start),
        String(start + FILL_PAGE - 1),
        "WITHSCORES",
      );
      if (flat.length === 0) break;
      const recorded: [seq: number, at: string][] = [];
      for (let i = 0; i + 1 < flat.length; i += 2) recorded.push([Number(flat[i]), flat[i + 1] ?? "0"]);
      const read = this.redis.pipeline();
      for (const [seq] of recorded) read.get(this.keys.article(seq));
      const replies = (await read.exec()) ?? [];
      const write = this.redis.pipeline();
      recorded.forEach(([seq, at], i) => {
        const [err, raw] = replies[i] ?? [];
        if (err) throw err;
        const article = typeof raw === "string" ? parseArticle(raw) : undefined;
        if (!article) return;
        for (const key of latestIndexKeys(this.keys, article)) {
          write.zadd(key, at, seq);
          touched.add(key);
        }
      });
      await write.exec();
      if (flat.length < 2 * FILL_PAGE) break;
    }
    const trim = this.redis.pipeline();
    for (const key of touched) {
      trim.zremrangebyrank(key, 0, -1 - LATEST_INDEX_KEEP);
      trim.pexpire(key, RECENT_KEEP_MS);
    }
    trim.set(this.keys.articleLatestFilled, "1");
    await trim.exec();
    this.filled = true;
  }

  /**
   * Counts a /latest call of `chatId` against its limit of one per `windowMs`: "go" for the first
   * call in the window, "wait" for the second (the chat is told once), "quiet" for any after it.
   */
  async claimCall(chatId: number, windowMs: number): Promise<"go" | "wait" | "quiet"> {
    const key = this.keys.latestCalls(chatId);
    const [[err, calls] = []] =
      (await this.redis.multi().incr(key).pexpire(key, windowMs, "NX").exec()) ?? [];
    if (err) throw err;
    return calls === 1 ? "go" : calls === 2 ? "wait" : "quiet";
  }
}

function parseArticle(raw: string): Article | undefined {
  try {
    return JSON.parse(raw) as Article;
  } catch {
    return undefined;
  }
}
