import { type Job, Worker } from "bullmq";
import type { Api } from "grammy";
import type { Redis } from "ioredis";
import type { DateTime } from "luxon";
import type { Config } from "../src/config.ts";
import type { Pinner } from "../src/delivery/pin-breaking.ts";
import type { Queues } from "../src/delivery/queues.ts";
import type { Language } from "../src/domain/language.ts";
import type { Logger } from "../src/logger.ts";
import type { Metrics } from "../src/metrics.ts";
import type { Stores } from "../src/store/create-stores.ts";
import type { RateLimiter } from "../src/store/rate-limiter.ts";
import type { createI18n } from "../src/telegram/i18n.ts";
import type { Translate } from "../src/telegram/status-card.ts";

/*
 * What every queue's worker is built from: the process's connections, stores and settings
 * (WorkerContext), and one BullMQ worker per queue with the listeners every worker needs.
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
