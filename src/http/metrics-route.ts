import type { Queue } from "bullmq";
import type { FastifyPluginAsync } from "fastify";
import type { Metrics } from "../metrics.ts";
import { queueCounts } from "./queue-counts.ts";

/** GET /metrics: Prometheus text, with queue depths read at scrape time. */
export function metricsRoute(metrics: Metrics, queues: Record<string, Queue>): FastifyPluginAsync {
  return async (app) => {
    app.get("/metrics", async (_request, reply) => {
      try {
        const counts = await queueCounts(queues);
        for (const [queue, states] of Object.entries(counts)) {
          for (const [state, n] of Object.entries(states)) metrics.queueDepth.set({ queue, state }, n);
        }
      } catch {
        // Metrics still answer while Redis is down; the queue gauges keep their last values.
      }
      return reply
        .header("content-type", metrics.registry.contentType)
        .send(await metrics.registry.metrics());
    });
  };
}
