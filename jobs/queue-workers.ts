import type { Job, Worker } from "bullmq";
import type { DeliveryEvents } from "../src/delivery/deliver-deps.ts";
import { digestWords } from "../src/delivery/digest-render.ts";
import type { RevisionDeps } from "../src/delivery/ledger-walk.ts";
import {
  DELIVER_BATCH,
  DELIVER_QUEUE,
  type DeliverJob,
  FANOUT_QUEUE,
  type FanoutJob,
  type LinksReportJob,
  REVISION_QUEUE,
  type RevisionJob,
  STATUS_QUEUE,
  type StatusJob,
} from "../src/delivery/queues.ts";
import type { Language } from "../src/domain/language.ts";
import type { Metrics } from "../src/metrics.ts";
import { correctProcessor } from "./correct-article.ts";
import { deliverProcessor } from "./deliver.ts";
import { fanoutProcessor } from "./fan-out.ts";
import { linksReportProcessor } from "./links-report.ts";
import { retractProcessor } from "./retract-article.ts";
import { statusProcessor } from "./update-status.ts";
import { createWorker, type WorkerContext } from "./worker-base.ts";

/*
 * The workers of an article's way to readers: fan-out, delivery, the newsroom's status messages,
 * and corrections and retractions. Readers' digests: digest-worker.ts; feed polling: feed-worker.ts.
 */

/**
 * How long a fan-out waits while delivery's backlog is full: about the time a quarter of the
 * backlog takes to send at the global rate, between 100 ms and 1 s.
 */
export function backlogPause(maxBacklog: number, sendRate: number): number {
  if (sendRate <= 0) return 100;
  const quarterMs = ((maxBacklog / 4) * DELIVER_BATCH * 1000) / sendRate;
  return Math.round(Math.min(1000, Math.max(100, quarterMs)));
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
      reactions: ctx.stores.reactions,
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
