import type { Redis } from "ioredis";
import { LRUCache } from "lru-cache";
import type { ArticleStore } from "./article-store.ts";
import { LEDGER_TTL_MS } from "./delivery-ledger.ts";
import type { RedisKeys } from "./keys.ts";
import { defineScript, readLua } from "./lua.ts";

/** Messages whose article is remembered in this process: a reader changing a reaction again costs nothing. */
const FOUND_SIZE = 50_000;
/** How long a message found to be no alert (a member's message in a group) is not looked up again. */
const NOT_ALERT_TTL_MS = 30_000;
/** How long this process takes the list of the last 48 h's articles as current. */
const RECENT_TTL_MS = 1000;
/** Articles looked through at most: far above a newsroom's 48 h. */
export const LOOKUP_ARTICLES_MAX = 2000;

/**
 * Which article a message in a chat was the alert of, for the reactions to it. Nothing is kept
 * per alert for this (no bytes, no round trip when sending): the ledger already maps chat →
 * message id per article, so a lookup reads the chat's ledger entry of each article of the last
 * 48 h, newest first, in one script call (find-alert.lua). What it finds is kept here, in an LRU.
 */
export class AlertLookup {
  private readonly findScript;
  /** "chat:message" → seq; 0 for a message that is no alert. */
  private readonly found = new LRUCache<string, number>({ max: FOUND_SIZE, ttl: LEDGER_TTL_MS });
  private recentSeqs: { seqs: number[]; at: number } | undefined;

  constructor(
    redis: Redis,
    private readonly keys: RedisKeys,
    private readonly articles: Pick<ArticleStore, "recent">,
  ) {
    this.findScript = defineScript(redis, "newsbellFindAlert", readLua("find-alert"));
  }

  /** The seq of the article whose alert `messageId` in `chatId` is, or undefined. */
  async articleOf(chatId: number, messageId: number): Promise<number | undefined> {
    const cacheKey = `${chatId}:${messageId}`;
    const cached = this.found.get(cacheKey);
    if (cached !== undefined) return cached === 0 ? undefined : cached;
    const { seqs, fresh } = await this.recent();
    let seq = await this.search(seqs, chatId, messageId);
    if (seq === undefined && !fresh) {
      // An article recorded since the list was read: look through those alone.
      const known = new Set(seqs);
      const newer = (await this.recent(true)).seqs.filter((s) => !known.has(s));
      seq = await this.search(newer, chatId, messageId);
    }
    this.found.set(cacheKey, seq ?? 0, seq === undefined ? { ttl: NOT_ALERT_TTL_MS } : {});
    return seq;
  }

  /** One script call over the chat's ledger entry of each of `seqs`. */
  async search(seqs: readonly number[], chatId: number, messageId: number): Promise<number | undefined> {
    if (seqs.length === 0) return undefined;
    const at = Number(
      await this.findScript(
        seqs.map((seq) => this.keys.ledgerShard(seq, chatId)),
        [chatId, messageId],
      ),
    );
    return at > 0 ? seqs[at - 1] : undefined;
  }

  private async recent(reload = false): Promise<{ seqs: number[]; fresh: boolean }> {
    const now = Date.now();
    const held = this.recentSeqs;
    if (!reload && held && now - held.at < RECENT_TTL_MS) return { seqs: held.seqs, fresh: false };
    const seqs = await this.articles.recent(now - LEDGER_TTL_MS, LOOKUP_ARTICLES_MAX);
    this.recentSeqs = { seqs, at: now };
    return { seqs, fresh: true };
  }
}
