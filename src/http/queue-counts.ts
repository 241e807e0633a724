import type { Queue } from "bullmq";

export async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Jobs per state of every queue, each asked with a short timeout so a stuck Redis never hangs a probe. */
export async function queueCounts(
  queues: Record<string, Queue>,
): Promise<Record<string, Record<string, number>>> {
  const entries = await Promise.all(
    Object.entries(queues).map(async ([name, queue]) => {
      const counts = await withTimeout(
        queue.getJobCounts("wait", "prioritized", "active", "delayed", "failed"),
        2000,
      );
      return [name, counts] as const;
    }),
  );
  return Object.fromEntries(entries);
}
