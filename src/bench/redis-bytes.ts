import { setTimeout as delay } from "node:timers/promises";
import type { Redis } from "ioredis";
import type { Queues } from "../delivery/queues.ts";
import { scanKeys } from "../store/redis.ts";

export async function bytesUnder(redis: Redis, pattern: string): Promise<number> {
  let total = 0;
  for await (const keys of scanKeys(redis, pattern, 2000)) {
    const pipeline = redis.pipeline();
    for (const key of keys) pipeline.memory("USAGE", key, "SAMPLES", "0");
    for (const [, bytes] of (await pipeline.exec()) ?? []) total += Number(bytes ?? 0);
  }
  return total;
}

export interface DeliveryPeaks {
  peakWaiting: number;
  peakQueueAndLedger: number;
}

/**
 * Samples the delivery queue's waiting jobs every 100 ms, and the bytes of the queues and the
 * article ledgers every 2 s (not with NO_MEM: SCAN and MEMORY USAGE cost Redis time), until stopped.
 */
export function sampleDeliveryPeaks(
  redis: Redis,
  queues: Pick<Queues, "deliver">,
  prefix: string,
): { stop(): Promise<DeliveryPeaks> } {
  const peaks: DeliveryPeaks = { peakWaiting: 0, peakQueueAndLedger: 0 };
  let sampling = true;
  const sampler = (async () => {
    let tick = 0;
    while (sampling) {
      const counts = await queues.deliver.getJobCounts("wait", "prioritized", "delayed");
      peaks.peakWaiting = Math.max(
        peaks.peakWaiting,
        (counts.wait ?? 0) + (counts.prioritized ?? 0) + (counts.delayed ?? 0),
      );
      if (tick++ % 20 === 0 && !process.env.NO_MEM) {
        const bytes =
          (await bytesUnder(redis, `${prefix}:bull:*`)) + (await bytesUnder(redis, `${prefix}:article:*`));
        peaks.peakQueueAndLedger = Math.max(peaks.peakQueueAndLedger, bytes);
      }
      await delay(100);
    }
  })();
  return {
    async stop() {
      sampling = false;
      await sampler;
      return peaks;
    },
  };
}
