import type { Redis } from "ioredis";
import type { RedisKeys } from "./keys.ts";
import { defineScript, readLua } from "./lua.ts";

/**
 * One schedule shared by every worker process (GCRA in Redis, on Redis's clock). The sends of a
 * process that wait for a slot at the same moment are reserved together, in one script call, and
 * then paced here with timers: Redis is asked again only when the horizon has room for a few
 * more slots, not by every waiting send. Interactive sends (status edits, replies to taps) share
 * the schedule, so the rate holds for all sends together, but do not wait for the bulk sends of
 * any process: they go right behind the slots reserved already, in a lane of their own that may
 * take up to half the rate while bulk sends wait. KEYS, ARGV and replies: src/store/lua/acquire-slot.lua.
 */
const ACQUIRE = readLua("acquire-slot");
const PAUSE = readLua("pause-sending");

/** Sends are paced in ticks this long: the sends of one tick go out together. */
export const TICK_MS = 10;
/** How late past its tick a send may still go out; a later one would bunch up with the next ones. */
const LATE_SLOT_MS = 25;
/** Sends reserved in one call at most (each is one key and three arguments). */
const MAX_RESERVE = 256;
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
/** Among the sends waiting in a process, interactive ones go before every bulk priority. */
const INTERACTIVE_RANK = -1;

export class SendingStopped extends Error {}

/**
 * The delivery job's BullMQ lock is no longer this worker's (it stalled past the lock, and another
 * worker took the job over): the batch stops, and what it did not send is left to the new owner.
 */
export class LockLost extends Error {
  constructor() {
    super("the delivery job's lock was lost: another worker took the batch over");
  }
}

export const PRIVATE_CHAT_GAP_MS = 1000;
/** 20 messages a minute to a group, kept as an even spacing. */
export const GROUP_CHAT_GAP_MS = 3000;

export interface RateLimiterOptions {
  /** Messages per second across all processes; 0 means no global limit. */
  perSecond: number;
  /** How far ahead one call may reserve a slot. */
  horizonMs?: number;
}

/** A job's BullMQ lock: sends for the job get slots only while the lock holds this token. */
export interface JobFence {
  lockKey: string;
  token: string;
}

export interface AcquireOptions {
  /** Sends of a delivery job: refused (LockLost) once the job's lock is not ours any more. */
  fence?: JobFence;
  /** Lower goes first among sends waiting in this process (BullMQ's priority: breaking is 1). */
  priority?: number;
  /**
   * The caller let its last slot pass (it came back after the deadline `acquire` gave): that slot
   * took the chat's gap already, so the new one does not wait for it again.
   */
  missed?: boolean;
  /**
   * A send someone is looking at right now (the editor's status message, a reply to a tap): it
   * goes before every bulk send waiting in this process, and takes a slot right behind the ones
   * bulk sends of all processes reserved already, not after every bulk send still waiting for one.
   */
  interactive?: boolean;
}

type Reservation = { slotAt: number; validUntil: number } | "fenced";

interface SlotRequest {
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

export class RateLimiter {
  private readonly acquireScript;
  private readonly pauseScript;
  private readonly intervalUs: number;
  private readonly horizonUs: number;
  private readonly laneIntervalUs: number;
  /** How long to wait after the horizon filled before asking again: room for REFILL_SLOTS. */
  private readonly refillMs: number;
  private pending: SlotRequest[] = [];
  private calling = false;
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  /** Until then the horizon is full: a new send waits with the others instead of asking alone. */
  private fullUntil = 0;
  /** Sends waiting for a tick, by the tick's time (performance.now()). */
  private readonly ticks = new Map<number, (() => void)[]>();
  /** When the last script call started (performance.now()). */
  private lastCallAt = Number.NEGATIVE_INFINITY;
  /** Script calls made, for the bench. */
  calls = 0;

  constructor(
    redis: Redis,
    private readonly keys: RedisKeys,
    options: RateLimiterOptions,
  ) {
    this.acquireScript = defineScript(redis, "newsbellAcquireSlots", ACQUIRE);
    this.pauseScript = defineScript(redis, "newsbellPauseSending", PAUSE);
    this.intervalUs = options.perSecond > 0 ? Math.floor(1_000_000 / options.perSecond) : 0;
    const horizonMs = options.horizonMs ?? 300;
    this.horizonUs = horizonMs * 1000;
    this.laneIntervalUs = this.intervalUs * INTERACTIVE_SHARE;
    this.refillMs = Math.min((REFILL_SLOTS * this.intervalUs) / 1000, horizonMs / 2);
  }

  /**
   * Waits until this process may send one message to `chatId`; `stopping` ends the wait early
   * (SendingStopped). Returns until when (performance.now()) the send may still go out: a send
   * that comes back later (an event-loop stall or a slow read after the slot) would bunch up with
   * the next ones, or outlive its job's lock, so it asks again (`missed`), and a fenced send is
   * refused if its job's lock lapsed (LockLost).
   */
  async acquire(
    chatId: number,
    isGroup: boolean,
    stopping?: () => boolean,
    options: AcquireOptions = {},
  ): Promise<number> {
    // A send goes out up to a tick after its slot, so the chat's next slot waits a tick longer.
    const gapMs = (isGroup ? GROUP_CHAT_GAP_MS : PRIVATE_CHAT_GAP_MS) + TICK_MS;
    const chatKey = this.keys.rateChat(chatId);
    // After a missed slot the chat's gap was already taken by that slot: don't wait for it again.
    let missed = options.missed ?? false;
    const interactive = options.interactive === true;
    for (;;) {
      if (stopping?.()) throw new SendingStopped();
      const reservation = await new Promise<Reservation>((resolve, reject) => {
        this.enqueue({
          chatKey,
          gapMs,
          missed,
          fence: options.fence,
          priority: interactive ? INTERACTIVE_RANK : (options.priority ?? 10),
          interactive,
          // A full horizon holds back bulk sends only; an interactive one asks at once.
          notBefore: interactive
            ? performance.now()
            : Math.max(performance.now(), this.fullUntil, this.lastCallAt + CALL_GAP_MS),
          stopping,
          resolve,
          reject,
        });
      });
      if (reservation === "fenced") throw new LockLost();
      const sendAt = await this.tick(reservation.slotAt);
      // A send that wakes up well after its slot (an event-loop stall) would bunch up with the
      // next ones, or outlive its job's lock: it takes a new slot, which checks the lock again.
      const now = performance.now();
      if (now - sendAt <= LATE_SLOT_MS && now < reservation.validUntil) {
        return Math.min(reservation.validUntil, sendAt + LATE_SLOT_MS);
      }
      missed = true;
    }
  }

  /**
   * Waits for the tick a slot falls in and resolves with the tick's time. Sends whose slots
   * fall in the same tick wake together, on one timer: at a high rate a timer and an event-loop
   * turn per send cost more than the send itself. A send goes at most TICK_MS after its slot,
   * which its chat's gap allows for (see acquire).
   */
  private tick(slotAt: number): Promise<number> | number {
    const at = Math.ceil(slotAt / TICK_MS) * TICK_MS;
    const wait = at - performance.now();
    if (wait <= 0) return at;
    const waiting = this.ticks.get(at) ?? this.startTick(at, wait);
    return new Promise<number>((resolve) => waiting.push(() => resolve(at)));
  }

  /** The one timer of a tick: it wakes every send that waits for the tick. */
  private startTick(at: number, wait: number): (() => void)[] {
    const waiting: (() => void)[] = [];
    this.ticks.set(at, waiting);
    setTimeout(() => {
      this.ticks.delete(at);
      for (const wake of waiting) wake();
    }, wait);
    return waiting;
  }

  /** After a 429: every worker holds back for `retryAfterSeconds`. */
  async pauseAll(retryAfterSeconds: number): Promise<void> {
    await this.pauseScript([this.keys.ratePause, this.keys.rateTat], [Math.ceil(retryAfterSeconds * 1000)]);
  }

  private enqueue(request: SlotRequest): void {
    this.pending.push(request);
    // Another call is under way or already due earlier: this send goes with it.
    if (this.calling || request.notBefore >= this.timerAt) return;
    this.pump();
  }

  /** Starts a call for the sends that are due, or a timer for the earliest one. */
  private pump(): void {
    if (this.calling) return;
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.timerAt = Number.POSITIVE_INFINITY;
    }
    const now = performance.now();
    const due: SlotRequest[] = [];
    const later: SlotRequest[] = [];
    let next = Number.POSITIVE_INFINITY;
    for (const request of this.pending) {
      if (request.stopping?.()) request.reject(new SendingStopped());
      else if (request.notBefore <= now) due.push(request);
      else {
        later.push(request);
        if (request.notBefore < next) next = request.notBefore;
      }
    }
    if (due.length === 0) {
      this.pending = later;
      if (next < Number.POSITIVE_INFINITY) {
        this.timerAt = next;
        this.timer = setTimeout(() => {
          this.timer = undefined;
          this.timerAt = Number.POSITIVE_INFINITY;
          this.pump();
        }, next - now);
      }
      return;
    }
    // Interactive sends first, then breaking news; the sort is stable, so otherwise first come,
    // first served.
    due.sort((a, b) => a.priority - b.priority);
    const batch = due.length > MAX_RESERVE ? due.slice(0, MAX_RESERVE) : due;
    if (batch !== due) for (let i = MAX_RESERVE; i < due.length; i++) later.push(due[i] as SlotRequest);
    this.pending = later;
    this.calling = true;
    void this.reserve(batch).finally(() => {
      this.calling = false;
      if (this.pending.length > 0) this.pump();
    });
  }

  /** One script call for `batch`: each send gets its slot, a time to ask again, or a refusal. */
  private async reserve(batch: SlotRequest[]): Promise<void> {
    const lockIndex = new Map<string, number>();
    const lockKeys: string[] = [];
    const tokens: string[] = [];
    const perSend: (string | number)[] = [];
    const chatKeys: string[] = [];
    for (const request of batch) {
      let lock = 0;
      if (request.fence) {
        const id = `${request.fence.lockKey}\n${request.fence.token}`;
        lock = lockIndex.get(id) ?? 0;
        if (lock === 0) {
          lockKeys.push(request.fence.lockKey);
          tokens.push(request.fence.token);
          lock = lockKeys.length;
          lockIndex.set(id, lock);
        }
      }
      chatKeys.push(request.chatKey);
      perSend.push(lock, request.gapMs, request.missed ? "1" : "0", request.interactive ? "1" : "0");
    }
    const started = performance.now();
    this.lastCallAt = started;
    let replies: number[];
    try {
      this.calls++;
      replies = (await this.acquireScript(
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
    } catch (error) {
      for (const request of batch) request.reject(error);
      return;
    }
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
        this.pending.push(request);
      }
    }
  }
}

function fenceId(request: SlotRequest): string {
  return request.fence ? `${request.fence.lockKey}\n${request.fence.token}` : "";
}
