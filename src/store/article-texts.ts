import { promisify } from "node:util";
import { brotliCompress, brotliDecompress, constants } from "node:zlib";
import type { Redis } from "ioredis";
import type { RedisKeys } from "./keys.ts";

const compress = promisify(brotliCompress);
const decompress = promisify(brotliDecompress);

/**
 * Articles' cleaned full texts for "Read here", kept apart from the article (which every alert
 * reads) and only for ARTICLE_TEXT_DAYS. Stored with Brotli: Russian text is two bytes a letter in
 * UTF-8, and a 30,000-character article shrinks to about a fifth (`newsbell bench` prints it).
 * Also the one reading counter per article: how many readers opened the text, never who.
 */
export class ArticleTexts {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly keepDays: number,
  ) {}

  /** The stored form of a text: what `save` writes, for the bench's bytes per text. */
  static async encode(html: string): Promise<Buffer> {
    return compress(Buffer.from(html, "utf8"), {
      params: {
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        // Quality 9 of 11: nearly the smallest, at a few milliseconds for a long article.
        [constants.BROTLI_PARAM_QUALITY]: 9,
        [constants.BROTLI_PARAM_SIZE_HINT]: html.length,
      },
    });
  }

  async save(seq: number, html: string): Promise<void> {
    const stored = await ArticleTexts.encode(html);
    await this.redis.set(this.keys.articleText(seq), stored, "EX", this.keepDays * 24 * 3600);
  }

  /** The text, or undefined once past its days (or retracted). */
  async get(seq: number): Promise<string | undefined> {
    const stored = await this.redis.getBuffer(this.keys.articleText(seq));
    if (stored === null) return undefined;
    return (await decompress(stored)).toString("utf8");
  }

  /** A retracted article's text is served no more, and not kept either. */
  async remove(seq: number): Promise<void> {
    await this.redis.del(this.keys.articleText(seq));
  }

  /** Counts one reading of the article: a number per article, nothing about the reader. */
  async countRead(seq: number): Promise<void> {
    await this.redis.hincrby(this.keys.articleStats(seq), "reads", 1);
  }
}
