import { setTimeout as delay } from "node:timers/promises";
import type { Redis } from "ioredis";
import type { RedisKeys } from "./keys.ts";
import { defineScript, readLua } from "./lua.ts";

/**
 * One schedule shared by every worker process (GCRA in Redis, on Redis's clock): each call
 * reserves the next free sending slot, at most `horizon` ahead, and the chat's own gap.
 * KEYS, ARGV and replies: src/store/lua/acquire-slot.lua.
 */
const ACQUIRE = readLua("acquire-slot");
const PAUSE = readLua("pause-sending");

/** How late past its slot a send may still go out. */
const LATE_SLOT_MS = 25;

export class SendingStopped extends Error {}

export const PRIVATE_CHAT_GAP_MS = 1000;
/** 20 messages a minute to a group, kept as an even spacing. */
export const GROUP_CHAT_GAP_MS = 3000;

export interface RateLimiterOptions {
  /** Messages per second across all processes; 0 means no global limit. */
  perSecond: number;
  /** How far ahead one call may reserve a slot. */
  horizonMs?: number;
}

export class RateLimiter {
  private readonly acquireScript;
  private readonly pauseScript;
  private readonly intervalUs: number;
  private readonly horizonUs: number;

  constructor(
    redis: Redis,
    private readonly keys: RedisKeys,
    options: RateLimiterOptions,
  ) {
    this.acquireScript = defineScript(redis, "newsbellAcquireSlot", ACQUIRE);
    this.pauseScript = defineScript(redis, "newsbellPauseSending", PAUSE);
    this.intervalUs = options.perSecond > 0 ? Math.floor(1_000_000 / options.perSecond) : 0;
    this.horizonUs = (options.horizonMs ?? 300) * 1000;
  }

  /** Waits until this process may send one message to `chatId`; `stopping` ends the wait early. */
  async acquire(chatId: number, isGroup: boolean, stopping?: () => boolean): Promise<void> {
    const gap = isGroup ? GROUP_CHAT_GAP_MS : PRIVATE_CHAT_GAP_MS;
    // After a missed slot the chat's gap was already taken by that slot: don't wait for it again.
    let missedSlot = false;
    for (;;) {
      if (stopping?.()) throw new SendingStopped();
      const reply = Number(
        await this.acquireScript(
          [this.keys.rateTat, this.keys.ratePause, this.keys.rateChat(chatId)],
          [this.intervalUs, this.horizonUs, gap, missedSlot ? "1" : "0"],
        ),
      );
      if (reply > 0) {
        const slotAt = performance.now() + reply - 1;
        if (reply > 1) await delay(reply - 1);
        // A send that wakes up well after its slot would bunch up with the next ones; take a new slot.
        if (performance.now() - slotAt <= LATE_SLOT_MS) return;
        missedSlot = true;
        continue;
      }
      // Jitter keeps waiting senders from all asking again at the same instant.
      await delay(Math.min(-reply, 5000) + Math.random() * 10);
    }
  }

  /** After a 429: every worker holds back for `retryAfterSeconds`. */
  async pauseAll(retryAfterSeconds: number): Promise<void> {
    await this.pauseScript([this.keys.ratePause, this.keys.rateTat], [Math.ceil(retryAfterSeconds * 1000)]);
  }
}
