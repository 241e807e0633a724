import type { DateTime } from "luxon";
import { type CatalogEntry, entryName, type Language } from "./catalog.ts";
import { decodeChat } from "./chat.ts";

// ---------- chats ----------

export interface ChatCensus {
  total: number;
  active: number;
  inactive: number;
  private: number;
  groups: number;
  channels: number;
}

export function emptyCensus(): ChatCensus {
  return { total: 0, active: 0, inactive: 0, private: 0, groups: 0, channels: 0 };
}

/** Counts one stored chat (its encoded settings string) into the census; unreadable ones are left out. */
export function tallyChat(census: ChatCensus, raw: string): void {
  const chat = decodeChat(0, raw);
  if (!chat) return;
  census.total++;
  if (chat.active) census.active++;
  else census.inactive++;
  if (chat.kind === "private") census.private++;
  else if (chat.kind === "group") census.groups++;
  else census.channels++;
}

// ---------- subscriptions ----------

export interface TopSlug {
  slug: string;
  /** In the admin's language; the slug itself for a slug the catalogue no longer has. */
  name: string;
  subscribers: number;
  archived: boolean;
}

export function totalSubscriptions(counts: ReadonlyMap<string, number>): number {
  let total = 0;
  for (const n of counts.values()) total += Math.max(0, n);
  return total;
}

/** The most followed slugs, most subscribers first (name breaks ties); slugs nobody follows are left out. */
export function topSubscriptions(
  counts: ReadonlyMap<string, number>,
  catalog: readonly CatalogEntry[],
  lang: Language,
  limit = 10,
): TopSlug[] {
  const bySlug = new Map(catalog.map((e) => [e.slug, e]));
  const collator = new Intl.Collator(lang);
  return [...counts]
    .filter(([, n]) => n > 0)
    .map(([slug, subscribers]) => {
      const entry = bySlug.get(slug);
      return {
        slug,
        name: entry ? entryName(entry, lang) : slug,
        subscribers,
        archived: entry?.state === "archived",
      };
    })
    .sort((a, b) => b.subscribers - a.subscribers || collator.compare(a.name, b.name))
    .slice(0, limit);
}

// ---------- alerts ----------

export interface DeliverySummary {
  articles: number;
  sent: number;
  failed: number;
  /** Failures by reason, most frequent first. */
  reasons: { reason: string; count: number }[];
}

/** Sums the delivery figures of a window's articles. */
export function sumDeliveries(
  stats: readonly { sent: number; failed: Record<string, number> }[],
): DeliverySummary {
  let sent = 0;
  const byReason = new Map<string, number>();
  for (const s of stats) {
    sent += s.sent;
    for (const [reason, n] of Object.entries(s.failed)) {
      if (n > 0) byReason.set(reason, (byReason.get(reason) ?? 0) + n);
    }
  }
  const reasons = [...byReason]
    .map(([reason, count]) => ({ reason, count }))
    .sort((a, b) => b.count - a.count || (a.reason < b.reason ? -1 : 1));
  return { articles: stats.length, sent, failed: reasons.reduce((sum, r) => sum + r.count, 0), reasons };
}

/** The share of attempted alerts that failed, 0..1; 0 when nothing was attempted. */
export function failureShare(summary: Pick<DeliverySummary, "sent" | "failed">): number {
  const attempted = summary.sent + summary.failed;
  return attempted === 0 ? 0 : summary.failed / attempted;
}

/** The starts of the windows /stats reports, in epoch milliseconds. */
export function statsWindows(now: DateTime): { day: number; week: number } {
  return { day: now.minus({ hours: 24 }).toMillis(), week: now.minus({ days: 7 }).toMillis() };
}

// ---------- queues ----------

/**
 * Jobs a queue still has to do: waiting, prioritized, running and delayed, less the next run
 * each of its `schedulers` always keeps there (the digest clock, a feed's polling), which is
 * not work waiting to be done.
 */
export function queueDepth(counts: Readonly<Record<string, number>>, schedulers = 0): number {
  const jobs = Object.values(counts).reduce((sum, n) => sum + (Number.isFinite(n) && n > 0 ? n : 0), 0);
  return Math.max(0, jobs - (Number.isFinite(schedulers) && schedulers > 0 ? schedulers : 0));
}

// ---------- feeds ----------

export interface FeedHealth {
  feedId: string;
  /** Admins were told it is down and not yet that it recovered. */
  down: boolean;
  /** Failed polls in a row. */
  failures: number;
  lastError?: string;
  /** Epoch milliseconds of the last successful poll. */
  lastSuccessAt?: number;
}

export interface FeedHealthSummary {
  total: number;
  healthy: number;
  /** Feeds that are down or whose last polls failed: down first, then by most failures. */
  troubled: FeedHealth[];
}

export function summarizeFeeds(feeds: readonly FeedHealth[]): FeedHealthSummary {
  const troubled = feeds
    .filter((f) => f.down || f.failures > 0)
    .sort(
      (a, b) =>
        Number(b.down) - Number(a.down) ||
        b.failures - a.failures ||
        (a.feedId < b.feedId ? -1 : a.feedId > b.feedId ? 1 : 0),
    );
  return { total: feeds.length, healthy: feeds.length - troubled.length, troubled };
}
