import type { Redis } from "ioredis";
import type { RedisKeys } from "./keys.ts";
import { defineScript, readLua } from "./lua.ts";
import { type JobFence, type Reservation, type SlotRequest, SlotReserver } from "./slot-reserver.ts";

/**
 * One schedule shared by every worker process (GCRA in Redis, on Redis's clock). The sends of a
 * process that wait for a slot at the same moment are reserved together, in one script call
 * (SlotReserver), and then paced here with timers: Redis is asked again only when the horizon has
 * room for a few more slots, not by every waiting send. Interactive sends (status edits, replies
 * to taps) share the schedule, so the rate holds for all sends together, but do not wait for the
 * bulk sends of any process: they go right behind the slots reserved already, in a lane of their
 * own that may take up to half the rate while bulk sends wait. KEYS, ARGV and replies:
 * src/store/lua/acquire-slot.lua.
 */
const PAUSE = readLua("pause-sending");

/** Sends are paced in ticks this long: the sends of one tick go out together. */
export const TICK_MS = 10;
/** How late past its tick a send may still go out; a later one would bunch up with the next ones. */
const LATE_SLOT_MS = 25;
/** Sends reserved in one call at most (each is one key and three arguments). */
const MAX_RESERVE = 256;
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

export class RateLimiter {
  private readonly slots: SlotReserver;
  private readonly pauseScript;
  private pending: SlotRequest[] = [];
  private calling = false;
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  /** Sends waiting for a tick, by the tick's time (performance.now()). */
  private readonly ticks = new Map<number, (() => void)[]>();

  constructor(
    redis: Redis,
    private readonly keys: RedisKeys,
    options: RateLimiterOptions,
  ) {
    this.slots = new SlotReserver(redis, keys, options.perSecond, options.horizonMs ?? 300);
    this.pauseScript = defineScript(redis, "newsbellPauseSending", PAUSE);
  }

  /** Script calls made, for the bench. */
  get calls(): number {
    return this.slots.calls;
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
          notBefore: this.slots.notBefore(interactive),
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
    const retry = (request: SlotRequest) => this.pending.push(request);
    void this.slots.reserve(batch, retry).finally(() => {
      this.calling = false;
      if (this.pending.length > 0) this.pump();
    });
  }
}
