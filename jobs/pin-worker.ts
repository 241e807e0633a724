import type { Worker } from "bullmq";
import { PIN_QUEUE, type PinJob } from "../src/delivery/queues.ts";
import { createWorker, type WorkerContext } from "./worker-base.ts";

/** Pinned breaking news: the pin after a breaking alert, and its unpin PIN_HOURS later. */
export function pinWorker(ctx: WorkerContext): Worker<PinJob> {
  const { pinner } = ctx;
  return createWorker<PinJob>(ctx.base, {
    name: "pin",
    queue: PIN_QUEUE,
    // Each pin waits for its chat's pace: a few at once keep one slow group from holding the rest.
    concurrency: 4,
    processor: async (job) => {
      if (job.name === "unpin") await pinner.unpinIfCurrent(job.data.chatId, job.data.messageId);
      else await pinner.pin(job.data);
    },
  });
}
