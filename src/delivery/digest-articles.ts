import { LRUCache } from "lru-cache";
import type { ArticleStore } from "../store/article-store.ts";

/**
 * How stale a worker's view of an article may be when it renders a digest: thousands of digests
 * at one time hold the same articles, read from Redis once per this interval, not once per chat.
 */
const ARTICLE_TTL_MS = 1000;
const ARTICLE_CACHE_SIZE = 512;

/** What a digest worker reads and renders once for every chat it sends to within ARTICLE_TTL_MS. */
export class DigestArticles {
  private readonly cached = new LRUCache<string, Promise<unknown>>({
    max: ARTICLE_CACHE_SIZE,
    ttl: ARTICLE_TTL_MS,
  });

  constructor(private readonly articles: Pick<ArticleStore, "get" | "control">) {}

  remember<T>(key: string, read: () => Promise<T>): Promise<T> {
    const hit = this.cached.get(key);
    if (hit) return hit as Promise<T>;
    const value = read();
    this.cached.set(key, value);
    // A failed read is not kept: the next one asks Redis again.
    value.catch(() => this.cached.peek(key) === value && this.cached.delete(key));
    return value;
  }

  /**
   * The articles as read once `revisions` (ArticleStore.revisionCount) was seen: cached under that
   * count, so a value cached reflects every revision it counts, and none is used after a new one.
   */
  at(revisions: number): Pick<ArticleStore, "get" | "control"> {
    return {
      get: (seq) => this.remember(`a${seq}@${revisions}`, () => this.articles.get(seq)),
      control: (seq) => this.remember(`c${seq}@${revisions}`, () => this.articles.control(seq)),
    };
  }
}
