import { type Job, Worker } from "bullmq";
import type { Api } from "grammy";
import type { Redis } from "ioredis";
import { DateTime } from "luxon";
import type { Config } from "../src/config.ts";
import { digestWords } from "../src/delivery/digest-render.ts";
import type { RevisionDeps } from "../src/delivery/ledger-walk.ts";
import {
  createQueues,
  DELIVER_BATCH,
  DELIVER_QUEUE,
  type DeliverJob,
  DIGEST_QUEUE,
  DIGEST_TICK_SCHEDULER,
  type DigestJob,
  FANOUT_QUEUE,
  type FanoutJob,
  FEED_QUEUE,
  type FeedJob,
  type LinksReportJob,
  REVISION_QUEUE,
  type RevisionJob,
  SCHEDULED_QUEUE,
  type ScheduledJob,
  type SendDigestJob,
  STATUS_QUEUE,
  type StatusJob,
} from "../src/delivery/queues.ts";
import { requeueScheduled } from "../src/delivery/scheduled-jobs.ts";
import type { Language } from "../src/domain/language.ts";
import { loadFeedsFile } from "../src/feeds/feeds-file.ts";
import type { Logger } from "../src/logger.ts";
import type { Metrics } from "../src/metrics.ts";
import { ArticleStore } from "../src/store/article-store.ts";
import { ArticleTexts } from "../src/store/article-texts.ts";
import { AuditStore } from "../src/store/audit-store.ts";
import { CatalogStore } from "../src/store/catalog-store.ts";
import { ChatStore } from "../src/store/chat-store.ts";
import { DeliveryErrorLog } from "../src/store/delivery-errors.ts";
import { DigestLedger } from "../src/store/digest-ledger.ts";
import { FeedStore } from "../src/store/feed-store.ts";
import { HeldStore } from "../src/store/held-store.ts";
import { type RedisKeys, redisKeys } from "../src/store/keys.ts";
import { MirrorStore } from "../src/store/mirror-store.ts";
import { RateLimiter } from "../src/store/rate-limiter.ts";
import { countConnections, createRedis } from "../src/store/redis.ts";
import { ScheduledPushStore } from "../src/store/scheduled-pushes.ts";
import { SubscriptionStore } from "../src/store/subscription-store.ts";
import { botUsername } from "../src/telegram/bot-username.ts";
import { createApi } from "../src/telegram/create-api.ts";
import { createI18n } from "../src/telegram/i18n.ts";
import { correctProcessor } from "./correct-article.ts";
import { type DeliveryEvents, deliverProcessor } from "./deliver.ts";
import { digestTickProcessor } from "./digest-tick.ts";
import { fanoutProcessor } from "./fan-out.ts";
import { syncFeedSchedulers } from "./feed-schedulers.ts";
import { linksReportProcessor } from "./links-report.ts";
import { pollFeedProcessor } from "./poll-feed.ts";
import { publishScheduledProcessor } from "./publish-scheduled.ts";
import { retractProcessor } from "./retract-article.ts";
import { sendDigestProcessor } from "./send-digest.ts";
import { statusProcessor } from "./update-status.ts";

interface WorkerRow<T> {
  /** How logs name the worker. */
  name: string;
  queue: string;
  processor: (job: Job<T>, token?: string) => Promise<unknown>;
  concurrency: number;
  /** False for jobs that hold a lock of their own and must not be taken over after JOB_LOCK_SECONDS. */
  locked?: boolean;
}

interface WorkerBase {
  connection: Redis;
  prefix: string;
  lock: { lockDuration: number; stalledInterval: number; maxStalledCount: number };
  logger: Logger;
}

/** A BullMQ worker for one row of the table, with the listeners every worker needs. */
function createWorker<T>(base: WorkerBase, row: WorkerRow<T>): Worker<T> {
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
 * Editors' scheduled pushes: the worker that publishes each at its time, after every kept push
 * has been given back a job it may have lost (see requeueScheduled).
 */
async function scheduledWorker(
  base: WorkerBase,
  parts: {
    config: Config;
    redis: Redis;
    keys: RedisKeys;
    queues: ReturnType<typeof createQueues>;
    api: Api;
    translate: (lang: Language) => (key: string, vars?: Record<string, string | number>) => string;
    now: () => DateTime;
  },
): Promise<Worker<ScheduledJob>> {
  const { config, redis, keys, queues, now } = parts;
  queues.scheduled.on("error", (err) => base.logger.warn({ err: err.message }, "scheduled queue error"));
  const scheduled = new ScheduledPushStore(redis, keys);
  const articles = new ArticleStore(redis, keys);
  await requeueScheduled(queues.scheduled, scheduled, now().toMillis());
  return createWorker<ScheduledJob>(base, {
    name: "scheduled",
    queue: SCHEDULED_QUEUE,
    concurrency: 2,
    processor: publishScheduledProcessor({
      scheduled,
      publish: {
        catalog: new CatalogStore(redis, keys),
        articles,
        texts: new ArticleTexts(redis, keys, config.articleTextDays),
        queues,
      },
      subscriptions: new SubscriptionStore(redis, keys),
      audit: new AuditStore(redis, keys),
      status: queues.status,
      api: parts.api,
      limiter: new RateLimiter(redis, keys, { perSecond: config.sendRate }),
      translate: parts.translate,
      sendRate: config.sendRate,
      logger: base.logger,
      now,
    }),
  });
}

export interface RunningWorkers {
  close(): Promise<void>;
}

export interface WorkerTuning {
  /** Delivery batches processed at once by this process. */
  deliverConcurrency: number;
  /** Sends in flight at once within a batch. */
  sendConcurrency: number;
  fanoutConcurrency: number;
  /** The global send rate; 0 lifts it (benchmarks only). */
  sendRate: number;
}

/**
 * Node's flags for a process that runs only the workers (the compose file's `worker` service, and
 * the bench's worker). Uncapped, V8 lets the old generation grow to about three times the live
 * heap before it collects, so the worker's RSS sat at 230-280 MB over a live heap of 40-60 MB;
 * capped, it stays about 140 MB. A worker holds only jobs in hand, so 128 MB is twice what it
 * needs. The bot keeps Node's defaults: an import or a dialog can need more.
 */
export const WORKER_NODE_OPTIONS = "--max-semi-space-size=8 --max-old-space-size=128";

export function defaultTuning(config: Pick<Config, "sendRate">): WorkerTuning {
  // Sends in flight: a quarter second of the rate, which covers Telegram's answer time (tens of
  // ms) plus the wait for a slot; more only hold memory while they wait.
  const inFlight = Math.max(8, Math.min(250, Math.ceil(config.sendRate / 4)));
  const sendConcurrency = Math.min(25, inFlight);
  return {
    // At least two batches at once, so a breaking batch never waits for a whole regular one.
    deliverConcurrency: Math.max(2, Math.ceil(inFlight / sendConcurrency)),
    sendConcurrency,
    fanoutConcurrency: 4,
    sendRate: config.sendRate,
  };
}

/**
 * Opens the keep-alive connections a broadcast will use before the first one starts: cold
 * connections open at the first sends, delay them unevenly, and the delayed ones then arrive
 * in a bunch that can top the rate (measured by the bench: up to +10 % in the first second).
 */
async function warmConnections(api: Api, connections: number, logger: Logger): Promise<void> {
  const results = await Promise.allSettled(Array.from({ length: connections }, () => api.getMe()));
  const failed = results.filter((r) => r.status === "rejected").length;
  if (failed > 0)
    logger.warn({ failed, connections }, "could not open every connection to the Bot API ahead of time");
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

/** Starts the fan-out and delivery workers of one process. */
export async function startWorkers(
  config: Config,
  logger: Logger,
  options: {
    tuning?: WorkerTuning;
    metrics?: Metrics;
    /** The workers' clock (tests move it to a digest time); default the real one. */
    now?: () => DateTime;
    /** How often the digest tick looks for due digests (ms). */
    digestTickMs?: number;
  } = {},
): Promise<RunningWorkers> {
  // A bad feeds file stops the start here, before anything connects.
  const feeds = config.feedsFile ? await loadFeedsFile(config.feedsFile) : undefined;
  const tuning = options.tuning ?? defaultTuning(config);
  const metrics = options.metrics;
  const events: DeliveryEvents | undefined = metrics && {
    onSent: (seconds) => metrics.sendSeconds.observe(seconds),
    onRateLimited: () => metrics.rateLimited.inc(),
    onOutcome: (outcome) => {
      if (outcome.kind === "sent") metrics.alertsSent.inc();
      else if (outcome.kind === "failed") metrics.alertsFailed.inc({ reason: outcome.reason });
      else metrics.alertsSkipped.inc({ reason: outcome.reason });
    },
  };
  let stopping = false;
  const keys = redisKeys(config.redisPrefix);
  // Workers wait through Redis outages instead of failing (BullMQ requires this for workers).
  const redis = createRedis(config.redis, "worker");
  redis.on("error", (err) => logger.warn({ err: err.message }, "worker redis connection problem"));
  const queues = createQueues(redis, keys.bullPrefix);
  for (const queue of [
    queues.fanout,
    queues.deliver,
    queues.feeds,
    queues.status,
    queues.revisions,
    queues.digests,
  ])
    queue.on("error", (err) => logger.warn({ err: err.message, queue: queue.name }, "queue error"));
  // A separate connection for our own reads and writes: auto-pipelining packs the many small
  // commands of concurrent sends into few writes, which BullMQ's own connection should not do.
  const storeRedis = createRedis(config.redis, "worker", { enableAutoPipelining: true });
  storeRedis.on("error", (err) => logger.warn({ err: err.message }, "worker redis connection problem"));
  const storeConnections = countConnections(storeRedis);
  const stores = {
    articles: new ArticleStore(storeRedis, keys),
    chats: new ChatStore(storeRedis, keys),
    subscriptions: new SubscriptionStore(storeRedis, keys),
    catalog: new CatalogStore(storeRedis, keys),
  };
  const texts = new ArticleTexts(storeRedis, keys, config.articleTextDays);
  const mirrors = new MirrorStore(storeRedis, keys);
  const i18n = createI18n(config.defaultLanguage);
  const now = options.now ?? (() => DateTime.utc());
  const lock = {
    lockDuration: config.jobLockSeconds * 1000,
    stalledInterval: config.jobLockSeconds * 1000,
    maxStalledCount: 10,
  };

  const api = createApi(config, config.sendTimeoutSeconds);
  const username = botUsername(api);
  // What every alert and every edit of one needs for its links and its "Read here" button.
  const links = {
    readHereWord: (lang: Language) => i18n.t(lang, "read-here"),
    botUsername: username,
    mirrors,
  };
  // One limiter for alerts, edits and deletions: together they keep to SEND_RATE.
  const limiter = new RateLimiter(storeRedis, keys, { perSecond: tuning.sendRate });
  await warmConnections(api, tuning.deliverConcurrency * tuning.sendConcurrency, logger);

  const base = { connection: redis, prefix: keys.bullPrefix, lock, logger };
  const translate = (lang: "ru" | "en") => (key: string, vars?: Record<string, string | number>) =>
    i18n.t(lang, key, vars);
  const revisionDeps: RevisionDeps = {
    api,
    articles: stores.articles,
    chats: stores.chats,
    limiter,
    label: config.label,
    readWord: (lang) => i18n.t(lang, "read"),
    ...links,
    digestLinks: async () => ({ mirrors: await mirrors.all(), username: await username() }),
    translate,
    linkPreviews: config.linkPreviews,
    concurrency: tuning.sendConcurrency,
    logger,
    now,
    stopping: () => stopping,
    digests: new DigestLedger(storeRedis, keys),
    digestWords: (lang) => digestWords((l, key, vars) => i18n.t(l, key, vars), lang),
  };
  const correct = correctProcessor({
    ...revisionDeps,
    defaultReader: { lang: config.defaultLanguage, timeZone: config.defaultTimeZone },
  });
  const retract = retractProcessor(revisionDeps);
  const linksReport = linksReportProcessor({ api, articles: stores.articles, translate, logger, now });

  // Readers' digests: held articles (quiet hours, digest mode, mute) and the digests in the ledger.
  const held = new HeldStore(storeRedis, keys);
  const digestTick = digestTickProcessor({ held, queues, now, logger });
  const sendDigest = sendDigestProcessor({
    ...stores,
    api,
    held,
    ledger: new DigestLedger(storeRedis, keys),
    limiter,
    label: config.label,
    words: (lang) => digestWords((l, key, vars) => i18n.t(l, key, vars), lang),
    links: async () => ({ mirrors: await mirrors.current(), username: await username() }),
    logger,
    now,
    errors: new DeliveryErrorLog(storeRedis, keys),
    stopping: () => stopping,
  });
  // One timer for every chat's digest: a job scheduler, updated in place at every start.
  await queues.digests.upsertJobScheduler(
    DIGEST_TICK_SCHEDULER,
    { every: options.digestTickMs ?? 5000 },
    { name: "digest-tick", data: {} },
  );

  const maxBacklog = Math.max(8, tuning.deliverConcurrency * 2);
  // One row per queue this process works on: its processor and how many jobs it takes at once.
  const workers: Worker[] = [
    createWorker<FanoutJob>(base, {
      name: "fan-out",
      queue: FANOUT_QUEUE,
      concurrency: tuning.fanoutConcurrency,
      processor: fanoutProcessor({
        ...stores,
        held,
        queues,
        logger,
        now,
        maxBacklog,
        backlogPauseMs: backlogPause(maxBacklog, tuning.sendRate),
        ...(metrics
          ? {
              onFinished: (seconds: number) => metrics.fanoutSeconds.observe(seconds),
              onRouted: (reason: string, chats: number) => metrics.alertsSkipped.inc({ reason }, chats),
            }
          : {}),
      }),
    }),
    createWorker<DeliverJob>(base, {
      name: "delivery",
      queue: DELIVER_QUEUE,
      concurrency: tuning.deliverConcurrency,
      processor: deliverProcessor({
        ...stores,
        api,
        limiter,
        errors: new DeliveryErrorLog(storeRedis, keys),
        label: config.label,
        readWord: (lang) => i18n.t(lang, "read"),
        ...links,
        paidBroadcast: config.paidBroadcast,
        linkPreviews: config.linkPreviews,
        // Telegram fetches the picture during the send: as long as a send may take, and a margin.
        pictureUploadMs: (config.sendTimeoutSeconds + 5) * 1000,
        concurrency: tuning.sendConcurrency,
        logger,
        now,
        ...(events ? { events } : {}),
        stopping: () => stopping,
        connections: storeConnections,
      }),
    }),
    // The newsroom: live status messages, corrections and retractions.
    createWorker<StatusJob>(base, {
      name: "status",
      queue: STATUS_QUEUE,
      concurrency: 8,
      processor: statusProcessor({
        api,
        articles: stores.articles,
        limiter,
        translate,
        sendRate: config.sendRate,
        logger,
        now,
      }),
    }),
    createWorker<RevisionJob | LinksReportJob>(base, {
      name: "revision",
      queue: REVISION_QUEUE,
      concurrency: 2,
      processor: (job, token) => {
        if (job.name === "links-report") return linksReport(job as Job<LinksReportJob>, token);
        const walk = job as Job<RevisionJob>;
        return job.name === "retract" ? retract(walk, token) : correct(walk, token);
      },
    }),
    createWorker<DigestJob>(base, {
      name: "digest",
      queue: DIGEST_QUEUE,
      // Each digest waits for its sending slots like an alert: enough at once to fill the rate.
      concurrency: Math.max(8, tuning.deliverConcurrency * tuning.sendConcurrency),
      processor: (job, token) =>
        job.name === "digest-tick" ? digestTick() : sendDigest(job as Job<SendDigestJob>, token),
    }),
  ];
  workers.push(await scheduledWorker(base, { config, redis: storeRedis, keys, queues, api, translate, now }));
  // Feed polling (FEEDS_FILE): one scheduler per feed, polled by jobs/poll-feed.ts.
  if (feeds) {
    const schedulers = await syncFeedSchedulers(queues.feeds, feeds);
    workers.push(
      createWorker<FeedJob>(base, {
        name: "feed",
        queue: FEED_QUEUE,
        concurrency: 2,
        // A poll holds the feed's own lock; fetch and parse problems are handled inside it.
        locked: false,
        processor: pollFeedProcessor({
          feeds: new Map(feeds.map((f) => [f.id, f])),
          store: new FeedStore(storeRedis, keys),
          catalog: stores.catalog,
          articles: stores.articles,
          texts,
          queues,
          api,
          adminIds: config.adminIds,
          translate: (key, vars) => i18n.t(config.defaultLanguage, key, vars),
          logger,
          now,
          ...(metrics ? { metrics } : {}),
          fetch: { allowPrivate: config.feedsAllowPrivate },
        }),
      }),
    );
    logger.info({ feeds: feeds.length, removedSchedulers: schedulers.removed }, "feed polling started");
  }
  logger.info({ tuning }, "workers started");

  return {
    async close() {
      // Batches in hand finish their sends in flight and hand the rest back to the queue.
      stopping = true;
      await Promise.all(workers.map((worker) => worker.close()));
      await queues.close();
      redis.disconnect();
      storeRedis.disconnect();
    },
  };
}
