import type { ChatSettings } from "../domain/chat.ts";
import type { Outcome, SettleEntry } from "../store/delivery-ledger.ts";
import { LedgerBatch } from "../store/ledger-batch.ts";
import { type AcquireOptions, LockLost, SendingStopped } from "../store/rate-limiter.ts";
import { type AlertContext, ChatAlert } from "./chat-alert.ts";
import type { BatchRun, DeliverDeps } from "./deliver-deps.ts";
import { DeliveryCache } from "./delivery-cache.ts";
import { forEachLimit } from "./for-each-limit.ts";
import { pinsBreaking } from "./pin-breaking.ts";
import { pinJobId } from "./queues.ts";
import { alertSender } from "./send-alert.ts";

/** One delivery batch, as its job holds it. */
export interface DeliverBatch {
  seq: number;
  chatIds: readonly number[];
  /** Chats whose alert goes without a sound. */
  silent?: readonly number[] | undefined;
  /** The batch is on its last attempt: nothing will retry it. */
  lastTry: boolean;
  /** The job's lock fencing its sends, and its priority. */
  slots: Omit<AcquireOptions, "missed">;
}

/**
 * How a batch ended: every chat has its outcome ("done"), another worker took it over after a
 * stall ("lock-lost"), the process is stopping and leaves the rest to the next worker
 * ("handed-back"), or there was nothing to send: the article is gone or past its ledger ("gone").
 */
export type BatchEnd = "done" | "lock-lost" | "handed-back" | "gone";

/** A batch under way, with the outcomes it recorded. */
interface RunState extends BatchRun {
  /** Every outcome recorded for the batch: it ends once they are all in the ledger. */
  outcomes: Promise<unknown>[];
  /** The same outcomes, to record again if Redis failed over meanwhile. */
  settled: SettleEntry[];
}

/**
 * Sends one article's alert to batches of chats. The ledger is read first, in one call, and the
 * outcomes are written in groups (LedgerBatch) as the sends end, so a retried batch skips every
 * chat that already has an outcome, and a crash repeats at most the sends not recorded yet.
 */
export class Deliverer {
  private readonly ledger: LedgerBatch;
  private readonly ctx: AlertContext;

  constructor(private readonly deps: DeliverDeps) {
    this.ledger = new LedgerBatch(deps.deliveries, () => deps.now().toISO() ?? "");
    this.ctx = {
      deps,
      cache: new DeliveryCache(deps),
      alerts: alertSender({ ...deps, uploadClaimMs: deps.pictureUploadMs }),
    };
  }

  async deliver(batch: DeliverBatch): Promise<BatchEnd> {
    const { seq, chatIds } = batch;
    const { cache } = this.ctx;
    const ctl = await cache.control(seq);
    const item = await cache.article(seq, ctl.revision);
    if (!item) {
      this.deps.logger.warn({ seq }, "delivery for an article that is gone");
      return "gone";
    }
    if (ctl.expired) {
      // Settling would recreate figures that expired; sending could repeat alerts the ledger forgot.
      this.deps.logger.warn(
        { seq, chats: chatIds.length },
        "delivery batch dropped: it came after the 48 h ledger",
      );
      return "gone";
    }
    const run: RunState = {
      seq,
      item,
      lastTry: batch.lastTry,
      slots: batch.slots,
      silent: new Set(batch.silent ?? []),
      outcomes: [],
      settled: [],
      lockLost: false,
    };
    const connections = this.deps.connections?.();
    let handedBack = false;
    try {
      handedBack = await this.sendAll(run, chatIds, ctl.stopped);
    } finally {
      await this.flush(run, connections);
    }
    if (run.lockLost) return "lock-lost";
    return handedBack ? "handed-back" : "done";
  }

  /** Sends to every chat of the batch without an outcome yet; true when the process stopped first. */
  private async sendAll(run: RunState, chatIds: readonly number[], cancelled: boolean): Promise<boolean> {
    const entries = await this.deps.deliveries.ledgerEntries(run.seq, [...chatIds]);
    // A chat already reached under its old id is counted here, without a second alert.
    for (const [chatId, value] of entries) {
      if (value === "=") this.settle(run, chatId, { kind: "skipped", reason: "moved" });
    }
    // "~": a group send a crash interrupted; it goes again (at-least-once).
    const pending = chatIds.filter((id) => !entries.has(id) || entries.get(id) === "~");
    if (pending.length === 0) return false;
    if (cancelled) {
      for (const chatId of pending) this.settle(run, chatId, { kind: "skipped", reason: "cancelled" });
      return false;
    }
    const settings = await this.deps.chats.getMany(pending);
    let handedBack = false;
    await forEachLimit(pending, this.deps.concurrency, async (chatId) => {
      try {
        await this.deliverOne(run, chatId, settings.get(chatId));
      } catch (error) {
        if (error instanceof LockLost) run.lockLost = true;
        else if (error instanceof SendingStopped) handedBack = true;
        else throw error;
      }
    });
    return handedBack;
  }

  private async deliverOne(run: RunState, chatId: number, stored: ChatSettings | undefined) {
    const chat = stored ?? (await this.forwarded(run.seq, chatId));
    if (!chat?.active) return this.settle(run, chatId, { kind: "skipped", reason: "inactive" });
    const outcome = await new ChatAlert(this.ctx, run, chatId, chat).send();
    if (outcome) this.settle(run, chatId, outcome);
    if (outcome?.kind === "sent" && run.item.breaking && pinsBreaking(chat))
      await this.queuePin(run, outcome);
  }

  /** The pin goes in a job of its own: it waits for the chat's pace, and its failures never touch the batch. */
  private async queuePin(run: RunState, sent: { chatId: number; messageId: number }): Promise<void> {
    const { seq } = run;
    try {
      await this.deps.pinQueue?.add(
        "pin",
        { seq, chatId: sent.chatId, messageId: sent.messageId },
        { jobId: pinJobId(seq, sent.chatId) },
      );
    } catch (err) {
      this.deps.logger.warn({ seq, err }, "could not queue the pin of a breaking alert");
    }
  }

  /**
   * Settings for a chat queued before it moved are gone; its alert goes to the new id, once:
   * the new id is noted first, so this article's fan-out does not queue it as well.
   */
  private async forwarded(seq: number, chatId: number): Promise<ChatSettings | undefined> {
    const to = await this.deps.chats.movedTo(chatId);
    if (to === undefined) return undefined;
    await this.deps.deliveries.noteMovedChat(seq, to);
    return this.deps.chats.get(to);
  }

  /** Queues a chat's outcome for the ledger; the batch waits for it before it ends. */
  private settle(run: RunState, chatId: number, outcome: Outcome): void {
    const recorded = this.ledger.settle(run.seq, chatId, outcome).then((first) => {
      if (first) this.deps.events?.onOutcome?.(outcome);
    });
    // Awaited with the rest of the batch's outcomes; a failure fails the batch there.
    recorded.catch(() => undefined);
    run.outcomes.push(recorded);
    run.settled.push({ seq: run.seq, chatId, outcome });
  }

  /** Every outcome of the batch is in the ledger before it ends, however it ends. */
  private async flush(run: RunState, connections: number | undefined): Promise<void> {
    await this.ledger.flush();
    await Promise.all(run.outcomes);
    if (connections !== this.deps.connections?.() && run.settled.length > 0) {
      // The connection was made anew during the batch, perhaps to a replica promoted after a
      // failover, which may lack the newest outcomes the old master had confirmed. Recorded
      // again, each missing one is counted now (the others are left as they are), so the
      // article still finishes and its corrections and retractions still reach those chats.
      await this.deps.deliveries.settleMany(run.settled, this.deps.now().toISO() ?? "");
    }
  }
}
