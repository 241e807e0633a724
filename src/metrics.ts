import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

/** Every Prometheus metric of one process, on its own registry. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "newsbell_" });
  const counter = <L extends string = string>(name: string, help: string, labelNames: readonly L[] = []) =>
    new Counter<L>({ name, help, labelNames, registers: [registry] });
  const histogram = (name: string, help: string, buckets: number[]) =>
    new Histogram({ name, help, buckets, registers: [registry] });
  return {
    registry,
    alertsSent: counter("newsbell_alerts_sent_total", "Alerts Telegram accepted"),
    alertsFailed: counter(
      "newsbell_alerts_failed_total",
      "Alerts not delivered, by reason (blocked, not_found, bad_request, unavailable)",
      ["reason"],
    ),
    alertsSkipped: counter("newsbell_alerts_skipped_total", "Recipients skipped, by reason", ["reason"]),
    rateLimited: counter("newsbell_telegram_429_total", "Too Many Requests answers from Telegram"),
    sendSeconds: histogram(
      "newsbell_send_duration_seconds",
      "Time for one sendMessage call to answer",
      [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    ),
    fanoutSeconds: histogram(
      "newsbell_fanout_duration_seconds",
      "From an article's fan-out start to its last recipient queued",
      [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600],
    ),
    queueDepth: new Gauge({
      name: "newsbell_queue_jobs",
      help: "Jobs per queue and state, read from Redis at scrape time",
      labelNames: ["queue", "state"] as const,
      registers: [registry],
    }),
    feedPolls: counter(
      "newsbell_feed_polls_total",
      "Feed polls by feed and result (new, unchanged, failed)",
      ["feed", "result"],
    ),
    feedItems: counter(
      "newsbell_feed_items_total",
      "Feed items by feed and outcome (published, duplicate, unmapped, invalid, seen_on_first_poll)",
      ["feed", "outcome"],
    ),
    feedFieldsLeftOut: counter(
      "newsbell_feed_fields_left_out_total",
      "Parts of published feed items their article went without, by feed and field (body: over the cap)",
      ["feed", "field"],
    ),
    articlesIngested: counter(
      "newsbell_articles_ingested_total",
      "Articles offered to publishArticle, by source and result",
      ["source", "result"],
    ),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
