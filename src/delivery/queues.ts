import { createHash } from "node:crypto";
import { type ConnectionOptions, Queue } from "bullmq";
import type { Language } from "../domain/catalog.ts";
import { LEDGER_TTL_MS } from "../store/delivery-ledger.ts";

/** Every queue, job name and payload the project uses, in one place. */
export const FANOUT_QUEUE = "fanout";
export const DELIVER_QUEUE = "deliver";

export const FEED_QUEUE = "feeds";
/** Live status messages of the newsroom: one job per message, re-run every few seconds until delivery ends. */
export const STATUS_QUEUE = "status";
/** Corrections and retractions: one job walks one article's ledger. */
export const REVISION_QUEUE = "revisions";
/** Readers' digests: a scheduled tick finds the chats whose held articles are due; one job sends one chat's digest. */
export const DIGEST_QUEUE = "digests";
/** Editors' scheduled pushes: one delayed job per push wakes a worker at its time to publish it. */
export const SCHEDULED_QUEUE = "scheduled";
/** Pinned breaking news: a pin after a breaking alert to a chat that pins them, and its unpin PIN_HOURS later. */
export const PIN_QUEUE = "pins";

/** Where the newsroom's answer goes: the editor's chat, in the editor's language. */
export interface EditorRef {
  chatId: number;
  userId: number;
  lang: Language;
}

export interface StatusJob {
  seq: number;
  chatId: number;
  messageId: number;
  lang: Language;
  /** The reach counted when the editor pressed Send; the total until fan-out has found everyone. */
  expected: number;
  /** The text last shown, so an unchanged status is not edited again. */
  shown?: string;
}

export interface RevisionJob {
  seq: number;
  revision: number;
  editor: EditorRef;
  /** One of several walks whose editor gets one report for all (LinksReportJob), not one each. */
  quiet?: boolean;
}

/**
 * After a mirror change: the walks that edit the alerts of the last 48 h (quiet corrections), and
 * the admin who gets one report once they are all done.
 */
export interface LinksReportJob {
  walks: { seq: number; revision: number }[];
  editor: EditorRef;
}

export type StatusJobName = "status";
export type RevisionJobName = "correct" | "retract" | "links-report";

export interface FeedJob {
  feedId: string;
}

export type FeedJobName = "poll-feed";

export interface FanoutJob {
  seq: number;
}

export interface DeliverJob {
  seq: number;
  chatIds: number[];
  /**
   * Chats (among chatIds) whose alert goes without a sound (`disable_notification`): readers in
   * their quiet hours get breaking news silently.
   */
  silent?: number[];
}

/** The tick reads the due set; its data is empty. */
export type DigestTickJob = Record<string, never>;
export interface SendDigestJob {
  chatId: number;
  /** When the digest was due (ms): with the chat id, the job's id. */
  dueMs: number;
}
export type DigestJob = DigestTickJob | SendDigestJob;
export type DigestJobName = "digest-tick" | "send-digest";

/** The push is read from its store by id: its time and text there win over anything the job carried. */
export interface ScheduledJob {
  id: string;
}
export type ScheduledJobName = "publish-scheduled";
/** One breaking alert in one chat: "pin" it (after its send), or "unpin" it once PIN_HOURS are over. */
export interface PinJob {
  seq: number;
  chatId: number;
  messageId: number;
}
export type PinJobName = "pin" | "unpin";

export type FanoutJobName = "fanout";
export type DeliverJobName = "deliver";

/** Lower runs first in BullMQ: breaking news overtakes everything already waiting. */
export const PRIORITY = { breaking: 1, regular: 10 } as const;

/** Recipients per delivery job: small enough that a breaking batch never waits long behind one. */
export const DELIVER_BATCH = 100;

// BullMQ keys separate their parts with ':', so our ids never contain one.
export const fanoutJobId = (seq: number) => `fanout-${seq}`;
/**
 * A batch's id names its content, so a fan-out step re-run after a crash adds exactly the
 * batches it did not add before, even if subscribers changed in between.
 */
export const deliverJobId = (seq: number, firstShard: number, chatIds: readonly number[]) =>
  `deliver-${seq}-${firstShard}-${createHash("sha1").update(chatIds.join(",")).digest("hex").slice(0, 16)}`;

export const feedSchedulerId = (feedId: string) => `feed-${feedId}`;
export const statusJobId = (seq: number, chatId: number, messageId: number) =>
  `status-${seq}-${chatId}-${messageId}`;
export const revisionJobId = (seq: number, revision: number) => `revision-${seq}-${revision}`;
export const linksReportJobId = (first: { seq: number; revision: number }) =>
  `links-report-${first.seq}-${first.revision}`;
export const DIGEST_TICK_SCHEDULER = "digest-tick";
export const digestJobId = (chatId: number, dueMs: number) => `digest-${chatId}-${Math.round(dueMs)}`;
/** One job per push, named by its article id (breaking ids have no ':'), so it is never queued twice. */
export const scheduledJobId = (id: string) => `scheduled-${id}`;
export const pinJobId = (seq: number, chatId: number) => `pin-${seq}-${chatId}`;
export const unpinJobId = (chatId: number, messageId: number) => `unpin-${chatId}-${messageId}`;

export interface Queues {
  fanout: Queue<FanoutJob, void, FanoutJobName>;
  deliver: Queue<DeliverJob, void, DeliverJobName>;
  feeds: Queue<FeedJob, void, FeedJobName>;
  status: Queue<StatusJob, void, StatusJobName>;
  revisions: Queue<RevisionJob | LinksReportJob, void, RevisionJobName>;
  digests: Queue<DigestJob, void, DigestJobName>;
  scheduled: Queue<ScheduledJob, void, ScheduledJobName>;
  pins: Queue<PinJob, void, PinJobName>;
  close(): Promise<void>;
}

/**
 * A failed fan-out, delivery or revision job only means something while the article's ledger
 * says who already got the alert: run again after that, it would alert those readers a second
 * time. So failed jobs go when the ledger goes (removed as later jobs fail).
 */
const KEEP_FAILED = { age: LEDGER_TTL_MS / 1000 };

export function createQueues(connection: ConnectionOptions, prefix: string): Queues {
  const fanout = new Queue<FanoutJob, void, FanoutJobName>(FANOUT_QUEUE, {
    connection,
    prefix,
    defaultJobOptions: {
      removeOnComplete: true,
      removeOnFail: KEEP_FAILED,
      attempts: 20,
      backoff: { type: "exponential", delay: 1000 },
    },
  });
  const deliver = new Queue<DeliverJob, void, DeliverJobName>(DELIVER_QUEUE, {
    connection,
    prefix,
    defaultJobOptions: {
      removeOnComplete: true,
      removeOnFail: KEEP_FAILED,
      attempts: 8,
      backoff: { type: "exponential", delay: 2000 },
    },
  });
  const feeds = new Queue<FeedJob, void, FeedJobName>(FEED_QUEUE, {
    connection,
    prefix,
    // A failed poll is retried by the next scheduled one, with the feed's own backoff.
    defaultJobOptions: { removeOnComplete: true, removeOnFail: { count: 100 }, attempts: 1 },
  });
  const status = new Queue<StatusJob, void, StatusJobName>(STATUS_QUEUE, {
    connection,
    prefix,
    // A status message that cannot be updated is not worth retrying for long: the next tap shows it anew.
    defaultJobOptions: {
      removeOnComplete: true,
      removeOnFail: { count: 100 },
      attempts: 5,
      backoff: { type: "exponential", delay: 3000 },
    },
  });
  // Revisions walk a ledger and digests resume from what they noted: both may be retried often.
  const walkOptions = {
    removeOnComplete: true,
    removeOnFail: KEEP_FAILED,
    attempts: 10,
    backoff: { type: "exponential", delay: 2000 },
  } as const;
  const revisions = new Queue<RevisionJob | LinksReportJob, void, RevisionJobName>(REVISION_QUEUE, {
    connection,
    prefix,
    defaultJobOptions: walkOptions,
  });
  const digests = new Queue<DigestJob, void, DigestJobName>(DIGEST_QUEUE, {
    connection,
    prefix,
    // A digest in flight lives with its chat's held items (7 days); its job resumes it when retried.
    defaultJobOptions: walkOptions,
  });
  const scheduled = new Queue<ScheduledJob, void, ScheduledJobName>(SCHEDULED_QUEUE, {
    connection,
    prefix,
    // A publish that failed (Redis away) is tried again: the article id makes a second one a no-op.
    defaultJobOptions: {
      removeOnComplete: true,
      removeOnFail: { age: 7 * 24 * 3600 },
      attempts: 20,
      backoff: { type: "exponential", delay: 2000 },
    },
  });
  const pins = new Queue<PinJob, void, PinJobName>(PIN_QUEUE, {
    connection,
    prefix,
    // A pin that fails a few times is given up: the alert went, and the pin is a courtesy.
    defaultJobOptions: {
      removeOnComplete: true,
      removeOnFail: { count: 100 },
      attempts: 3,
      backoff: { type: "exponential", delay: 5000 },
    },
  });
  return {
    fanout,
    deliver,
    feeds,
    status,
    revisions,
    digests,
    scheduled,
    pins,
    async close() {
      await Promise.all([
        fanout.close(),
        deliver.close(),
        feeds.close(),
        status.close(),
        revisions.close(),
        digests.close(),
        scheduled.close(),
        pins.close(),
      ]);
    },
  };
}
