import { DelayedError, type Job } from "bullmq";
import type { SendDigestDeps } from "../src/delivery/digest-deps.ts";
import { DigestSender } from "../src/delivery/digest-sender.ts";
import { digestJobId, type SendDigestJob } from "../src/delivery/queues.ts";

/**
 * The processor of a "send-digest" job: one chat's digest (DigestSender). The held items are
 * claimed under the job's id, so a later job for the chat takes over what this one left; a digest
 * handed back at a stop goes to the next worker at once.
 */
export function sendDigestProcessor(deps: SendDigestDeps) {
  const sender = new DigestSender(deps);
  return async (job: Job<SendDigestJob>, token?: string): Promise<void> => {
    const { chatId } = job.data;
    const end = await sender.send({
      chatId,
      jobId: job.id ?? digestJobId(chatId, job.data.dueMs),
      lastTry: job.attemptsMade + 1 >= (job.opts.attempts ?? 1),
    });
    if (end === "handed-back") {
      // What was sent is noted: the next worker sends the rest. No attempt is used up.
      await job.moveToDelayed(Date.now(), token);
      throw new DelayedError();
    }
  };
}
