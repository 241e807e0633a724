import type { Worker } from "bullmq";
import type { Api } from "grammy";
import type { Redis } from "ioredis";
import { DateTime } from "luxon";
import type { Config } from "../src/config.ts";
import { Pinner } from "../src/delivery/pin-breaking.ts";
import { createQueues, DIGEST_TICK_SCHEDULER, type Queues } from "../src/delivery/queues.ts";
import { loadFeedsFile } from "../src/feeds/feeds-file.ts";
import type { Logger } from "../src/logger.ts";
import type { Metrics } from "../src/metrics.ts";
import { createStores } from "../src/store/create-stores.ts";
import { type RedisKeys, redisKeys } from "../src/store/keys.ts";
import { RateLimiter } from "../src/store/rate-limiter.ts";
import { countConnections, createRedis } from "../src/store/redis.ts";
import { botUsername } from "../src/telegram/bot-username.ts";
import { createApi } from "../src/telegram/create-api.ts";
import { createI18n } from "../src/telegram/i18n.ts";
import { digestWorker } from "./digest-worker.ts";
import { feedWorker } from "./feed-worker.ts";
import { pinWorker } from "./pin-worker.ts";
import { deliveryWorker, fanoutWorker, revisionWorker, statusWorker } from "./queue-workers.ts";
import { scheduledWorker } from "./scheduled-worker.ts";
import type { WorkerBase, WorkerContext } from "./worker-base.ts";

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
  const keys = redisKeys(config.redisPrefix);
  const { redis, storeRedis, storeConnections, queues } = connect(config, keys, logger);
  const stores = createStores(storeRedis, keys, config);
  const limiter = new RateLimiter(storeRedis, keys, { perSecond: tuning.sendRate });

  let stopping = false;
  const api = createApi(config, config.sendTimeoutSeconds);
  const i18n = createI18n(config.defaultLanguage);
  const ctx: WorkerContext = {
    config,
    logger,
    tuning,
    metrics: options.metrics,
    now: options.now ?? (() => DateTime.utc()),
    stopping: () => stopping,
    base: { connection: redis, prefix: keys.bullPrefix, lock: jobLock(config), logger },
    queues,
    api,
    limiter,
    i18n,
    translate: (lang) => (key, vars) => i18n.t(lang, key, vars),
    username: botUsername(api),
    stores,
    storeConnections,
    pinner: new Pinner({
      api,
      pins: stores.pins,
      chats: stores.chats,
      limiter,
      queue: queues.pins,
      pinHours: config.pinHours,
      translate: (lang, key, vars) => i18n.t(lang, key, vars),
      logger,
      stopping: () => stopping,
    }),
  };
  await warmConnections(api, tuning.deliverConcurrency * tuning.sendConcurrency, logger);
  // One timer for every chat's digest: a job scheduler, updated in place at every start.
  await queues.digests.upsertJobScheduler(
    DIGEST_TICK_SCHEDULER,
    { every: options.digestTickMs ?? 5000 },
    { name: "digest-tick", data: {} },
  );
  // One worker per queue this process works on.
  const workers: Worker[] = [
    fanoutWorker(ctx),
    deliveryWorker(ctx),
    statusWorker(ctx),
    revisionWorker(ctx),
    digestWorker(ctx),
    pinWorker(ctx),
  ];
  workers.push(await scheduledWorker(ctx));
  if (feeds) workers.push(await feedWorker(ctx, feeds));
  logger.info({ tuning }, "workers started");
  return {
    close: () =>
      shutdown(workers, queues, [redis, storeRedis], () => {
        stopping = true;
      }),
  };
}

/** Stops the process's workers: batches in hand finish their sends in flight and hand the rest back. */
async function shutdown(workers: Worker[], queues: Queues, connections: Redis[], stop: () => void) {
  stop();
  await Promise.all(workers.map((worker) => worker.close()));
  await queues.close();
  for (const connection of connections) connection.disconnect();
}

/**
 * BullMQ's connection and queues, and a separate connection for our own reads and writes, each
 * with a listener for its errors.
 */
function connect(config: Config, keys: RedisKeys, logger: Logger) {
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
    queues.scheduled,
    queues.pins,
  ])
    queue.on("error", (err) => logger.warn({ err: err.message, queue: queue.name }, "queue error"));
  // Auto-pipelining packs the many small commands of concurrent sends into few writes, which
  // BullMQ's own connection should not do.
  const storeRedis = createRedis(config.redis, "worker", { enableAutoPipelining: true });
  storeRedis.on("error", (err) => logger.warn({ err: err.message }, "worker redis connection problem"));
  return { redis, storeRedis, storeConnections: countConnections(storeRedis), queues };
}

function jobLock(config: Config): WorkerBase["lock"] {
  return {
    lockDuration: config.jobLockSeconds * 1000,
    stalledInterval: config.jobLockSeconds * 1000,
    maxStalledCount: 10,
  };
}
