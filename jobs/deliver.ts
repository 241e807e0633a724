import { DelayedError, type Job } from "bullmq";
import type { DeliverDeps } from "../src/delivery/deliver-deps.ts";
import { Deliverer } from "../src/delivery/deliverer.ts";
import type { DeliverJob } from "../src/delivery/queues.ts";
import { LockLost } from "../src/store/rate-limiter.ts";

/**
 * The delivery queue's processor: one job is one batch of chats for one article (Deliverer). The
 * job's lock fences its sends, so a worker that stalled past it sends nothing more once another
 * took the job over; a batch handed back at a stop goes to the next worker at once.
 */
export function deliverProcessor(deps: DeliverDeps) {
  const deliverer = new Deliverer(deps);
  return async (job: Job<DeliverJob>, token?: string): Promise<void> => {
    const { seq, chatIds, silent } = job.data;
    const end = await deliverer.deliver({
      seq,
      chatIds,
      silent,
      lastTry: job.attemptsMade + 1 >= (job.opts.attempts ?? 1),
      slots: {
        // BullMQ keeps the job's lock at <queue key>:<job id>:lock, holding the worker's token.
        ...(token !== undefined
          ? { fence: { lockKey: `${job.queueQualifiedName}:${job.id}:lock`, token } }
          : {}),
        ...(job.opts.priority !== undefined ? { priority: job.opts.priority } : {}),
      },
    });
    if (end === "lock-lost") {
      // The new owner sends the rest; this worker recorded only what it sent.
      deps.logger.warn({ seq, jobId: job.id }, "delivery batch taken over by another worker after a stall");
      throw new LockLost();
    }
    if (end === "handed-back") {
      // The ledger lets the next worker skip what this one sent; no attempt is used up.
      await job.moveToDelayed(Date.now(), token);
      throw new DelayedError();
    }
  };
}
