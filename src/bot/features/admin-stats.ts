import { Composer } from "grammy";
import { DateTime } from "luxon";
import {
  type ChatCensus,
  type DeliverySummary,
  type FeedHealth,
  failureShare,
  queueDepth,
  statsWindows,
  sumDeliveries,
  summarizeFeeds,
  topSubscriptions,
  totalSubscriptions,
} from "../../domain/admin-stats.ts";
import { oneLine } from "../../domain/audit.ts";
import { auditTime } from "../../domain/audit-page.ts";
import type { CatalogEntry } from "../../domain/catalog.ts";
import { escapeHtml } from "../../domain/html.ts";
import { reactionsLine } from "../../domain/reactions.ts";
import type { ArticleStats, ArticleStore } from "../../store/article-store.ts";
import type { DeliveryError } from "../../store/delivery-errors.ts";
import type { ReactionStore } from "../../store/reaction-store.ts";
import type { BotContext, BotQueues } from "../context.ts";
import { readerLanguage } from "../helpers/chat-access.ts";
import { adminTimeZone, replyLines } from "./admin-common.ts";

/** /stats sums at most this many articles per window. */
const ARTICLES_MAX = 10_000;
/** Articles whose figures are read at once. */
const STATS_BATCH = 200;
const QUEUE_STATES = ["wait", "prioritized", "active", "delayed"] as const;
const QUEUE_NAMES = ["fanout", "deliver", "feeds", "status", "revisions", "digests"] as const;

/** The delivery figures of the last 24 h and of the last 7 days; each article's figures are read once. */
async function deliveries(
  articles: ArticleStore,
  windows: { day: number; week: number },
): Promise<{ day: DeliverySummary; week: DeliverySummary }> {
  const [week, day] = await Promise.all([
    articles.recent(windows.week, ARTICLES_MAX),
    articles.recent(windows.day, ARTICLES_MAX),
  ]);
  const stats = new Map<number, ArticleStats>();
  for (let i = 0; i < week.length; i += STATS_BATCH) {
    const batch = week.slice(i, i + STATS_BATCH);
    const read = await Promise.all(batch.map(async (seq) => [seq, await articles.stats(seq)] as const));
    for (const [seq, figures] of read) stats.set(seq, figures);
  }
  const of = (seqs: number[]) => seqs.flatMap((seq) => stats.get(seq) ?? []);
  return { day: sumDeliveries(of(day)), week: sumDeliveries(of(week)) };
}

async function queueDepths(queues: BotQueues): Promise<{ name: string; depth: number }[]> {
  return Promise.all(
    QUEUE_NAMES.map(async (name) => {
      const [counts, schedulers] = await Promise.all([
        queues[name].getJobCounts(...QUEUE_STATES),
        queues[name].getJobSchedulersCount(),
      ]);
      return { name, depth: queueDepth(counts, schedulers) };
    }),
  );
}

type Stamp = (ms: number | string) => string;

/** The chats, the subscriptions and the ten most followed entries. */
function audienceLines(
  ctx: BotContext,
  census: ChatCensus,
  counts: Map<string, number>,
  catalog: CatalogEntry[],
): string[] {
  const lang = readerLanguage(ctx);
  const lines = [ctx.t("adm-stats-chats", { ...census })];
  lines.push(ctx.t("adm-stats-subscriptions", { total: totalSubscriptions(counts) }));
  const top = topSubscriptions(counts, catalog, lang, 10);
  if (top.length > 0) {
    lines.push(ctx.t("adm-stats-top"));
    for (const [i, t] of top.entries())
      lines.push(
        ctx.t("adm-stats-top-row", {
          place: i + 1,
          name: escapeHtml(t.name),
          subscribers: t.subscribers,
          state: t.archived ? "archived" : "active",
        }),
      );
  }
  return lines;
}

/** The alerts of the last day and week, with why some failed. */
function alertLines(ctx: BotContext, day: DeliverySummary, week: DeliverySummary): string[] {
  const lines: string[] = [];
  for (const [window, summary] of [
    ["day", day],
    ["week", week],
  ] as const) {
    lines.push(
      ctx.t("adm-stats-alerts", {
        window,
        articles: summary.articles,
        sent: summary.sent,
        failed: summary.failed,
        percent: failureShare(summary) * 100,
      }),
    );
    if (summary.reasons.length > 0)
      lines.push(
        ctx.t("adm-stats-reasons", {
          list: summary.reasons
            .map((r) => ctx.t("adm-stats-reason-count", { reason: r.reason, count: r.count }))
            .join(", "),
        }),
      );
  }
  return lines;
}

/** How many feeds are healthy, and the troubled ones. */
function feedLines(ctx: BotContext, feeds: FeedHealth[], time: Stamp): string[] {
  const lines: string[] = [];
  const feedSummary = summarizeFeeds(feeds);
  // No FEEDS_FILE: there is nothing to poll, which is not the same as feeds never polled.
  if (feedSummary.total === 0)
    lines.push(ctx.t(ctx.config.feedsFile === undefined ? "adm-stats-feeds-unset" : "adm-stats-feeds-none"));
  else lines.push(ctx.t("adm-stats-feeds", { healthy: feedSummary.healthy, total: feedSummary.total }));
  for (const feed of feedSummary.troubled)
    lines.push(
      ctx.t("adm-stats-feed-trouble", {
        feed: escapeHtml(feed.feedId),
        down: feed.down ? "yes" : "no",
        failures: feed.failures,
        error: escapeHtml(oneLine(feed.lastError ?? "—", 120)),
        success: feed.lastSuccessAt === undefined ? "—" : time(feed.lastSuccessAt),
      }),
    );
  return lines;
}

/** The articles of the last 7 days with the most reactions, each with its top reactions. */
async function mostReacted(
  articles: ArticleStore,
  reactions: ReactionStore,
  since: number,
): Promise<{ headline: string; line: string }[]> {
  const top = await reactions.mostReacted(await articles.recent(since, ARTICLES_MAX), 5);
  return Promise.all(
    top.map(async ({ seq, totals }) => ({
      headline: (await articles.get(seq))?.headline ?? String(seq),
      line: reactionsLine(totals),
    })),
  );
}

function reactionLines(ctx: BotContext, top: { headline: string; line: string }[]): string[] {
  if (top.length === 0) return [];
  return [
    ctx.t("adm-stats-reactions"),
    ...top.map((a, i) =>
      ctx.t("adm-stats-reactions-row", {
        place: i + 1,
        headline: escapeHtml(oneLine(a.headline, 120)),
        line: a.line,
      }),
    ),
  ];
}

/** The latest delivery errors. */
function errorLines(ctx: BotContext, errors: DeliveryError[], time: Stamp): string[] {
  const lines = [ctx.t("adm-stats-errors", { count: errors.length })];
  for (const error of errors)
    lines.push(
      ctx.t("adm-stats-error-row", {
        time: time(error.at),
        chat: String(error.chatId),
        seq: String(error.seq),
        reason: error.reason,
        description: escapeHtml(oneLine(error.description, 160)),
      }),
    );
  return lines;
}

/**
 * /stats: chats, subscriptions, alerts of the last day and week, queues, feeds, latest errors.
 * Mounted behind admin.ts's guard (admins, private chats).
 */
export function adminStatsFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();

  feature.command("stats", async (ctx) => {
    const lang = readerLanguage(ctx);
    const zone = adminTimeZone(ctx);
    const now = DateTime.utc();
    const windows = statsWindows(now);
    const { stores } = ctx;
    const [census, counts, catalog, { day, week }, queues, feeds, errors, reacted] = await Promise.all([
      stores.census.count(),
      stores.subscriptions.counts(),
      stores.catalog.all(),
      deliveries(stores.articles, windows),
      queueDepths(ctx.queues),
      stores.feeds.health(),
      stores.errors.latest(5),
      mostReacted(stores.articles, stores.reactions, windows.week),
    ]);
    const time: Stamp = (ms) =>
      auditTime(typeof ms === "number" ? new Date(ms).toISOString() : ms, zone, lang, now);
    await replyLines(ctx, [
      ctx.t("adm-stats-title"),
      ...audienceLines(ctx, census, counts, catalog),
      ...alertLines(ctx, day, week),
      ...reactionLines(ctx, reacted),
      ctx.t("adm-stats-queues", {
        total: queues.reduce((sum, q) => sum + q.depth, 0),
        list: queues.map((q) => ctx.t("adm-stats-queue", { queue: q.name, depth: q.depth })).join(", "),
      }),
      ...feedLines(ctx, feeds, time),
      ...errorLines(ctx, errors, time),
    ]);
  });

  return feature;
}
