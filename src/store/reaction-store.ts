import type { Redis } from "ioredis";
import {
  countsChange,
  countsOf,
  type ReactionCountLike,
  type ReactionTotals,
  reactionSum,
} from "../domain/reactions.ts";
import { LEDGER_TTL_MS } from "./delivery-ledger.ts";
import type { RedisKeys } from "./keys.ts";
import { defineScript, readLua } from "./lua.ts";

/** Articles whose totals are read at once. */
const READ_BATCH = 200;

/** An article and its readers' reactions. */
export interface ArticleReactions {
  seq: number;
  totals: ReactionTotals;
}

function totalsOf(raw: Record<string, string>): ReactionTotals {
  const totals: ReactionTotals = {};
  for (const [key, value] of Object.entries(raw)) {
    const n = Number(value);
    if (n > 0) totals[key] = n;
  }
  return totals;
}

function pairs(totals: ReactionTotals): (string | number)[] {
  return Object.entries(totals).flat();
}

/**
 * Readers' reactions summed per article: reaction → total, and nothing about who reacted. A
 * channel reports a message's counts, not a reader's change: its last counts are kept per
 * message (48 h, like the ledger) so each report adds only what changed.
 */
export class ReactionStore {
  private readonly addScript;

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {
    this.addScript = defineScript(redis, "newsbellAddReactions", readLua("add-reactions"));
  }

  /** Adds one reader's change (reactionChange) to the article's totals. */
  async add(seq: number, change: ReactionTotals): Promise<void> {
    const entries = pairs(change);
    if (entries.length === 0) return;
    await this.addScript(
      [this.keys.articleReactions(seq), this.keys.articleStats(seq)],
      [LEDGER_TTL_MS, entries.length / 2, ...entries],
    );
  }

  /**
   * Takes a channel message's current counts: the article gains what changed since the counts
   * it last reported. Two reports of one message are never handled at once: the bot takes a
   * chat's updates one at a time.
   */
  async setMessageCounts(
    seq: number,
    chat: { chatId: number; messageId: number },
    counts: readonly ReactionCountLike[],
  ): Promise<void> {
    const messageKey = this.keys.messageReactions(chat.chatId, chat.messageId);
    const before = totalsOf(await this.redis.hgetall(messageKey));
    const change = pairs(countsChange(before, counts));
    const now = pairs(Object.fromEntries(Object.entries(countsOf(counts)).filter(([, n]) => n > 0)));
    await this.addScript(
      [this.keys.articleReactions(seq), this.keys.articleStats(seq), messageKey],
      [LEDGER_TTL_MS, change.length / 2, ...change, ...now],
    );
  }

  async totals(seq: number): Promise<ReactionTotals> {
    return totalsOf(await this.redis.hgetall(this.keys.articleReactions(seq)));
  }

  /** The totals of many articles, in their order, a batch of them per round trip. */
  async totalsOfMany(seqs: readonly number[]): Promise<ReactionTotals[]> {
    const all: ReactionTotals[] = [];
    for (let i = 0; i < seqs.length; i += READ_BATCH) {
      const pipeline = this.redis.pipeline();
      for (const seq of seqs.slice(i, i + READ_BATCH)) pipeline.hgetall(this.keys.articleReactions(seq));
      for (const [err, raw] of (await pipeline.exec()) ?? []) {
        if (err) throw err;
        all.push(totalsOf(raw as Record<string, string>));
      }
    }
    return all;
  }

  /** The `max` articles of `seqs` with the most reactions, most first; articles without any left out. */
  async mostReacted(seqs: readonly number[], max: number): Promise<ArticleReactions[]> {
    const totals = await this.totalsOfMany(seqs);
    return seqs
      .map((seq, i) => ({ seq, totals: totals[i] ?? {} }))
      .filter((a) => reactionSum(a.totals) > 0)
      .sort((a, b) => reactionSum(b.totals) - reactionSum(a.totals) || b.seq - a.seq)
      .slice(0, max);
  }
}
