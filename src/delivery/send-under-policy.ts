import { setTimeout as delay } from "node:timers/promises";
import { backoffMs } from "../domain/send-failure.ts";
import { type AcquireOptions, type RateLimiter, SendingStopped } from "../store/rate-limiter.ts";

/** What follows a failed try, as the caller's failure rules decide it. */
export type PolicyStep<T> =
  /** Telegram's 429: every worker pauses for `seconds`; the same try then goes again. */
  | { next: "wait"; seconds: number }
  /** The group became a supergroup: it moves (PolicedSend.moveTo), and the next try goes to its new id. */
  | { next: "move"; to: number }
  /** The forum group's topic is gone: the same try goes again, to General (PolicedSend.toGeneral). */
  | { next: "general" }
  /** What failed was not the chat (a picture Telegram refused): the same try goes again at once. */
  | { next: "again" }
  /** Telegram or the network is failing for now: the next try goes after a backoff, up to `tries`. */
  | { next: "retry" }
  /** Final: what the send comes to. */
  | { next: "settle"; outcome: T };

/** Returned by PolicedSend.ready when the slot went by while the send got ready. */
export const SLOT_MISSED = "slot-missed";

/** What ready() found: go on with `value`, end the send with `outcome`, or ask for a new slot. */
export type Readiness<P, T> = { go: P } | { settle: T } | typeof SLOT_MISSED;

/** One send (an alert, a digest message, an edit or deletion) as the policy drives it. */
export interface PolicedSend<P, T> {
  /** Where the next try goes: a migration or a lost topic changes it between tries. */
  target(): { id: number; isGroup: boolean };
  /** Before each try's slot: an outcome ends the send with no slot taken (the ledger says it is done). */
  beforeSlot?(): Promise<{ settle: T } | undefined>;
  /**
   * With the slot in hand, before the call: what the call needs. Its errors are not the call's
   * and are not classified: they end the send. `validUntil` is when the slot goes by.
   */
  ready(validUntil: number): Promise<Readiness<P, T>>;
  /** The Bot API call; what it throws goes to `failed`. */
  call(prepared: P): Promise<T>;
  /** The failure rules: what follows an error of the call. May throw to end the send. */
  failed(error: unknown): Promise<PolicyStep<T>>;
  /** Every try failed for now (`tries` transient failures): the outcome, or a throw for a later retry. */
  exhausted(): T | Promise<T>;
  /** The chat moved to a new id. */
  moveTo?(to: number): Promise<void>;
  /** The chat's topic is gone: its tries go to General from now on. */
  toGeneral?(): void;
  /** After each try, however it ended (an upload claim the try did not use is given up). */
  afterTry?(): Promise<void>;
}

export interface SendPolicy {
  limiter: Pick<RateLimiter, "acquire" | "pauseAll">;
  /** True once the process is shutting down: no new try starts (SendingStopped). */
  stopping?: (() => boolean) | undefined;
  /** Tries of one send when Telegram or the network fails for now. */
  tries: number;
  /**
   * The slot's options: an alert's job fences its sends with its lock and orders them by its
   * priority; an interactive send takes the lane of its own. `missed` is the policy's to set.
   */
  slots?: Omit<AcquireOptions, "missed">;
  /** Called at each 429, before every worker pauses. */
  onRateLimited?: (() => void) | undefined;
}

/**
 * The one send rule of every bulk send: wait for a slot of the global limiter (and the chat's
 * gap), send, and after a failure follow the caller's failure rules: a 429 pauses every worker
 * and uses up no try, 5xx and network errors back off and go again up to `tries` times, a
 * migrated group moves, a lost topic falls back to General. Stopping ends it before a try
 * (SendingStopped); the limiter ends it when a fenced job's lock is lost (LockLost).
 */
export async function sendUnderPolicy<P, T>(policy: SendPolicy, send: PolicedSend<P, T>): Promise<T> {
  // The last slot went by while the send got ready: the next one need not wait for the chat's gap.
  let missed = false;
  for (let attempt = 1; ; attempt++) {
    if (policy.stopping?.()) throw new SendingStopped();
    const early = await send.beforeSlot?.();
    if (early) return early.settle;
    try {
      const { id, isGroup } = send.target();
      const validUntil = await policy.limiter.acquire(id, isGroup, policy.stopping, {
        ...policy.slots,
        missed,
      });
      missed = false;
      const readiness = await send.ready(validUntil);
      if (readiness === SLOT_MISSED) {
        // A slot that went by is no try of the send's.
        missed = true;
        attempt--;
        continue;
      }
      if ("settle" in readiness) return readiness.settle;
      let step: PolicyStep<T>;
      try {
        return await send.call(readiness.go);
      } catch (error) {
        step = await send.failed(error);
      }
      switch (step.next) {
        case "wait":
          policy.onRateLimited?.();
          await policy.limiter.pauseAll(step.seconds);
          // Waiting out a 429 uses up no try.
          attempt--;
          continue;
        case "move":
          await send.moveTo?.(step.to);
          continue;
        case "general":
          send.toGeneral?.();
          attempt--;
          continue;
        case "again":
          attempt--;
          continue;
        case "retry":
          if (attempt >= policy.tries) return await send.exhausted();
          await delay(backoffMs(attempt));
          continue;
        case "settle":
          return step.outcome;
      }
    } finally {
      await send.afterTry?.();
    }
  }
}

/**
 * One call about a message Telegram has already (an edit, a deletion, a pin): no ledger claim and
 * nothing to get ready, so only the caller's failure rules differ; `done` is the outcome of a
 * call that went through.
 */
export function callUnderPolicy<T>(
  policy: SendPolicy,
  chatId: number,
  call: () => Promise<unknown>,
  done: T,
  rules: Pick<PolicedSend<undefined, T>, "failed" | "exhausted">,
): Promise<T> {
  return sendUnderPolicy<undefined, T>(policy, {
    target: () => ({ id: chatId, isGroup: chatId < 0 }),
    ready: async () => ({ go: undefined }),
    call: async () => {
      await call();
      return done;
    },
    ...rules,
  });
}
