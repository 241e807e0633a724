import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

/** Every Prometheus metric of one process, on its own registry. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "newsbell_" });
  return {
    registry,
    alertsSent: new Counter({
      name: "newsbell_alerts_sent_total",
      help: "Alerts Telegram accepted",
      registers: [registry],
    }),
    alertsFailed: new Counter({
      name: "newsbell_alerts_failed_total",
      help: "Alerts not delivered, by reason (blocked, not_found, bad_request, unavailable)",
      labelNames: ["reason"] as const,
      registers: [registry],
    }),
    alertsSkipped: new Counter({
      name: "newsbell_alerts_skipped_total",
      help: "Recipients skipped, by reason",
      labelNames: ["reason"] as const,
      registers: [registry],
    }),
    rateLimited: new Counter({
      name: "newsbell_telegram_429_total",
      help: "Too Many Requests answers from Telegram",
      registers: [registry],
    }),
    sendSeconds: new Histogram({
      name: "newsbell_send_duration_seconds",
      help: "Time for one sendMessage call to answer",
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    fanoutSeconds: new Histogram({
      name: "newsbell_fanout_duration_seconds",
      help: "From an article's fan-out start to its last recipient queued",
      buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600],
      registers: [registry],
    }),
    queueDepth: new Gauge({
      name: "newsbell_queue_jobs",
      help: "Jobs per queue and state, read from Redis at scrape time",
      labelNames: ["queue", "state"] as const,
      registers: [registry],
    }),
    feedPolls: new Counter({
      name: "newsbell_feed_polls_total",
      help: "Feed polls by feed and result (new, unchanged, failed)",
      labelNames: ["feed", "result"] as const,
      registers: [registry],
    }),
    feedItems: new Counter({
      name: "newsbell_feed_items_total",
      help: "Feed items by feed and outcome (published, duplicate, unmapped, invalid, seen_on_first_poll)",
      labelNames: ["feed", "outcome"] as const,
      registers: [registry],
    }),
    feedFieldsLeftOut: new Counter({
      name: "newsbell_feed_fields_left_out_total",
      help: "Parts of published feed items their article went without, by feed and field (body: over the cap)",
      labelNames: ["feed", "field"] as const,
      registers: [registry],
    }),
    articlesIngested: new Counter({
      name: "newsbell_articles_ingested_total",
      help: "Articles offered to publishArticle, by source and result",
      labelNames: ["source", "result"] as const,
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
