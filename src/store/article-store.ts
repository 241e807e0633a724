import type { Redis } from "ioredis";
import type { Article } from "../domain/article.ts";
import type { RevisionKind } from "../domain/revision.ts";
import { LEDGER_SHARDS, type RedisKeys } from "./keys.ts";
import { defineScript } from "./lua.ts";

/** Delivered message ids are kept as long as Telegram lets a bot delete a message. */
export const LEDGER_TTL_MS = 48 * 3600 * 1000;
const ARTICLE_TTL_S = 30 * 24 * 3600;
/** The newsroom lists articles of the last 48 h and /stats sums the last 7 days; the index keeps 8. */
const RECENT_KEEP_MS = 8 * 24 * 3600 * 1000;
const REVISION_TTL_S = 7 * 24 * 3600;

/**
 * An article id is remembered this long after it was last published: long enough that a source
 * re-sending an old article gets "duplicate" well after its figures are gone (30 days), and
 * bounded, so the ids of years of articles do not pile up in Redis.
 */
export const ARTICLE_ID_TTL_S = 90 * 24 * 3600;

// Returns [seq, isNew, queued]. A known id keeps its sequence number and its 90 days start again.
// Its fan-out is queued again only while its figures exist and say it never was (a publish that
// crashed halfway): figures gone with their TTL mean an article sent long ago, and queueing it
// would recreate them without a TTL and answer "queued" for an alert nobody gets.
// KEYS[5] is the hash of id → seq that held every id before ids had keys of their own: read, its
// entries moved to keys as they come again, and the whole hash expires 90 days after the first
// record that finds it.
const RECORD = `
local existing = redis.call('GET', KEYS[1])
if not existing then
  existing = redis.call('HGET', KEYS[5], ARGV[1])
  if existing then redis.call('HDEL', KEYS[5], ARGV[1]) end
end
if redis.call('TTL', KEYS[5]) == -1 then redis.call('EXPIRE', KEYS[5], ARGV[7]) end
if existing then
  redis.call('SET', KEYS[1], existing, 'EX', ARGV[7])
  local stats = KEYS[3] .. existing .. ':stats'
  local queued = redis.call('HGET', stats, 'queued')
  if not queued then queued = redis.call('EXISTS', stats) == 1 and '0' or '1' end
  return {tonumber(existing), 0, queued}
end
local seq = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], seq, 'EX', ARGV[7])
redis.call('ZADD', KEYS[4], ARGV[5], seq)
redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', tonumber(ARGV[5]) - tonumber(ARGV[6]))
redis.call('SET', KEYS[3] .. seq, ARGV[2], 'EX', ARGV[3])
redis.call('HSET', KEYS[3] .. seq .. ':stats', 'publishedAt', ARGV[4], 'recipients', 0, 'done', 0, 'cursor', 0)
redis.call('EXPIRE', KEYS[3] .. seq .. ':stats', ARGV[3])
return {seq, 1, '0'}`;

// Only figures that still exist are marked: a hash made here would have no TTL.
const MARK_QUEUED = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'queued', '1')
return 1`;

// Moves the fan-out cursor only from where the caller found it, so a re-run step counts nothing twice.
const ADVANCE = `
if tonumber(redis.call('HGET', KEYS[1], 'cursor') or '0') ~= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'cursor', ARGV[2])
redis.call('HINCRBY', KEYS[1], 'recipients', ARGV[3])
if ARGV[5] == '1' then
  redis.call('HSET', KEYS[1], 'fanoutDoneAt', ARGV[4])
  if tonumber(redis.call('HGET', KEYS[1], 'done')) >= tonumber(redis.call('HGET', KEYS[1], 'recipients')) then
    redis.call('HSETNX', KEYS[1], 'finishedAt', ARGV[4])
  end
end
return 1`;

// One outcome per chat and article: the first one recorded wins and is counted once.
// Marks that are not outcomes: "=" the chat got the alert under another id (a migrated group),
// "~" a group's send is under way. The chat's own outcome replaces either, counted once.
const SETTLE = `
local current = redis.call('HGET', KEYS[1], ARGV[1])
if current and current ~= '=' and current ~= '~' then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('HINCRBY', KEYS[2], ARGV[3], 1)
redis.call('HSETNX', KEYS[2], 'firstSentAt', ARGV[5])
local done = redis.call('HINCRBY', KEYS[2], 'done', 1)
if redis.call('HEXISTS', KEYS[2], 'fanoutDoneAt') == 1 and done >= tonumber(redis.call('HGET', KEYS[2], 'recipients')) then
  redis.call('HSETNX', KEYS[2], 'finishedAt', ARGV[5])
end
return 1`;

// Counts one walked stretch of the ledger once: only from where the caller found the cursor.
const ADVANCE_REVISION = `
if tonumber(redis.call('HGET', KEYS[1], 'cursor') or '0') ~= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'cursor', ARGV[2])
for i = 4, #ARGV, 2 do redis.call('HINCRBY', KEYS[1], ARGV[i], ARGV[i + 1]) end
if ARGV[3] ~= '' then redis.call('HSETNX', KEYS[1], 'finishedAt', ARGV[3]) end
return 1`;

const CLAIM_GROUP = `
local current = redis.call('HGET', KEYS[1], ARGV[1])
if not current or current == '~' then
  redis.call('HSET', KEYS[1], ARGV[1], '~')
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
if current == '=' then return 2 end
return 0`;

export type Outcome =
  | { kind: "sent"; messageId: number; chatId: number }
  | { kind: "failed"; reason: FailureReason }
  | { kind: "skipped"; reason: "inactive" | "cancelled" | "moved" };

export type FailureReason = "blocked" | "not_found" | "bad_request" | "unavailable" | "internal";

export interface ArticleStats {
  publishedAt?: string;
  queued?: string;
  recipients: number;
  done: number;
  sent: number;
  cursor: number;
  failed: Record<string, number>;
  skipped: Record<string, number>;
  startedAt?: string;
  firstSentAt?: string;
  fanoutDoneAt?: string;
  finishedAt?: string;
  ambiguous: number;
  cancelledAt?: string;
  retractedAt?: string;
  /** Bumped by every correction, so workers see the new text. */
  revision: number;
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
  raw: string;
}

/** What workers check for between sends: a cancelled article stops, a corrected one re-renders. */
export interface ArticleControl {
  stopped: boolean;
  revision: number;
}

export interface RecordedArticle {
  seq: number;
  isNew: boolean;
  queued: boolean;
}

function encodeOutcome(outcome: Outcome): [value: string, stat: string] {
  switch (outcome.kind) {
    case "sent":
      return [`${outcome.messageId}@${outcome.chatId}`, "sent"];
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
  private readonly advanceRevisionScript;

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {
    this.recordScript = defineScript(redis, "newsbellRecordArticle", RECORD);
    this.markQueuedScript = defineScript(redis, "newsbellMarkQueued", MARK_QUEUED);
    this.advanceScript = defineScript(redis, "newsbellAdvanceFanout", ADVANCE);
    this.settleScript = defineScript(redis, "newsbellSettleDelivery", SETTLE);
    this.claimScript = defineScript(redis, "newsbellClaimGroup", CLAIM_GROUP);
    this.advanceRevisionScript = defineScript(redis, "newsbellAdvanceRevision", ADVANCE_REVISION);
  }

  async record(article: Article, now: string): Promise<RecordedArticle> {
    const [seq, isNew, queued] = (await this.recordScript(
      [
        this.keys.articleId(article.id),
        this.keys.articleSeq,
        `${this.keys.prefix}:article:`,
        this.keys.articleRecent,
        this.keys.articleIds,
      ],
      [
        article.id,
        JSON.stringify(article),
        ARTICLE_TTL_S,
        now,
        Date.parse(now) || Date.now(),
        RECENT_KEEP_MS,
        ARTICLE_ID_TTL_S,
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

  async advanceFanout(seq: number, from: number, to: number, recipients: number, done: boolean, now: string) {
    return (
      (await this.advanceScript(
        [this.keys.articleStats(seq)],
        [from, to, recipients, now, done ? "1" : "0"],
      )) === 1
    );
  }

  /** The chats among `chatIds` that already have an outcome for this article. */
  /** The ledger entries of `chatIds` for this article: an outcome, or "=" for a chat reached under another id. */
  async ledgerEntries(seq: number, chatIds: readonly number[]): Promise<Map<number, string>> {
    const pipeline = this.redis.pipeline();
    for (const id of chatIds) pipeline.hget(this.keys.ledgerShard(seq, id), String(id));
    const results = (await pipeline.exec()) ?? [];
    const entries = new Map<number, string>();
    chatIds.forEach((id, i) => {
      const value = results[i]?.[1];
      if (typeof value === "string") entries.set(id, value);
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
    const [value, stat] = encodeOutcome(outcome);
    const result = await this.settleScript(
      [this.keys.ledgerShard(seq, chatId), this.keys.articleStats(seq)],
      [chatId, value, stat, LEDGER_TTL_MS, now],
    );
    return result === 1;
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

  /** Where the alert for `chatId` landed: message id and the chat it is in now. */
  async deliveredMessage(
    seq: number,
    chatId: number,
  ): Promise<{ messageId: number; chatId: number } | undefined> {
    const raw = await this.redis.hget(this.keys.ledgerShard(seq, chatId), String(chatId));
    const match = raw?.match(/^(\d+)@(-?\d+)$/);
    return match ? { messageId: Number(match[1]), chatId: Number(match[2]) } : undefined;
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
        .exec()) ?? [];
    return first === 1;
  }

  async control(seq: number): Promise<ArticleControl> {
    const [cancelledAt, revision] = await this.redis.hmget(
      this.keys.articleStats(seq),
      "cancelledAt",
      "revision",
    );
    return { stopped: cancelledAt !== null, revision: Number(revision ?? 0) };
  }

  /** Stores the corrected article; sends from now on carry the new text. Returns the new revision. */
  async replace(seq: number, article: Article): Promise<number> {
    const [, [, revision] = []] =
      (await this.redis
        .multi()
        .set(this.keys.article(seq), JSON.stringify(article), "KEEPTTL")
        .hincrby(this.keys.articleStats(seq), "revision", 1)
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
        const match = /^(\d+)@(-?\d+)$/.exec(raw);
        if (match)
          found.push({
            chatId: Number(chatId),
            messageId: Number(match[1]),
            targetId: Number(match[2]),
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
}
