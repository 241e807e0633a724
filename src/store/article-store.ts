import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import type { Article } from "../domain/article.ts";
import type { DeliveryFigures } from "../domain/delivery-progress.ts";
import type { RevisionKind } from "../domain/revision.ts";
import { LEDGER_SHARDS, type RedisKeys } from "./keys.ts";
import { defineScript, readLua } from "./lua.ts";

/** Delivered message ids are kept as long as Telegram lets a bot delete a message. */
export const LEDGER_TTL_MS = 48 * 3600 * 1000;
/** Delivery stops this long before the ledger of its first sends could expire. */
const LEDGER_MARGIN_MS = 3600 * 1000;
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

const REVISION_TTL_S = 7 * 24 * 3600;

/**
 * An article id is remembered this long after it was last published: long enough that a source
 * re-sending an old article gets "duplicate" well after its figures are gone (30 days), and
 * bounded, so the ids of years of articles do not pile up in Redis.
 */
export const ARTICLE_ID_TTL_S = 90 * 24 * 3600;

export type Outcome =
  | { kind: "sent"; messageId: number; chatId: number; photo?: boolean }
  | { kind: "failed"; reason: FailureReason }
  | { kind: "skipped"; reason: "inactive" | "cancelled" | "moved" };

/** One outcome to record with settleMany. */
export interface SettleEntry {
  seq: number;
  /** The chat as queued: the ledger's field. */
  chatId: number;
  outcome: Outcome;
}

export type FailureReason = "blocked" | "not_found" | "bad_request" | "unavailable" | "internal";

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

/** The figures of one correction or retraction: counters by result, and where the walk is. */
export interface RevisionFigures {
  kind: RevisionKind;
  cursor: number;
  counts: Record<string, number>;
  requestedAt?: string;
  finishedAt?: string;
}

/** One chat's delivered alert, as the ledger holds it. */
export interface LedgerMessage {
  /** The id the chat was queued under (the ledger's field). */
  chatId: number;
  /** Where the alert landed (a migrated group's new id). */
  targetId: number;
  messageId: number;
  /** A photo whose caption is the alert: a correction edits the caption, not a text. */
  photo: boolean;
  raw: string;
}

/** What delivery knows of an article's picture, shared by every worker. */
export interface ArticlePicture {
  /** Telegram's id of the uploaded picture: every send after the first reuses it. */
  fileId?: string;
  /** Telegram refused the picture: the article goes out as text from now on. */
  failed: boolean;
  /** A sender is uploading the picture by URL right now; the others wait for its file id. */
  uploading: boolean;
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

/**
 * A chat's outcome as the ledger keeps it. A sent alert is its message id ("p" first for a photo),
 * with "@<chat id>" only when it landed elsewhere (a migrated group): most entries stay short.
 */
function encodeOutcome(chatId: number, outcome: Outcome): [value: string, stat: string] {
  switch (outcome.kind) {
    case "sent": {
      const where = outcome.chatId === chatId ? "" : `@${outcome.chatId}`;
      return [`${outcome.photo ? "p" : ""}${outcome.messageId}${where}`, "sent"];
    }
    case "failed":
      return [`x:${outcome.reason}`, `failed:${outcome.reason}`];
    case "skipped":
      return [`-:${outcome.reason}`, `skipped:${outcome.reason}`];
  }
}

/** Articles by sequence number, their delivery counters, and the ledger of who got what. */
export class ArticleStore {
  private readonly recordScript;
  private readonly markQueuedScript;
  private readonly advanceScript;
  private readonly settleScript;
  private readonly claimScript;
  private readonly readLedgerScript;
  private readonly advanceRevisionScript;
  private readonly unlockScript;

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {
    this.recordScript = defineScript(redis, "newsbellRecordArticle", readLua("record-article"));
    this.markQueuedScript = defineScript(redis, "newsbellMarkQueued", readLua("mark-queued"));
    this.advanceScript = defineScript(redis, "newsbellAdvanceFanout", readLua("advance-fanout"));
    this.settleScript = defineScript(redis, "newsbellSettleDeliveries", readLua("settle-delivery"));
    this.claimScript = defineScript(redis, "newsbellClaimGroup", readLua("claim-group"));
    this.readLedgerScript = defineScript(redis, "newsbellReadLedger", readLua("read-ledger"));
    this.advanceRevisionScript = defineScript(redis, "newsbellAdvanceRevision", readLua("advance-revision"));
    // The feeds' compare-and-delete: frees a lock only while it is still the caller's.
    this.unlockScript = defineScript(redis, "newsbellFeedUnlock", readLua("feed-unlock"));
  }

  async record(article: Article, now: string): Promise<RecordedArticle> {
    const [seq, isNew, queued] = (await this.recordScript(
      [
        this.keys.articleId(article.id),
        this.keys.articleSeq,
        `${this.keys.prefix}:article:`,
        this.keys.articleRecent,
        this.keys.articleIds,
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
      ],
    )) as [number, number, string];
    return { seq, isNew: isNew === 1, queued: queued === "1" };
  }

  async markQueued(seq: number): Promise<void> {
    await this.markQueuedScript([this.keys.articleStats(seq)], []);
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

  /**
   * The ledger entries of `chatIds` for this article, in one call: an outcome, "=" for a chat
   * reached under another id, or "~" for a group's send under way.
   */
  async ledgerEntries(seq: number, chatIds: readonly number[]): Promise<Map<number, string>> {
    const entries = new Map<number, string>();
    if (chatIds.length === 0) return entries;
    const values = (await this.readLedgerScript(
      chatIds.map((id) => this.keys.ledgerShard(seq, id)),
      chatIds.map(String),
    )) as string[];
    chatIds.forEach((id, i) => {
      const value = values[i];
      if (value) entries.set(id, value);
    });
    return entries;
  }

  /**
   * Claims a group for its own send right before it goes: "send" (free, or our own send that a
   * crash interrupted), "moved" (it got the alert under its old id), or "done" (it has an outcome).
   */
  async claimGroup(seq: number, chatId: number): Promise<"send" | "moved" | "done"> {
    const result = await this.claimScript([this.keys.ledgerShard(seq, chatId)], [chatId, LEDGER_TTL_MS]);
    return result === 1 ? "send" : result === 2 ? "moved" : "done";
  }

  /**
   * Claims `chatId` for an alert sent under another id (a migrated group), uncounted; false if
   * it already has an entry, i.e. it got or is getting this article already.
   */
  async claimAlias(seq: number, chatId: number): Promise<boolean> {
    const key = this.keys.ledgerShard(seq, chatId);
    const [[, claimed] = []] =
      (await this.redis.multi().hsetnx(key, String(chatId), "=").pexpire(key, LEDGER_TTL_MS).exec()) ?? [];
    return claimed === 1;
  }

  /** Records a chat's outcome once; false when it already had one (a retried batch). */
  async settle(seq: number, chatId: number, outcome: Outcome, now: string): Promise<boolean> {
    const [recorded = false] = await this.settleMany([{ seq, chatId, outcome }], now);
    return recorded;
  }

  /**
   * Records many outcomes (of any articles) in one call, each once: for each, false when the
   * chat already had one (a retried batch, or another worker's send).
   */
  async settleMany(outcomes: readonly SettleEntry[], now: string): Promise<boolean[]> {
    if (outcomes.length === 0) return [];
    const keys: string[] = [];
    const args: (string | number)[] = [LEDGER_TTL_MS, now];
    for (const { seq, chatId, outcome } of outcomes) {
      const [value, stat] = encodeOutcome(chatId, outcome);
      keys.push(this.keys.ledgerShard(seq, chatId), this.keys.articleStats(seq));
      args.push(chatId, value, stat);
    }
    const results = (await this.settleScript(keys, args)) as number[];
    return outcomes.map((_, i) => results[i] === 1);
  }

  /**
   * Remembers a group's new id before its subscriptions move there, so the same article's
   * fan-out never queues the new id for a second alert.
   */
  async noteMovedChat(seq: number, newChatId: number): Promise<void> {
    await this.redis
      .multi()
      .sadd(this.keys.articleMoved(seq), newChatId)
      .pexpire(this.keys.articleMoved(seq), LEDGER_TTL_MS)
      .exec();
  }

  async movedChats(seq: number): Promise<Set<number>> {
    return new Set((await this.redis.smembers(this.keys.articleMoved(seq))).map(Number));
  }

  async countAmbiguous(seq: number): Promise<void> {
    await this.redis.hincrby(this.keys.articleStats(seq), "ambiguous", 1);
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

  /** Starts the figures of a correction or retraction; returns its number. */
  async startRevision(seq: number, kind: RevisionKind, now: string): Promise<number> {
    const revision = await this.redis.hincrby(this.keys.articleStats(seq), "revisions", 1);
    const key = this.keys.articleRevision(seq, revision);
    await this.redis
      .multi()
      .hset(key, "kind", kind, "requestedAt", now, "cursor", 0)
      .expire(key, REVISION_TTL_S)
      .exec();
    return revision;
  }

  async revisionFigures(seq: number, revision: number): Promise<RevisionFigures | undefined> {
    const raw = await this.redis.hgetall(this.keys.articleRevision(seq, revision));
    if (raw.kind !== "correct" && raw.kind !== "retract") return undefined;
    const counts: Record<string, number> = {};
    for (const [k, v] of Object.entries(raw)) if (k.startsWith("n:")) counts[k.slice(2)] = Number(v);
    return {
      kind: raw.kind,
      cursor: Number(raw.cursor ?? 0),
      counts,
      requestedAt: raw.requestedAt,
      finishedAt: raw.finishedAt,
    };
  }

  /** Counts the results of ledger shards `from`..`to-1` once; false if another run counted them. */
  async advanceRevision(
    seq: number,
    revision: number,
    from: number,
    to: number,
    counts: Record<string, number>,
    finishedAt: string | undefined,
  ): Promise<boolean> {
    const args: (string | number)[] = [from, to, finishedAt ?? ""];
    for (const [k, n] of Object.entries(counts)) if (n > 0) args.push(`n:${k}`, n);
    return (await this.advanceRevisionScript([this.keys.articleRevision(seq, revision)], args)) === 1;
  }

  /** The alerts delivered in ledger shards `from`..`to-1`, as message ids to edit or delete. */
  async deliveredInShards(seq: number, from: number, to: number): Promise<LedgerMessage[]> {
    const pipeline = this.redis.pipeline();
    for (let shard = from; shard < Math.min(to, LEDGER_SHARDS); shard++)
      pipeline.hgetall(this.keys.ledgerShardAt(seq, shard));
    const found: LedgerMessage[] = [];
    for (const [err, entries] of (await pipeline.exec()) ?? []) {
      if (err) throw err;
      for (const [chatId, raw] of Object.entries(entries as Record<string, string>)) {
        const match = /^(p?)(\d+)(?:@(-?\d+))?$/.exec(raw);
        if (match)
          found.push({
            chatId: Number(chatId),
            messageId: Number(match[2]),
            targetId: match[3] === undefined ? Number(chatId) : Number(match[3]),
            photo: match[1] === "p",
            raw,
          });
      }
    }
    return found;
  }

  /** Remembers an editor's status message of an article (one per chat), to refresh it after a change. */
  async noteCard(seq: number, chatId: number, messageId: number): Promise<void> {
    await this.redis.hset(this.keys.articleStats(seq), `card:${chatId}`, messageId);
  }

  async cards(seq: number): Promise<{ chatId: number; messageId: number }[]> {
    const raw = await this.redis.hgetall(this.keys.articleStats(seq));
    return Object.entries(raw)
      .filter(([k]) => k.startsWith("card:"))
      .map(([k, v]) => ({ chatId: Number(k.slice(5)), messageId: Number(v) }));
  }

  /** True only the first time: the editor hears about a finished revision once. */
  async claimRevisionReport(seq: number, revision: number, now: string): Promise<boolean> {
    return (await this.redis.hsetnx(this.keys.articleRevision(seq, revision), "reportedAt", now)) === 1;
  }

  /** A retracted alert stays in the ledger as deleted, so a retry never counts it twice. */
  async markDeleted(seq: number, message: LedgerMessage): Promise<void> {
    await this.redis.hset(
      this.keys.ledgerShard(seq, message.chatId),
      String(message.chatId),
      `d:${message.raw}`,
    );
  }

  async picture(seq: number): Promise<ArticlePicture> {
    const [[, fields] = [], [, claimed] = []] =
      (await this.redis
        .pipeline()
        .hmget(this.keys.articleStats(seq), "photoFileId", "photoFailed")
        .exists(this.pictureUploadKey(seq))
        .exec()) ?? [];
    const [fileId, failedAt] = (fields ?? []) as (string | null)[];
    return { ...(fileId ? { fileId } : {}), failed: failedAt != null, uploading: claimed === 1 };
  }

  /** Keeps the first upload's file id; a second upload that raced it changes nothing. */
  async notePictureFileId(seq: number, fileId: string): Promise<void> {
    await this.redis.hsetnx(this.keys.articleStats(seq), "photoFileId", fileId);
  }

  /** True only for the first worker to see Telegram refuse the picture, so it is logged once. */
  async markPictureFailed(seq: number, now: string): Promise<boolean> {
    return (await this.redis.hsetnx(this.keys.articleStats(seq), "photoFailed", now)) === 1;
  }

  /**
   * Claims the one upload of an article's picture by URL; the token to release it with, or
   * undefined while another sender holds it. The claim lapses after `ttlMs`, so a crashed
   * uploader holds up the others no longer than that.
   */
  async claimPictureUpload(seq: number, ttlMs: number): Promise<string | undefined> {
    const token = randomUUID();
    const ok = await this.redis.set(this.pictureUploadKey(seq), token, "PX", ttlMs, "NX");
    return ok === "OK" ? token : undefined;
  }

  async releasePictureUpload(seq: number, token: string): Promise<void> {
    await this.unlockScript([this.pictureUploadKey(seq)], [token]);
  }

  private pictureUploadKey(seq: number): string {
    return `${this.keys.article(seq)}:photo-upload`;
  }
}
