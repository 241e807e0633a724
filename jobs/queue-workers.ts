import { type Job, Worker } from "bullmq";
import type { Api } from "grammy";
import type { Redis } from "ioredis";
import type { DateTime } from "luxon";
import type { Config } from "../src/config.ts";
import type { DeliveryEvents } from "../src/delivery/deliver-deps.ts";
import { digestWords } from "../src/delivery/digest-render.ts";
import type { RevisionDeps } from "../src/delivery/ledger-walk.ts";
import type { Pinner } from "../src/delivery/pin-breaking.ts";
import {
  DELIVER_BATCH,
  DELIVER_QUEUE,
  type DeliverJob,
  DIGEST_QUEUE,
  type DigestJob,
  FANOUT_QUEUE,
  type FanoutJob,
  FEED_QUEUE,
  type FeedJob,
  type LinksReportJob,
  type Queues,
  REVISION_QUEUE,
  type RevisionJob,
  type SendDigestJob,
  STATUS_QUEUE,
  type StatusJob,
} from "../src/delivery/queues.ts";
import type { FeedConfig } from "../src/domain/feed-config.ts";
import type { Language } from "../src/domain/language.ts";
import type { Logger } from "../src/logger.ts";
import type { Metrics } from "../src/metrics.ts";
import type { Stores } from "../src/store/create-stores.ts";
import type { RateLimiter } from "../src/store/rate-limiter.ts";
import type { createI18n } from "../src/telegram/i18n.ts";
import type { Translate } from "../src/telegram/status-card.ts";
import { correctProcessor } from "./correct-article.ts";
import { deliverProcessor } from "./deliver.ts";
import { digestTickProcessor } from "./digest-tick.ts";
import { fanoutProcessor } from "./fan-out.ts";
import { syncFeedSchedulers } from "./feed-schedulers.ts";
import { linksReportProcessor } from "./links-report.ts";
import { pollFeedProcessor } from "./poll-feed.ts";
import { retractProcessor } from "./retract-article.ts";
import { sendDigestProcessor } from "./send-digest.ts";
import { statusProcessor } from "./update-status.ts";

/*
 * One BullMQ worker per queue a worker process works on, each built from the process's
 * connections, stores and settings (WorkerContext) with its processor; started by startWorkers.
 */

interface WorkerRow<T> {
  /** How logs name the worker. */
  name: string;
  queue: string;
  processor: (job: Job<T>, token?: string) => Promise<unknown>;
  concurrency: number;
  /** False for jobs that hold a lock of their own and must not be taken over after JOB_LOCK_SECONDS. */
  locked?: boolean;
}

export interface WorkerBase {
  connection: Redis;
  prefix: string;
  lock: { lockDuration: number; stalledInterval: number; maxStalledCount: number };
  logger: Logger;
}

/** A BullMQ worker for one row of the table, with the listeners every worker needs. */
export function createWorker<T>(base: WorkerBase, row: WorkerRow<T>): Worker<T> {
  const worker = new Worker<T>(row.queue, row.processor, {
    connection: base.connection,
    prefix: base.prefix,
    concurrency: row.concurrency,
    ...(row.locked === false ? {} : base.lock),
  });
  worker.on("error", (err) => base.logger.warn({ err: err.message }, `${row.name} worker error`));
  worker.on("failed", (job, err) =>
    base.logger.warn(
      { jobId: job?.id, attempts: job?.attemptsMade, err: err.message },
      `${row.name} job failed`,
    ),
  );
  return worker;
}

/**
 * How long a fan-out waits while delivery's backlog is full: about the time a quarter of the
 * backlog takes to send at the global rate, between 100 ms and 1 s.
 */
export function backlogPause(maxBacklog: number, sendRate: number): number {
  if (sendRate <= 0) return 100;
  const quarterMs = ((maxBacklog / 4) * DELIVER_BATCH * 1000) / sendRate;
  return Math.round(Math.min(1000, Math.max(100, quarterMs)));
}

/** What the processors of one process are built from: its connections, stores and settings. */
export interface WorkerContext {
  config: Config;
  logger: Logger;
  /** How many jobs (and sends) each worker takes at once; the global send rate. */
  tuning: {
    deliverConcurrency: number;
    sendConcurrency: number;
    fanoutConcurrency: number;
    sendRate: number;
  };
  metrics: Metrics | undefined;
  now: () => DateTime;
  /** True once the process is shutting down. */
  stopping: () => boolean;
  base: WorkerBase;
  queues: Queues;
  api: Api;
  /** One limiter for alerts, edits and deletions: together they keep to SEND_RATE. */
  limiter: RateLimiter;
  i18n: ReturnType<typeof createI18n>;
  translate: (lang: Language) => Translate;
  username: () => Promise<string | undefined>;
  stores: Stores;
  /** How often the stores' Redis connection has (re)connected. */
  storeConnections: () => number;
  /** Pins and unpins of breaking news in the groups and channels that pin them. */
  pinner: Pinner;
}

/** What every alert and every edit of one needs for its links and its "Read here" button. */
function alertLinkDeps(ctx: WorkerContext) {
  return {
    readHereWord: (lang: Language) => ctx.i18n.t(lang, "read-here"),
    botUsername: ctx.username,
    mirrors: ctx.stores.mirrors,
  };
}

/** The delivery figures of /metrics, when the process keeps them. */
function deliveryEvents(metrics: Metrics | undefined): DeliveryEvents | undefined {
  return (
    metrics && {
      onSent: (seconds) => metrics.sendSeconds.observe(seconds),
      onRateLimited: () => metrics.rateLimited.inc(),
      onOutcome: (outcome) => {
        if (outcome.kind === "sent") metrics.alertsSent.inc();
        else if (outcome.kind === "failed") metrics.alertsFailed.inc({ reason: outcome.reason });
        else metrics.alertsSkipped.inc({ reason: outcome.reason });
      },
    }
  );
}

export function fanoutWorker(ctx: WorkerContext): Worker<FanoutJob> {
  const { tuning, metrics } = ctx;
  const maxBacklog = Math.max(8, tuning.deliverConcurrency * 2);
  return createWorker<FanoutJob>(ctx.base, {
    name: "fan-out",
    queue: FANOUT_QUEUE,
    concurrency: tuning.fanoutConcurrency,
    processor: fanoutProcessor({
      ...ctx.stores,
      held: ctx.stores.held,
      queues: ctx.queues,
      logger: ctx.logger,
      now: ctx.now,
      maxBacklog,
      backlogPauseMs: backlogPause(maxBacklog, tuning.sendRate),
      ...(metrics
        ? {
            onFinished: (seconds: number) => metrics.fanoutSeconds.observe(seconds),
            onRouted: (reason: string, chats: number) => metrics.alertsSkipped.inc({ reason }, chats),
          }
        : {}),
    }),
  });
}

export function deliveryWorker(ctx: WorkerContext): Worker<DeliverJob> {
  const { config, i18n } = ctx;
  const events = deliveryEvents(ctx.metrics);
  return createWorker<DeliverJob>(ctx.base, {
    name: "delivery",
    queue: DELIVER_QUEUE,
    concurrency: ctx.tuning.deliverConcurrency,
    processor: deliverProcessor({
      ...ctx.stores,
      api: ctx.api,
      limiter: ctx.limiter,
      errors: ctx.stores.errors,
      label: config.label,
      readWord: (lang) => i18n.t(lang, "read"),
      ...alertLinkDeps(ctx),
      paidBroadcast: config.paidBroadcast,
      linkPreviews: config.linkPreviews,
      // Telegram fetches the picture during the send: as long as a send may take, and a margin.
      pictureUploadMs: (config.sendTimeoutSeconds + 5) * 1000,
      concurrency: ctx.tuning.sendConcurrency,
      logger: ctx.logger,
      now: ctx.now,
      ...(events ? { events } : {}),
      stopping: ctx.stopping,
      connections: ctx.storeConnections,
      pinQueue: ctx.queues.pins,
    }),
  });
}

/** The newsroom's live status messages. */
export function statusWorker(ctx: WorkerContext): Worker<StatusJob> {
  return createWorker<StatusJob>(ctx.base, {
    name: "status",
    queue: STATUS_QUEUE,
    concurrency: 8,
    processor: statusProcessor({
      api: ctx.api,
      articles: ctx.stores.articles,
      limiter: ctx.limiter,
      translate: ctx.translate,
      sendRate: ctx.config.sendRate,
      logger: ctx.logger,
      now: ctx.now,
    }),
  });
}

/** Corrections and retractions (ledger walks), and the links report. */
export function revisionWorker(ctx: WorkerContext): Worker<RevisionJob | LinksReportJob> {
  const { config, i18n, api, username, stores } = ctx;
  const { mirrors } = stores;
  const revisionDeps: RevisionDeps = {
    api,
    articles: stores.articles,
    deliveries: stores.deliveries,
    revisions: stores.revisions,
    chats: stores.chats,
    limiter: ctx.limiter,
    label: config.label,
    readWord: (lang) => i18n.t(lang, "read"),
    ...alertLinkDeps(ctx),
    digestLinks: async () => ({ mirrors: await mirrors.all(), username: await username() }),
    translate: ctx.translate,
    linkPreviews: config.linkPreviews,
    concurrency: ctx.tuning.sendConcurrency,
    logger: ctx.logger,
    now: ctx.now,
    stopping: ctx.stopping,
    digests: ctx.stores.digests,
    digestWords: (lang) => digestWords((l, key, vars) => i18n.t(l, key, vars), lang),
    pinner: ctx.pinner,
  };
  const correct = correctProcessor({
    ...revisionDeps,
    defaultReader: { lang: config.defaultLanguage, timeZone: config.defaultTimeZone },
  });
  const retract = retractProcessor(revisionDeps);
  const linksReport = linksReportProcessor({
    api,
    revisions: stores.revisions,
    translate: ctx.translate,
    logger: ctx.logger,
    now: ctx.now,
  });
  return createWorker<RevisionJob | LinksReportJob>(ctx.base, {
    name: "revision",
    queue: REVISION_QUEUE,
    concurrency: 2,
    processor: (job, token) => {
      if (job.name === "links-report") return linksReport(job as Job<LinksReportJob>, token);
      const walk = job as Job<RevisionJob>;
      return job.name === "retract" ? retract(walk, token) : correct(walk, token);
    },
  });
}

/** Readers' digests: held articles (quiet hours, digest mode, mute) and the digests in the ledger. */
export function digestWorker(ctx: WorkerContext): Worker<DigestJob> {
  const { i18n, username, now, logger } = ctx;
  const { mirrors, held } = ctx.stores;
  const digestTick = digestTickProcessor({ held, queues: ctx.queues, now, logger });
  const sendDigest = sendDigestProcessor({
    ...ctx.stores,
    api: ctx.api,
    held,
    ledger: ctx.stores.digests,
    limiter: ctx.limiter,
    label: ctx.config.label,
    words: (lang) => digestWords((l, key, vars) => i18n.t(l, key, vars), lang),
    links: async () => ({ mirrors: await mirrors.current(), username: await username() }),
    logger,
    now,
    errors: ctx.stores.errors,
    stopping: ctx.stopping,
  });
  return createWorker<DigestJob>(ctx.base, {
    name: "digest",
    queue: DIGEST_QUEUE,
    // Each digest waits for its sending slots like an alert: enough at once to fill the rate.
    concurrency: Math.max(8, ctx.tuning.deliverConcurrency * ctx.tuning.sendConcurrency),
    processor: (job, token) =>
      job.name === "digest-tick" ? digestTick() : sendDigest(job as Job<SendDigestJob>, token),
  });
}

/** Feed polling (FEEDS_FILE): one scheduler per feed, polled by jobs/poll-feed.ts. */
export async function feedWorker(ctx: WorkerContext, feeds: FeedConfig[]): Promise<Worker<FeedJob>> {
  const { config, i18n, stores, logger, metrics } = ctx;
  const schedulers = await syncFeedSchedulers(ctx.queues.feeds, feeds);
  const worker = createWorker<FeedJob>(ctx.base, {
    name: "feed",
    queue: FEED_QUEUE,
    concurrency: 2,
    // A poll holds the feed's own lock; fetch and parse problems are handled inside it.
    locked: false,
    processor: pollFeedProcessor({
      feeds: new Map(feeds.map((f) => [f.id, f])),
      store: ctx.stores.feeds,
      catalog: stores.catalog,
      articles: stores.articles,
      texts: ctx.stores.texts,
      queues: ctx.queues,
      api: ctx.api,
      adminIds: config.adminIds,
      translate: (key, vars) => i18n.t(config.defaultLanguage, key, vars),
      logger,
      now: ctx.now,
      ...(metrics ? { metrics } : {}),
      fetch: { allowPrivate: config.feedsAllowPrivate },
    }),
  });
  logger.info({ feeds: feeds.length, removedSchedulers: schedulers.removed }, "feed polling started");
  return worker;
}
