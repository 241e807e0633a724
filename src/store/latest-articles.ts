import type { Redis } from "ioredis";
import type { Article } from "../domain/article.ts";
import type { RedisKeys } from "./keys.ts";

/** How many of the newest recorded articles are read per round trip. */
const PAGE = 100;

export interface LatestArticle {
  seq: number;
  article: Article;
}

/**
 * /latest's reading of the recent index (ArticleStore.record keeps every article's seq there by
 * when it was recorded, for 8 days): a read-only view beside the article store.
 */
export class LatestArticles {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  /**
   * The newest articles `wanted` accepts, newest first, at most `limit`, looking at no more than
   * `scanMax` of the newest recorded ones. Retracted articles are left out: the newsroom took them
   * back. One round trip per page of 100.
   */
  async find(wanted: (article: Article) => boolean, limit: number, scanMax = 1000): Promise<LatestArticle[]> {
    const found: LatestArticle[] = [];
    for (let start = 0; start < scanMax && found.length < limit; start += PAGE) {
      const seqs = (
        await this.redis.zrevrange(this.keys.articleRecent, start, Math.min(start + PAGE, scanMax) - 1)
      ).map(Number);
      if (seqs.length === 0) break;
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
      if (seqs.length < PAGE) break;
    }
    return found;
  }
}

function parseArticle(raw: string): Article | undefined {
  try {
    return JSON.parse(raw) as Article;
  } catch {
    return undefined;
  }
}
