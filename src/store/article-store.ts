import type { Redis } from "ioredis";
import type { Article } from "../domain/article.ts";
import type { DeliveryFigures } from "../domain/delivery-progress.ts";
import { LEDGER_MARGIN_MS, LEDGER_TTL_MS } from "./delivery-ledger.ts";
import type { RedisKeys } from "./keys.ts";
import { defineScripts, readLua } from "./lua.ts";

const ARTICLE_TTL_S = 30 * 24 * 3600;
/** The newsroom lists articles of the last 48 h and /stats sums the last 7 days; the index keeps 8. */
export const RECENT_KEEP_MS = 8 * 24 * 3600 * 1000;
/** How many of a slug's newest articles in one edition /latest's index keeps. */
export const LATEST_INDEX_KEEP = 100;

/** /latest's index keys an article belongs to: each of its slugs, in its edition. */
export function latestIndexKeys(
  keys: RedisKeys,
  article: Pick<Article, "topics" | "regions" | "lang">,
): string[] {
  return [...new Set([...article.topics, ...article.regions])].map((slug) =>
    keys.articleLatest(slug, article.lang),
  );
}

/**
 * An article id is remembered this long after it was last published: long enough that a source
 * re-sending an old article gets "duplicate" well after its figures are gone (30 days), and
 * bounded, so the ids of years of articles do not pile up in Redis.
 */
export const ARTICLE_ID_TTL_S = 90 * 24 * 3600;

/** An article's figures: what the newsroom shows, plus the fan-out's own bookkeeping. */
export interface ArticleStats extends DeliveryFigures {
  publishedAt?: string;
  queued?: string;
  cursor: number;
  ambiguous: number;
  /** Bumped by every correction, so workers see the new text. */
  revision: number;
  /** The fan-out's step in shards, once its first run fixed it (see `fanoutWindow`). */
  fanoutWindow?: number;
}

/** What workers check for between sends: a cancelled article stops, a corrected one re-renders. */
export interface ArticleControl {
  stopped: boolean;
  /** Retracted (stopped too): its line leaves every digest, sent or not. */
  retracted: boolean;
  revision: number;
  /**
   * The ledger that keeps a chat from getting the alert twice lasts 48 h from the send; a batch
   * retried later than that (or whose figures are gone) would repeat alerts, so it must not send.
   */
  expired: boolean;
}

export interface RecordedArticle {
  seq: number;
  isNew: boolean;
  queued: boolean;
}

const SCRIPTS = {
  record: ["newsbellRecordArticle", readLua("record-article")],
  markQueued: ["newsbellMarkQueued", readLua("mark-queued")],
} as const;

/**
 * Articles by sequence number: the article, its figures as the newsroom reads them, the indexes
 * of recent articles, and what workers check between sends (cancelled, retracted, corrected).
 * Who got what is the DeliveryLedger's; the figures' other writers are FanoutCursor,
 * RevisionStore, PictureStore and StatusCards.
 */
export class ArticleStore {
  private readonly scripts;

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {
    this.scripts = defineScripts(redis, SCRIPTS);
  }

  /**
   * Records an article once per id (see record-article.lua). The script is given every key it
   * touches, so it stays in one Cluster slot: the seq the id has (or the next one) is read first,
   * and the script answers "again" when another record changed either in between.
   */
  async record(article: Article, now: string): Promise<RecordedArticle> {
    for (;;) {
      const [[, byKey] = [], [, byHash] = [], [, last] = []] =
        (await this.redis
          .pipeline()
          .get(this.keys.articleId(article.id))
          .hget(this.keys.articleIds, article.id)
          .get(this.keys.articleSeq)
          .exec()) ?? [];
      const known = (byKey ?? byHash ?? undefined) as string | undefined;
      const next = Number(last ?? 0) + 1;
      const [seq, isNew, queued] = (await this.scripts.record(
        [
          this.keys.articleId(article.id),
          this.keys.articleSeq,
          this.keys.articleRecent,
          this.keys.articleIds,
          this.keys.article(next),
          this.keys.articleStats(next),
          this.keys.articleStats(known === undefined ? next : Number(known)),
          ...latestIndexKeys(this.keys, article),
        ],
        [
          article.id,
          JSON.stringify(article),
          ARTICLE_TTL_S,
          now,
          Date.parse(now) || Date.now(),
          RECENT_KEEP_MS,
          ARTICLE_ID_TTL_S,
          LATEST_INDEX_KEEP,
          known ?? "",
          next,
        ],
      )) as [number, number, string];
      if (seq !== 0) return { seq, isNew: isNew === 1, queued: queued === "1" };
    }
  }

  async markQueued(seq: number): Promise<void> {
    await this.scripts.markQueued([this.keys.articleStats(seq)], []);
  }

  /** The sequence number of an id published in the last 90 days. */
  async seqOf(articleId: string): Promise<number | undefined> {
    const seq =
      (await this.redis.get(this.keys.articleId(articleId))) ??
      (await this.redis.hget(this.keys.articleIds, articleId));
    return seq === null ? undefined : Number(seq);
  }

  async get(seq: number): Promise<Article | undefined> {
    const raw = await this.redis.get(this.keys.article(seq));
    return raw === null ? undefined : (JSON.parse(raw) as Article);
  }

  async stats(seq: number): Promise<ArticleStats> {
    const raw = await this.redis.hgetall(this.keys.articleStats(seq));
    const counters = (head: string) =>
      Object.fromEntries(
        Object.entries(raw)
          .filter(([k]) => k.startsWith(head))
          .map(([k, v]) => [k.slice(head.length), Number(v)]),
      );
    const num = (k: string) => Number(raw[k] ?? 0);
    return {
      publishedAt: raw.publishedAt,
      queued: raw.queued,
      recipients: num("recipients"),
      done: num("done"),
      sent: num("sent"),
      cursor: num("cursor"),
      failed: counters("failed:"),
      skipped: counters("skipped:"),
      startedAt: raw.startedAt,
      firstSentAt: raw.firstSentAt,
      fanoutDoneAt: raw.fanoutDoneAt,
      finishedAt: raw.finishedAt,
      ambiguous: num("ambiguous"),
      cancelledAt: raw.cancelledAt,
      retractedAt: raw.retractedAt,
      revision: num("revision"),
      reads: num("reads"),
      fanoutWindow: raw.fanoutWindow === undefined ? undefined : Number(raw.fanoutWindow),
    };
  }

  /** Seqs of the articles recorded since `sinceMs`, newest first. */
  async recent(sinceMs: number, limit: number): Promise<number[]> {
    const seqs = await this.redis.zrevrangebyscore(
      this.keys.articleRecent,
      "+inf",
      sinceMs,
      "LIMIT",
      0,
      limit,
    );
    return seqs.map(Number);
  }

  /**
   * Stops what is not sent yet: fan-out queues no more batches and delivery settles the rest as
   * cancelled. False when it was stopped already.
   */
  async cancel(seq: number, now: string): Promise<boolean> {
    return (await this.redis.hsetnx(this.keys.articleStats(seq), "cancelledAt", now)) === 1;
  }

  /** A retraction also stops what is not sent yet. False when it was retracted already. */
  async markRetracted(seq: number, now: string): Promise<boolean> {
    const [[, first] = [], ,] =
      (await this.redis
        .multi()
        .hsetnx(this.keys.articleStats(seq), "retractedAt", now)
        .hsetnx(this.keys.articleStats(seq), "cancelledAt", now)
        .incr(this.keys.articleRevisions)
        .exec()) ?? [];
    return first === 1;
  }

  /**
   * How many corrections and retractions were stored so far, all articles together: it moves in
   * the same transaction as the change, so a reader that sees it unchanged across a span of time
   * knows no article changed in that span.
   */
  async revisionCount(): Promise<number> {
    return Number((await this.redis.get(this.keys.articleRevisions)) ?? 0);
  }

  async control(seq: number): Promise<ArticleControl> {
    const [cancelledAt, revision, startedAt, retractedAt] = await this.redis.hmget(
      this.keys.articleStats(seq),
      "cancelledAt",
      "revision",
      "startedAt",
      "retractedAt",
    );
    const started = startedAt == null ? Number.NaN : Date.parse(startedAt);
    const expired = !(Date.now() - started < LEDGER_TTL_MS - LEDGER_MARGIN_MS);
    return {
      stopped: cancelledAt !== null,
      retracted: retractedAt !== null,
      revision: Number(revision ?? 0),
      expired,
    };
  }

  /** Stores the corrected article; sends from now on carry the new text. Returns the new revision. */
  async replace(seq: number, article: Article): Promise<number> {
    const [, [, revision] = []] =
      (await this.redis
        .multi()
        .set(this.keys.article(seq), JSON.stringify(article), "KEEPTTL")
        .hincrby(this.keys.articleStats(seq), "revision", 1)
        .incr(this.keys.articleRevisions)
        .exec()) ?? [];
    return Number(revision);
  }
}
