import type { Redis } from "ioredis";
import { LEDGER_TTL_MS } from "./delivery-ledger.ts";
import type { RedisKeys } from "./keys.ts";
import { defineScripts, readLua } from "./lua.ts";

/** At most this many articles wait for one chat's digest; the oldest fall out and are counted. */
export const HELD_CAP = 200;
/** Held items (and a digest in flight) expire this long after the last one was held. */
export const HELD_TTL_MS = 7 * 24 * 3600 * 1000;

const SCRIPTS = {
  route: ["newsbellRouteFanout", readLua("route-fanout")],
  take: ["newsbellTakeDigest", readLua("take-digest")],
  due: ["newsbellDueDigests", readLua("due-digests")],
  reschedule: ["newsbellRescheduleHeld", readLua("reschedule-held")],
} as const;

/** An article waiting for a chat's digest. */
export interface HeldItem {
  seq: number;
  breaking: boolean;
  /** When it was held, ms. */
  heldAt: number;
}

/** What one chat's fan-out step decided for a chat that is not sent the alert now. */
export interface RoutedChat {
  chatId: number;
  /** "held" for the digest, or why it is dropped. */
  route: "held" | "filtered" | "breaking-only" | "muted";
  /** When the digest holding it goes out (ms); only for "held". */
  releaseMs?: number;
}

/** One message of a digest as rendered before the first send, and the seqs whose lines it holds. */
export interface DigestPart {
  html: string;
  seqs: number[];
  /** The "N more" its last line counts (the last part of a digest past 50 articles). */
  more?: number;
  /** ArticleStore.revisionCount read before `html` was rendered; absent from older records. */
  revisions?: number;
}

/** A chat's digest claimed by a job: resumed from here after a crash. */
export interface DigestInFlight {
  job: string;
  items: HeldItem[];
  fellOut: number;
  /** Rendered once, on the first run, so a resumed job sends exactly the same messages. */
  parts?: DigestPart[];
  /** Where the digest goes, once a group's migration moved it. */
  target?: number;
  /** Part index -> message id of the parts already sent (0: left out, nothing in it was left). */
  sent: Map<number, number>;
}

function parseItems(raw: string | undefined): HeldItem[] {
  if (!raw) return [];
  return raw.split(",").flatMap((entry) => {
    const match = /^(\d+)(b?):(\d+(?:\.\d+)?)$/.exec(entry);
    return match ? [{ seq: Number(match[1]), breaking: match[2] === "b", heldAt: Number(match[3]) }] : [];
  });
}

/**
 * The articles held for readers' digests (quiet hours, digest mode, mute): per chat a sorted
 * set bounded to HELD_CAP, a due set the digest tick reads, and the digest in flight, claimed
 * atomically before it is sent so that no held item is lost when a worker dies.
 */
export class HeldStore {
  private readonly scripts;

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {
    this.scripts = defineScripts(redis, SCRIPTS);
  }

  /**
   * Moves the fan-out cursor like FanoutCursor.advanceFanout and, in the same atomic step,
   * records the chats held or dropped (counted as done, skipped:<held|reason>), holding the
   * article for the held ones. False when another run moved the cursor first.
   */
  async advanceRouted(
    article: { seq: number; breaking: boolean },
    step: { from: number; to: number; queued: number; last: boolean; now: string; heldAt: number },
    routed: readonly RoutedChat[],
  ): Promise<boolean> {
    const { seq } = article;
    const keys: string[] = [this.keys.articleStats(seq), this.keys.heldDue];
    const args: (string | number)[] = [
      step.from,
      step.to,
      step.queued,
      step.now,
      step.last ? "1" : "0",
      LEDGER_TTL_MS,
      HELD_TTL_MS,
      HELD_CAP,
      // Padded: items held at the same ms sort by seq, so the oldest article is the one to fall out.
      `${String(seq).padStart(15, "0")}${article.breaking ? "b" : ""}`,
      step.heldAt,
    ];
    for (const chat of routed) {
      keys.push(
        this.keys.ledgerShard(seq, chat.chatId),
        this.keys.heldItems(chat.chatId),
        this.keys.heldFellOut(chat.chatId),
      );
      args.push(chat.chatId, chat.route, Math.round(chat.releaseMs ?? 0));
    }
    return (await this.scripts.route(keys, args)) === 1;
  }

  /** The articles held for a chat now, oldest first, and how many fell out of the cap. */
  async held(chatId: number): Promise<{ items: HeldItem[]; fellOut: number }> {
    const [[, raw] = [], [, out] = []] =
      (await this.redis
        .pipeline()
        .zrange(this.keys.heldItems(chatId), "0", "-1", "WITHSCORES")
        .get(this.keys.heldFellOut(chatId))
        .exec()) ?? [];
    const flat = (raw ?? []) as string[];
    const items: HeldItem[] = [];
    for (let i = 0; i < flat.length; i += 2) items.push(...parseItems(`${flat[i]}:${flat[i + 1]}`));
    return { items, fellOut: Number(out ?? 0) };
  }

  /** When a chat's digest is due (ms), if it has one coming. */
  async dueAt(chatId: number): Promise<number | undefined> {
    const score = await this.redis.zscore(this.keys.heldDue, String(chatId));
    return score === null ? undefined : Number(score);
  }

  /**
   * The chat's reader changed what decides when its held items come: they are due at `regularMs`
   * now, or at `breakingMs` when a breaking article is among them, sooner or later than before. A
   * chat with nothing held gets no entry. Returns the new due time, if anything is held.
   */
  async reschedule(chatId: number, regularMs: number, breakingMs: number): Promise<number | undefined> {
    const due = await this.scripts.reschedule(
      [this.keys.heldDue, this.keys.heldItems(chatId)],
      [chatId, Math.round(regularMs), Math.round(breakingMs)],
    );
    return due === null ? undefined : Number(due);
  }

  /** Chats whose digest is due by `nowMs`, each leased for `leaseMs` (queued again if its job is lost). */
  async due(nowMs: number, leaseMs: number, limit: number): Promise<{ chatId: number; dueMs: number }[]> {
    const flat = (await this.scripts.due(
      [this.keys.heldDue],
      [Math.round(nowMs), leaseMs, limit],
    )) as string[];
    const due: { chatId: number; dueMs: number }[] = [];
    for (let i = 0; i < flat.length; i += 2)
      due.push({ chatId: Number(flat[i]), dueMs: Number(flat[i + 1]) });
    return due;
  }

  /**
   * Claims the chat's digest for `jobId`: the held items move in flight (or the digest already in
   * flight is taken over, with what it sent). Undefined when nothing is held.
   */
  async take(chatId: number, jobId: string): Promise<DigestInFlight | undefined> {
    const flat = (await this.scripts.take(
      [
        this.keys.heldItems(chatId),
        this.keys.heldFellOut(chatId),
        this.keys.heldFlight(chatId),
        this.keys.heldDue,
      ],
      [chatId, jobId, HELD_TTL_MS],
    )) as string[];
    if (flat.length === 0) return undefined;
    return this.parseFlight(flat);
  }

  /** The digest in flight for a chat, as last recorded. */
  async inFlight(chatId: number): Promise<DigestInFlight | undefined> {
    const raw = await this.redis.hgetall(this.keys.heldFlight(chatId));
    if (!raw.job) return undefined;
    return this.parseFlight(Object.entries(raw).flat());
  }

  /** The job the chat's digest in flight belongs to now (a later job may have taken it over). */
  async owner(chatId: number): Promise<string | undefined> {
    return (await this.redis.hget(this.keys.heldFlight(chatId), "job")) ?? undefined;
  }

  /** Keeps the first rendering of a digest: a resumed job must send the same parts. Returns the kept parts. */
  async saveParts(chatId: number, parts: readonly DigestPart[]): Promise<DigestPart[]> {
    const key = this.keys.heldFlight(chatId);
    const [, [, stored] = []] =
      (await this.redis.multi().hsetnx(key, "parts", JSON.stringify(parts)).hget(key, "parts").exec()) ?? [];
    return JSON.parse(String(stored)) as DigestPart[];
  }

  /**
   * Notes one part as done: a resumed job does not send it. A part sent is noted this way
   * together with its ledger entries (DigestLedger.recordPart); alone, with message id 0, a part
   * left out because every line in it was retracted.
   */
  async markPartSent(chatId: number, part: number, messageId: number): Promise<void> {
    await this.redis.hset(this.keys.heldFlight(chatId), `sent:${part}`, messageId);
  }

  async setTarget(chatId: number, target: number): Promise<void> {
    await this.redis.hset(this.keys.heldFlight(chatId), "target", target);
  }

  /** The digest went out (or cannot go anywhere): it is no longer in flight. */
  async finish(chatId: number): Promise<void> {
    await this.redis.del(this.keys.heldFlight(chatId));
  }

  private parseFlight(flat: string[]): DigestInFlight {
    const fields = new Map<string, string>();
    for (let i = 0; i < flat.length; i += 2) fields.set(String(flat[i]), String(flat[i + 1]));
    const sent = new Map<number, number>();
    for (const [k, v] of fields) if (k.startsWith("sent:")) sent.set(Number(k.slice(5)), Number(v));
    const parts = fields.get("parts");
    const target = fields.get("target");
    return {
      job: fields.get("job") ?? "",
      items: parseItems(fields.get("items")),
      fellOut: Number(fields.get("fellOut") ?? 0),
      ...(parts ? { parts: JSON.parse(parts) as DigestPart[] } : {}),
      ...(target ? { target: Number(target) } : {}),
      sent,
    };
  }
}
