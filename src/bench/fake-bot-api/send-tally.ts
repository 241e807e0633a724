import { ApiError } from "./api-error.ts";

/** Telegram's flood limit as the fake applies it: perSecond × (1 + slack) sends within any 1000 ms. */
export interface RateLimit {
  perSecond: number;
  slack?: number;
}

/** What the benchmark needs to know of the sends the fake accepted. */
export interface SendReport {
  accepted: number;
  /** Each chat that got at least one send, with how many it got (more than one is a duplicate). */
  perChatCounts: [number, number][];
  firstAt: number;
  lastAt: number;
  /** The most sends accepted within any 1000 ms. */
  busiestSecond: number;
  rateLimited429s: number;
}

/** Send times of the last 1000 ms, oldest first: a queue that drops from the front. */
class SecondWindow {
  private times: number[] = [];
  private head = 0;

  size(now: number): number {
    while (this.head < this.times.length && now - (this.times[this.head] as number) >= 1000) this.head++;
    // Drop the consumed front now and then, so the array stays about one second long.
    if (this.head > 4096 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
    return this.times.length - this.head;
  }

  push(now: number): void {
    this.times.push(now);
  }
}

/**
 * The sends the fake accepted, as counts: a few numbers per chat, so it stays small at a million
 * chats. It also refuses, with Telegram's 429, a send above the rate limit.
 */
export class SendTally {
  rateLimited429s = 0;
  private readonly perChat = new Map<number, number>();
  private readonly window = new SecondWindow();
  private readonly limit: number;
  private accepted = 0;
  private firstAt = Number.NaN;
  private lastAt = Number.NaN;
  private busiestSecond = 0;

  constructor(rateLimit?: RateLimit) {
    this.limit = rateLimit ? rateLimit.perSecond * (1 + (rateLimit.slack ?? 0)) : 0;
  }

  /** Throws 429 (retry_after 1) if one more send would exceed the rate within the last second. */
  admit(now: number): void {
    if (this.limit > 0 && this.window.size(now) + 1 > this.limit) {
      this.rateLimited429s++;
      throw new ApiError(429, "Too Many Requests: retry after 1", { retry_after: 1 });
    }
  }

  /** Counts an accepted send to `chatId`; answers how many that chat has had, this one included. */
  count(chatId: number, now: number): number {
    this.busiestSecond = Math.max(this.busiestSecond, this.window.size(now) + 1);
    this.window.push(now);
    this.accepted++;
    if (Number.isNaN(this.firstAt)) this.firstAt = now;
    this.lastAt = now;
    const count = (this.perChat.get(chatId) ?? 0) + 1;
    this.perChat.set(chatId, count);
    return count;
  }

  report(): SendReport {
    return {
      accepted: this.accepted,
      perChatCounts: [...this.perChat.entries()],
      firstAt: this.firstAt,
      lastAt: this.lastAt,
      busiestSecond: this.busiestSecond,
      rateLimited429s: this.rateLimited429s,
    };
  }
}
