import type { DeliveryLedger, Outcome, SettleEntry } from "./delivery-ledger.ts";

/** Outcomes recorded together at most: the sends a crash may repeat are those not recorded yet. */
export const SETTLE_BATCH = 50;
/** How long an outcome waits for others before it is recorded anyway. */
export const SETTLE_DELAY_MS = 50;

interface Waiting extends SettleEntry {
  resolve(recorded: boolean): void;
  reject(error: unknown): void;
}

/**
 * The outcomes of one process's sends, recorded in the ledger in groups: one script call for up
 * to SETTLE_BATCH outcomes, or whatever came within SETTLE_DELAY_MS. The sends that Telegram took
 * but the ledger has not recorded (the ones a crash would repeat) are therefore at most the last
 * SETTLE_BATCH, or the last SETTLE_DELAY_MS, plus the call on its way.
 */
export class LedgerBatch {
  private waiting: Waiting[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly ledger: Pick<DeliveryLedger, "settleMany">,
    private readonly now: () => string,
    private readonly limits = { size: SETTLE_BATCH, delayMs: SETTLE_DELAY_MS },
  ) {}

  /** Resolves once recorded: true, or false when the chat had an outcome already. */
  settle(seq: number, chatId: number, outcome: Outcome): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      this.waiting.push({ seq, chatId, outcome, resolve, reject });
      if (this.waiting.length >= this.limits.size) this.send();
      else this.timer ??= setTimeout(() => this.send(), this.limits.delayMs);
    });
  }

  /** Records everything waiting now and waits for every call under way. */
  async flush(): Promise<void> {
    this.send();
    await Promise.allSettled([...this.inFlight]);
  }

  private send(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.waiting.length === 0) return;
    const group = this.waiting;
    this.waiting = [];
    const call = this.ledger.settleMany(group, this.now()).then(
      (recorded) => {
        for (const [i, entry] of group.entries()) entry.resolve(recorded[i] === true);
      },
      (error: unknown) => {
        for (const entry of group) entry.reject(error);
      },
    );
    this.inFlight.add(call);
    void call.finally(() => this.inFlight.delete(call));
  }
}
