import type { ScheduledPush } from "../domain/scheduled-push.ts";
import type { ScheduledPushStore } from "../store/scheduled-pushes.ts";
import { type Queues, scheduledJobId } from "./queues.ts";

type ScheduledQueue = Queues["scheduled"];

/**
 * Makes the push's job wake a worker at the push's time: a new delayed job, or the delay of the
 * waiting one changed. A job already due or running is left alone: its worker reads the time
 * from the store, and moves the job back to delayed if the time is still ahead.
 */
export async function queueScheduled(
  queue: ScheduledQueue,
  push: Pick<ScheduledPush, "id" | "atMs">,
  nowMs: number,
): Promise<void> {
  const delay = Math.max(0, push.atMs - nowMs);
  const job = await queue.getJob(scheduledJobId(push.id));
  if (!job) {
    await queue.add("publish-scheduled", { id: push.id }, { jobId: scheduledJobId(push.id), delay });
    return;
  }
  const state = await job.getState();
  // The job left the delayed set between the two calls: the worker reads the new time itself.
  if (state === "delayed") await job.changeDelay(delay).catch(() => undefined);
  else if (state === "failed") await job.retry("failed");
}

/** Wakes the push's job now (its time in the store is now already). */
export async function wakeScheduled(queue: ScheduledQueue, id: string, nowMs: number): Promise<void> {
  const job = await queue.getJob(scheduledJobId(id));
  if (job && (await job.getState()) === "delayed") await job.promote().catch(() => undefined);
  else await queueScheduled(queue, { id, atMs: nowMs }, nowMs);
}

/** Drops a cancelled push's job; one running already finds the push claimed and does nothing. */
export async function dropScheduled(queue: ScheduledQueue, id: string): Promise<void> {
  const job = await queue.getJob(scheduledJobId(id));
  await job?.remove().catch(() => undefined);
}

/**
 * At a worker's start: every kept push that is not cancelled has its job. The store is written
 * before the job is added, so a bot stopped between the two, or a job lost, leaves a push no
 * worker would wake: it is woken here.
 */
export async function requeueScheduled(
  queue: ScheduledQueue,
  store: ScheduledPushStore,
  nowMs: number,
): Promise<number> {
  let added = 0;
  for (const push of await store.list()) {
    // A cancel that stopped between its claim and its removal: the push is cancelled.
    if (push.claim === "cancel") await store.remove(push.id);
    else if (!(await queue.getJob(scheduledJobId(push.id)))) {
      await queueScheduled(queue, push, nowMs);
      added++;
    }
  }
  return added;
}
