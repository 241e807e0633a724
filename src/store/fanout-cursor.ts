import type { Redis } from "ioredis";
import type { RedisKeys } from "./keys.ts";
import { defineScript, readLua } from "./lua.ts";

/**
 * Where an article's fan-out is: when it started, its step in shards, and its cursor with the
 * recipients counted so far, all in the article's figures (ArticleStore.stats reads them).
 */
export class FanoutCursor {
  private readonly advanceScript;

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {
    this.advanceScript = defineScript(redis, "newsbellAdvanceFanout", readLua("advance-fanout"));
  }

  /** The first start only: the ledger's lifetime, and so how long delivery may go on, counts from it. */
  async markStarted(seq: number, now: string): Promise<void> {
    await this.redis.hsetnx(this.keys.articleStats(seq), "startedAt", now);
  }

  /**
   * The fan-out's step, in shards, fixed by its first run: a step run again after a crash must
   * cut the same batches (their ids come from their chats), so a later run never picks another.
   */
  async fanoutWindow(seq: number, proposed: number): Promise<number> {
    const key = this.keys.articleStats(seq);
    const [, [, window] = [null, null]] =
      (await this.redis.multi().hsetnx(key, "fanoutWindow", proposed).hget(key, "fanoutWindow").exec()) ?? [];
    const fixed = Number(window);
    return Number.isInteger(fixed) && fixed > 0 ? fixed : proposed;
  }

  /**
   * Moves the fan-out's cursor from `from` to `to`, counting the step's recipients: `recipients`
   * queued, and `cancelled` not sent because the alert was cancelled (counted done at once).
   */
  async advanceFanout(
    seq: number,
    from: number,
    to: number,
    recipients: number,
    done: boolean,
    now: string,
    cancelled = 0,
  ) {
    return (
      (await this.advanceScript(
        [this.keys.articleStats(seq)],
        [from, to, recipients, now, done ? "1" : "0", cancelled],
      )) === 1
    );
  }
}
