import type { Job, Worker } from "bullmq";
import { digestWords } from "../src/delivery/digest-render.ts";
import { DIGEST_QUEUE, type DigestJob, type SendDigestJob } from "../src/delivery/queues.ts";
import { digestTickProcessor } from "./digest-tick.ts";
import { sendDigestProcessor } from "./send-digest.ts";
import { createWorker, type WorkerContext } from "./worker-base.ts";

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
