import { DateTime } from "luxon";

/** An article's delivery counters as the ledger keeps them. */
export interface DeliveryFigures {
  recipients: number;
  done: number;
  sent: number;
  failed: Record<string, number>;
  skipped: Record<string, number>;
  startedAt?: string;
  firstSentAt?: string;
  fanoutDoneAt?: string;
  finishedAt?: string;
  cancelledAt?: string;
  retractedAt?: string;
  /** Readers who opened the text with "Read here": a count, never who. */
  reads?: number;
}

export type DeliveryState = "queued" | "sending" | "finished" | "cancelled" | "retracted";

export interface DeliveryProgress {
  state: DeliveryState;
  sent: number;
  failed: number;
  /** Failure reasons, most frequent first. */
  failedBy: [reason: string, count: number][];
  /** Chats not reached because the delivery was cancelled. */
  cancelled: number;
  /** Chats whose readers' options hold the alert for their digest. */
  held: number;
  /** Chats whose readers' options leave this alert out (keyword filters, breaking news only, a mute that drops). */
  optedOut: number;
  /** Recipients still to go; while fan-out runs this counts the ones known so far. */
  remaining: number;
  total: number;
  /** Seconds until the last one, at the pace measured so far (or the configured rate at first). */
  etaSeconds: number | undefined;
  /** Seconds from the first send to now, or to the last outcome once finished. */
  elapsedSeconds: number;
  /** "Read here" readings of the article. */
  reads: number;
}

/** The skipped reasons the fan-out records when a reader's options leave an alert out. */
const OPTED_OUT = ["filtered", "breaking-only", "muted"] as const;

const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

/**
 * What the editor's status message shows. `expected` is the reach counted when the alert was
 * sent; it stands in for the total until fan-out has found every recipient.
 */
export function deliveryProgress(
  f: DeliveryFigures,
  now: DateTime,
  sendRate: number,
  expected = 0,
): DeliveryProgress {
  const failedBy = Object.entries(f.failed)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1]);
  const failed = sum(f.failed);
  const cancelled = f.skipped.cancelled ?? 0;
  const held = f.skipped.held ?? 0;
  const optedOut = OPTED_OUT.reduce((n, reason) => n + (f.skipped[reason] ?? 0), 0);
  const fanoutDone = f.fanoutDoneAt !== undefined;
  const total = fanoutDone ? f.recipients : Math.max(f.recipients, expected);
  const remaining = Math.max(0, total - f.done);
  const first = f.firstSentAt ? DateTime.fromISO(f.firstSentAt) : undefined;
  const end = f.finishedAt ? DateTime.fromISO(f.finishedAt) : now;
  const elapsedSeconds = first ? Math.max(0, end.diff(first).as("seconds")) : 0;
  const finished = f.finishedAt !== undefined || (fanoutDone && remaining === 0);
  let state: DeliveryState = f.startedAt === undefined && f.done === 0 ? "queued" : "sending";
  if (f.retractedAt) state = "retracted";
  else if (finished) state = f.cancelledAt ? "cancelled" : "finished";
  // Measured pace once a few seconds of sending tell it; the configured rate before that.
  const pace = elapsedSeconds >= 3 && f.done > 0 ? f.done / elapsedSeconds : sendRate;
  const etaSeconds = state === "sending" && pace > 0 ? Math.ceil(remaining / pace) : undefined;
  return {
    state,
    sent: f.sent,
    failed,
    failedBy,
    cancelled,
    held,
    optedOut,
    remaining,
    total,
    etaSeconds,
    elapsedSeconds,
    reads: f.reads ?? 0,
  };
}
