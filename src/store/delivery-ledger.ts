import type { Redis } from "ioredis";
import type { RedisKeys } from "./keys.ts";
import { readLedgerShards } from "./ledger-shards.ts";
import { defineScripts, readLua } from "./lua.ts";

/** Delivered message ids are kept as long as Telegram lets a bot delete a message. */
export const LEDGER_TTL_MS = 48 * 3600 * 1000;
/** Delivery stops this long before the ledger of its first sends could expire. */
export const LEDGER_MARGIN_MS = 3600 * 1000;

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

const SCRIPTS = {
  settle: ["newsbellSettleDeliveries", readLua("settle-delivery")],
  claim: ["newsbellClaimGroup", readLua("claim-group")],
  readLedger: ["newsbellReadLedger", readLua("read-ledger")],
} as const;

/**
 * Who got which article: per article a ledger of chat -> outcome in LEDGER_SHARDS small hashes,
 * each outcome counted once in the article's figures, and the groups that moved mid-delivery.
 */
export class DeliveryLedger {
  private readonly scripts;

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {
    this.scripts = defineScripts(redis, SCRIPTS);
  }

  /**
   * The ledger entries of `chatIds` for this article, in one call: an outcome, "=" for a chat
   * reached under another id, or "~" for a group's send under way.
   */
  async ledgerEntries(seq: number, chatIds: readonly number[]): Promise<Map<number, string>> {
    const entries = new Map<number, string>();
    if (chatIds.length === 0) return entries;
    const values = (await this.scripts.readLedger(
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
    const result = await this.scripts.claim([this.keys.ledgerShard(seq, chatId)], [chatId, LEDGER_TTL_MS]);
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
    const results = (await this.scripts.settle(keys, args)) as number[];
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

  /** Counts a send whose fate Telegram left unknown (it may have arrived): the newsroom shows it. */
  async countAmbiguous(seq: number): Promise<void> {
    await this.redis.hincrby(this.keys.articleStats(seq), "ambiguous", 1);
  }

  /** The alerts delivered in ledger shards `from`..`to-1`, as message ids to edit or delete. */
  async deliveredInShards(seq: number, from: number, to: number): Promise<LedgerMessage[]> {
    return (await readLedgerShards(this.redis, this.keys, seq, from, to)).flatMap(({ chatId, raw }) => {
      const match = /^(p?)(\d+)(?:@(-?\d+))?$/.exec(raw);
      if (!match) return [];
      const targetId = match[3] === undefined ? chatId : Number(match[3]);
      return [{ chatId, messageId: Number(match[2]), targetId, photo: match[1] === "p", raw }];
    });
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
