import type { Redis } from "ioredis";
import type { RedisKeys } from "./keys.ts";
import { defineScript, readLua } from "./lua.ts";

/** KEYS, ARGV and replies: src/store/lua/acquire-slot.lua. */
const ACQUIRE = readLua("acquire-slot");

/**
 * Sends that come within this long of the last call wait and go together in the next one: the
 * sends of a busy process end a few at a time, and each asking alone would be a round trip.
 */
const CALL_GAP_MS = 25;
/** When the horizon is full, wait until it has room for this many slots before asking again. */
const REFILL_SLOTS = 50;
/** A waiting send looks at `stopping` at least this often. */
const LONGEST_WAIT_MS = 1000;
/** A fenced send goes out only this long before its job's lock would lapse, at the latest. */
const FENCE_MARGIN_MS = 100;
/**
 * Interactive sends may take slots past the bulk horizon at up to 1/INTERACTIVE_SHARE of the
 * rate (their lane's interval is this many slots), so bulk sends keep the rest however many
 * taps come in.
 */
const INTERACTIVE_SHARE = 2;
/** How far ahead the interactive lane may be reserved: a burst of taps and edits goes at once. */
const INTERACTIVE_HORIZON_MS = 1000;
/**
 * How long after a bulk send found the horizon full interactive sends take slots only from their
 * lane: bulk sends ask again within LONGEST_WAIT_MS while they wait.
 */
const BULK_WAITING_MS = 1000;

/** A job's BullMQ lock: sends for the job get slots only while the lock holds this token. */
export interface JobFence {
  lockKey: string;
  token: string;
}

export type Reservation = { slotAt: number; validUntil: number } | "fenced";

/** One send waiting in this process for its slot. */
export interface SlotRequest {
  chatKey: string;
  gapMs: number;
  missed: boolean;
  fence: JobFence | undefined;
  priority: number;
  interactive: boolean;
  /** performance.now() before which Redis is not asked for this send. */
  notBefore: number;
  stopping: (() => boolean) | undefined;
  resolve(reservation: Reservation): void;
  reject(error: unknown): void;
}

/** The lock keys and tokens of a batch, each once, and the sends' arguments pointing at them. */
interface BatchArgs {
  lockIndex: Map<string, number>;
  lockKeys: string[];
  tokens: string[];
  perSend: (string | number)[];
  chatKeys: string[];
}

/**
 * The slots of the one schedule every worker process shares (GCRA in Redis, on Redis's clock):
 * the sends of a process waiting at the same moment are reserved together, in one script call.
 */
export class SlotReserver {
  private readonly acquireScript;
  private readonly intervalUs: number;
  private readonly horizonUs: number;
  private readonly laneIntervalUs: number;
  /** How long to wait after the horizon filled before asking again: room for REFILL_SLOTS. */
  private readonly refillMs: number;
  /** Until then the horizon is full: a new send waits with the others instead of asking alone. */
  private fullUntil = 0;
  /** When the last script call started (performance.now()). */
  private lastCallAt = Number.NEGATIVE_INFINITY;
  /** Script calls made, for the bench. */
  calls = 0;

  constructor(
    redis: Redis,
    private readonly keys: RedisKeys,
    perSecond: number,
    horizonMs: number,
  ) {
    this.acquireScript = defineScript(redis, "newsbellAcquireSlots", ACQUIRE);
    this.intervalUs = perSecond > 0 ? Math.floor(1_000_000 / perSecond) : 0;
    this.horizonUs = horizonMs * 1000;
    this.laneIntervalUs = this.intervalUs * INTERACTIVE_SHARE;
    this.refillMs = Math.min((REFILL_SLOTS * this.intervalUs) / 1000, horizonMs / 2);
  }

  /** When a new send may ask Redis: a full horizon holds back bulk sends only; an interactive one asks at once. */
  notBefore(interactive: boolean): number {
    return interactive
      ? performance.now()
      : Math.max(performance.now(), this.fullUntil, this.lastCallAt + CALL_GAP_MS);
  }

  /**
   * One script call for `batch`: each send gets its slot, or a refusal, or is handed to `retry`
   * with the time it may ask again (notBefore).
   */
  async reserve(batch: SlotRequest[], retry: (request: SlotRequest) => void): Promise<void> {
    const args = batchArgs(batch);
    const started = performance.now();
    this.lastCallAt = started;
    let replies: number[];
    try {
      this.calls++;
      replies = await this.call(args);
    } catch (error) {
      for (const request of batch) request.reject(error);
      return;
    }
    this.answer(batch, args, replies, started, retry);
  }

  private async call({ lockKeys, tokens, perSend, chatKeys }: BatchArgs): Promise<number[]> {
    return (await this.acquireScript(
      [
        this.keys.rateTat,
        this.keys.ratePause,
        this.keys.rateTatInteractive,
        this.keys.rateBulkWaiting,
        ...lockKeys,
        ...chatKeys,
      ],
      [
        this.intervalUs,
        this.horizonUs,
        this.laneIntervalUs,
        INTERACTIVE_HORIZON_MS * 1000,
        BULK_WAITING_MS,
        lockKeys.length,
        ...tokens,
        ...perSend,
      ],
    )) as number[];
  }

  /** Hands each send of the batch what Redis answered for it. */
  private answer(
    batch: SlotRequest[],
    { lockIndex, lockKeys }: BatchArgs,
    replies: number[],
    started: number,
    retry: (request: SlotRequest) => void,
  ): void {
    const answered = performance.now();
    const full = replies[batch.length + lockKeys.length] ?? 0;
    if (full > 0) this.fullUntil = answered + Math.max(full, this.refillMs);
    for (let i = 0; i < batch.length; i++) {
      const request = batch[i] as SlotRequest;
      const reply = replies[i] ?? 0;
      if (reply === 0) {
        request.resolve("fenced");
      } else if (reply > 0) {
        // The lock was ours when Redis looked, which was after `started`: it holds at least its
        // time to live from then.
        const lock = request.fence ? (lockIndex.get(fenceId(request)) ?? 0) : 0;
        const ttl = lock > 0 ? (replies[batch.length + lock - 1] ?? 0) : 0;
        request.resolve({
          slotAt: answered + reply - 1,
          validUntil: lock > 0 ? started + ttl - FENCE_MARGIN_MS : Number.POSITIVE_INFINITY,
        });
      } else {
        // A bulk send waits for room for a few, an interactive one only for its own.
        const refill = full > 0 && !request.interactive ? this.refillMs : 0;
        request.notBefore = answered + Math.min(Math.max(-reply, refill), LONGEST_WAIT_MS);
        retry(request);
      }
    }
  }
}

/** The script's arguments for `batch`: each lock key and token once, however many sends it fences. */
function batchArgs(batch: SlotRequest[]): BatchArgs {
  const args: BatchArgs = { lockIndex: new Map(), lockKeys: [], tokens: [], perSend: [], chatKeys: [] };
  for (const request of batch) {
    let lock = 0;
    if (request.fence) {
      const id = fenceId(request);
      lock = args.lockIndex.get(id) ?? 0;
      if (lock === 0) {
        args.lockKeys.push(request.fence.lockKey);
        args.tokens.push(request.fence.token);
        lock = args.lockKeys.length;
        args.lockIndex.set(id, lock);
      }
    }
    args.chatKeys.push(request.chatKey);
    args.perSend.push(lock, request.gapMs, request.missed ? "1" : "0", request.interactive ? "1" : "0");
  }
  return args;
}

function fenceId(request: SlotRequest): string {
  return request.fence ? `${request.fence.lockKey}\n${request.fence.token}` : "";
}
