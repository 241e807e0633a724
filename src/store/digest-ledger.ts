import type { Redis } from "ioredis";
import type { Language } from "../domain/language.ts";
import type { RedisKeys } from "./keys.ts";
import { readLedgerShards } from "./ledger-shards.ts";

/** A digest message can be edited or deleted as long as Telegram allows: 48 h. */
export const DIGEST_KEEP_MS = 48 * 3600 * 1000;

/**
 * The ledger value of an article that went out in a digest: "g<message id>@<chat id>". The other
 * ledger values are "<id>@<chat>", "p<id>@<chat>", "x:…", "-:…", "d:…", "=" and "~": none starts
 * with "g", so neither side misreads the other. A retracted line is kept as "d:g…".
 */
const DIGEST_ENTRY = /^g(\d+)@(-?\d+)$/;

/** One line of a sent digest message. */
export interface DigestLineRef {
  seq: number;
  breaking: boolean;
}

/** What one sent digest message holds, kept to re-render it after a correction or retraction. */
export interface DigestMessage {
  /** The chat as its held items were keyed (the ledger's field). */
  chatId: number;
  targetId: number;
  messageId: number;
  lang: Language;
  zone: string;
  /** Every line it was rendered for; a retracted article's line leaves it (ArticleControl.retracted). */
  lines: DigestLineRef[];
  /** The first message of a digest says how many items fell out of the cap. */
  fellOut: number;
  /** The last message of a long digest says how many more articles there were. */
  more?: number;
  /** ArticleStore.revisionCount read before the sent text was rendered. */
  revisions?: number;
}

/** One article's digest appearance, as its ledger holds it. */
export interface DigestEntry {
  chatId: number;
  targetId: number;
  messageId: number;
  raw: string;
}

/** Digests in the articles' ledgers, and the digest messages' content for 48 h. */
export class DigestLedger {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  /**
   * Records one sent message of a digest in flight, in one transaction: its content, each of its
   * articles' ledger entry for the chat (so that a correction or retraction walking the ledger
   * from now on finds it), and the part noted as sent in the chat's digest in flight (so that a
   * resumed job does not send it again). Neither can be there without the other.
   */
  async recordPart(message: DigestMessage, part: number): Promise<void> {
    const m = message;
    const multi = this.redis.multi();
    multi.set(this.keys.digestMessage(m.targetId, m.messageId), JSON.stringify(m), "PX", DIGEST_KEEP_MS);
    for (const line of m.lines) {
      const shard = this.keys.ledgerShard(line.seq, m.chatId);
      multi.hset(shard, String(m.chatId), `g${m.messageId}@${m.targetId}`);
      multi.pexpire(shard, DIGEST_KEEP_MS);
    }
    multi.hset(this.keys.heldFlight(m.chatId), `sent:${part}`, m.messageId);
    for (const [err] of (await multi.exec()) ?? []) if (err) throw err;
  }

  async message(targetId: number, messageId: number): Promise<DigestMessage | undefined> {
    const raw = await this.redis.get(this.keys.digestMessage(targetId, messageId));
    return raw === null ? undefined : (JSON.parse(raw) as DigestMessage);
  }

  /** The digests an article went out in, within ledger shards `from`..`to-1`. */
  async inShards(seq: number, from: number, to: number): Promise<DigestEntry[]> {
    return (await readLedgerShards(this.redis, this.keys, seq, from, to)).flatMap(({ chatId, raw }) => {
      const match = DIGEST_ENTRY.exec(raw);
      return match ? [{ chatId, messageId: Number(match[1]), targetId: Number(match[2]), raw }] : [];
    });
  }

  /** A retracted article's line is gone: a retried retraction does not count it again. */
  async markDeleted(seq: number, entry: DigestEntry): Promise<void> {
    await this.redis.hset(this.keys.ledgerShard(seq, entry.chatId), String(entry.chatId), `d:${entry.raw}`);
  }
}
