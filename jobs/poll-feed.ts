import type { Job } from "bullmq";
import type { Api } from "grammy";
import type { DateTime } from "luxon";
import { publishArticle } from "../src/delivery/publish-article.ts";
import type { FeedJob, Queues } from "../src/delivery/queues.ts";
import type { FeedConfig } from "../src/domain/feed-config.ts";
import { type FeedItem, parseFeedDocument } from "../src/domain/feed-document.ts";
import { feedItemSeenKey, mapFeedItem } from "../src/domain/feed-item.ts";
import { FETCH_TIMEOUT_MS, type FetchFeedOptions, fetchFeed } from "../src/feeds/feed-fetcher.ts";
import type { Logger } from "../src/logger.ts";
import type { Metrics } from "../src/metrics.ts";
import type { ArticleStore } from "../src/store/article-store.ts";
import type { ArticleTexts } from "../src/store/article-texts.ts";
import type { CatalogStore } from "../src/store/catalog-store.ts";
import type { FeedState, FeedStore, Validators } from "../src/store/feed-store.ts";

/** Consecutive failed polls after which the admins hear that a feed is down. */
export const DOWN_AFTER_FAILURES = 3;
export const MAX_BACKOFF_SECONDS = 3600;
// Scheduled polls drift by a few seconds; one due this close to its backoff end still runs.
const BACKOFF_SLACK_MS = 5_000;

export type ItemOutcome = "published" | "duplicate" | "unmapped" | "invalid" | "seen_on_first_poll";

export type PollOutcome =
  | { status: "unknown-feed" }
  | { status: "busy" }
  | { status: "backing-off"; until: number }
  | { status: "failed"; error: string; failures: number }
  | { status: "unchanged" }
  | { status: "polled"; items: Record<ItemOutcome, number> };

export interface PollFeedDeps {
  feeds: ReadonlyMap<string, FeedConfig>;
  store: FeedStore;
  catalog: CatalogStore;
  articles: ArticleStore;
  texts: Pick<ArticleTexts, "save">;
  queues: Pick<Queues, "fanout">;
  /** Made by `createApi`, so the reports carry the label like every other message. */
  api: Pick<Api, "sendMessage">;
  adminIds: readonly number[];
  translate: (key: "feed-down" | "feed-up", vars: Record<string, string | number>) => string;
  logger: Logger;
  now: () => DateTime;
  metrics?: Metrics;
  fetch?: Omit<FetchFeedOptions, "validators">;
}

export function pollFeedProcessor(deps: PollFeedDeps) {
  return (job: Job<FeedJob>): Promise<PollOutcome> => pollFeed(job.data.feedId, deps);
}

/** One poll of one feed. Fetch and parse problems are counted and reported, never thrown. */
export async function pollFeed(feedId: string, deps: PollFeedDeps): Promise<PollOutcome> {
  const feed = deps.feeds.get(feedId);
  if (!feed) {
    deps.logger.warn({ feedId }, "poll for a feed that is not in FEEDS_FILE; ignored");
    return { status: "unknown-feed" };
  }
  const timeoutMs = deps.fetch?.timeoutMs ?? FETCH_TIMEOUT_MS;
  const token = await deps.store.lock(feed.id, timeoutMs + 60_000);
  if (!token) return { status: "busy" };
  try {
    return await pollLocked(feed, deps);
  } finally {
    await deps.store.unlock(feed.id, token);
  }
}

async function pollLocked(feed: FeedConfig, deps: PollFeedDeps): Promise<PollOutcome> {
  const state = await currentState(feed, deps.store);
  const startedAt = deps.now();
  if (state.nextAttemptAt !== undefined && startedAt.toMillis() + BACKOFF_SLACK_MS < state.nextAttemptAt) {
    return { status: "backing-off", until: state.nextAttemptAt };
  }
  const fetched = await fetchFeed(feed.url, {
    ...deps.fetch,
    validators: { ...optional("etag", state.etag), ...optional("lastModified", state.lastModified) },
  });
  if (fetched.kind === "failed") return fail(feed, state, fetched.error, startedAt, deps);
  if (fetched.kind === "unchanged") {
    await succeed(feed, state, undefined, deps);
    deps.metrics?.feedPolls.inc({ feed: feed.id, result: "unchanged" });
    return { status: "unchanged" };
  }
  const document = parseFeedDocument(fetched.body);
  if (!document.ok) return fail(feed, state, document.message, startedAt, deps);
  const items = state.primed
    ? await handleItems(feed, document.items, startedAt, deps)
    : await prime(feed, document.items, startedAt, deps);
  // Validators only after every item is handled: a 304 must never hide an item left unhandled.
  await succeed(feed, state, fetched.validators, deps);
  const found = Object.values(items).some((n) => n > 0);
  deps.metrics?.feedPolls.inc({ feed: feed.id, result: found ? "new" : "unchanged" });
  return { status: "polled", items };
}

function optional<K extends string>(key: K, value: string | undefined) {
  return value ? ({ [key]: value } as Record<K, string>) : {};
}

async function currentState(feed: FeedConfig, store: FeedStore): Promise<FeedState> {
  const state = await store.state(feed.id);
  if (state.url === undefined || state.url === feed.url) return state;
  // Another URL is another feed: its items were never seen, and the old validators mean nothing there.
  await store.forgetUrl(feed.id);
  return { ...state, primed: false, etag: undefined, lastModified: undefined };
}

function emptyCounts(): Record<ItemOutcome, number> {
  return { published: 0, duplicate: 0, unmapped: 0, invalid: 0, seen_on_first_poll: 0 };
}

/** The first good poll: remember what the feed already lists, publish none of it. */
async function prime(
  feed: FeedConfig,
  items: readonly FeedItem[],
  at: DateTime,
  deps: PollFeedDeps,
): Promise<Record<ItemOutcome, number>> {
  const keys = [...new Set(items.map((item) => feedItemSeenKey(item, feed.url)))];
  await deps.store.markSeen(feed.id, keys, at.toMillis());
  const counts = { ...emptyCounts(), seen_on_first_poll: keys.length };
  deps.metrics?.feedItems.inc({ feed: feed.id, outcome: "seen_on_first_poll" }, keys.length);
  deps.logger.info({ feed: feed.id, items: keys.length }, "first poll of a feed: its items are marked seen");
  return counts;
}

/** What every new item of one poll is handled with. */
interface ItemPoll {
  feed: FeedConfig;
  catalog: Awaited<ReturnType<CatalogStore["all"]>>;
  at: DateTime;
  deps: PollFeedDeps;
}

async function handleItems(
  feed: FeedConfig,
  items: readonly FeedItem[],
  at: DateTime,
  deps: PollFeedDeps,
): Promise<Record<ItemOutcome, number>> {
  const keyed = items.map((item) => ({ item, key: feedItemSeenKey(item, feed.url) }));
  const unseen = await deps.store.unseen(feed.id, [...new Set(keyed.map((k) => k.key))]);
  const counts = emptyCounts();
  const handled = new Set<string>();
  const poll: ItemPoll = { feed, catalog: await deps.catalog.all(), at, deps };
  // Feeds list the newest first; alerts go out in the order the articles appeared.
  for (const { item, key } of [...keyed].reverse()) {
    if (!unseen.has(key)) continue;
    const outcome = handled.has(key) ? "duplicate" : await handleItemSafely(poll, item);
    handled.add(key);
    counts[outcome]++;
    deps.metrics?.feedItems.inc({ feed: feed.id, outcome });
  }
  // Every key the feed still lists is refreshed, so trimming only forgets items gone from it.
  await deps.store.markSeen(
    feed.id,
    keyed.map((k) => k.key),
    at.toMillis(),
  );
  return counts;
}

/**
 * An item that makes the mapping or publishing throw is counted invalid and, like every item
 * the feed lists, marked seen: left unseen it would throw again at every poll and keep every
 * newer item of the feed from being published.
 */
async function handleItemSafely(poll: ItemPoll, item: FeedItem): Promise<ItemOutcome> {
  try {
    return await handleItem(poll, item);
  } catch (err) {
    poll.deps.logger.error(
      { ...itemForLog(poll.feed, item), err, why: (err as Error)?.message ?? String(err) },
      "feed item skipped: handling it failed",
    );
    return "invalid";
  }
}

function itemForLog(feed: FeedConfig, item: FeedItem) {
  return { feed: feed.id, guid: item.guid, link: item.link, title: item.title?.slice(0, 200) };
}

async function handleItem(poll: ItemPoll, item: FeedItem): Promise<ItemOutcome> {
  const { feed, catalog, at, deps } = poll;
  const log = itemForLog(feed, item);
  const mapped = mapFeedItem(item, feed, catalog, at);
  if (mapped.kind === "invalid") {
    deps.logger.warn({ ...log, why: mapped.why }, "feed item skipped: invalid");
    return "invalid";
  }
  if (mapped.kind === "unmapped") {
    deps.logger.info({ ...log, why: mapped.why }, "feed item not pushed: no topic or region");
    return "unmapped";
  }
  const result = await publishArticle(mapped.input, deps, at);
  if (result.status === "invalid") {
    deps.logger.warn({ ...log, errors: result.errors }, "feed item rejected by publishArticle");
    return "invalid";
  }
  if (result.status === "duplicate") return "duplicate";
  deps.logger.info({ ...log, id: result.id, seq: result.seq }, "feed item published");
  // Only a published article goes without the part: a rejected or known item changes nothing.
  for (const part of mapped.leftOut ?? []) {
    deps.logger.warn(
      { ...log, id: result.id, field: part.field, why: part.why },
      "feed item published without part of it",
    );
    deps.metrics?.feedFieldsLeftOut.inc({ feed: feed.id, field: part.field });
  }
  return "published";
}

async function succeed(
  feed: FeedConfig,
  before: FeedState,
  validators: Validators | undefined,
  deps: PollFeedDeps,
): Promise<void> {
  const { recovered } = await deps.store.recordSuccess(feed.id, feed.url, validators);
  if (!recovered) return;
  deps.logger.info({ feed: feed.id, failures: before.failures }, "feed works again");
  await report(deps, deps.translate("feed-up", { feed: feed.id, url: feed.url, failures: before.failures }));
}

async function fail(
  feed: FeedConfig,
  before: FeedState,
  error: string,
  startedAt: DateTime,
  deps: PollFeedDeps,
): Promise<PollOutcome> {
  const { failures, reportDown } = await deps.store.recordFailure(
    feed.id,
    error,
    DOWN_AFTER_FAILURES,
    (n) => startedAt.toMillis() + backoffSeconds(feed.intervalSeconds, n) * 1000,
  );
  deps.metrics?.feedPolls.inc({ feed: feed.id, result: "failed" });
  deps.logger.warn(
    { feed: feed.id, url: feed.url, error, failures, wasDown: before.down },
    "feed poll failed",
  );
  if (reportDown) {
    await report(deps, deps.translate("feed-down", { feed: feed.id, url: feed.url, error, failures }));
  }
  return { status: "failed", error, failures };
}

/** interval × 2^failures, at most an hour. */
export function backoffSeconds(intervalSeconds: number, failures: number): number {
  return Math.min(intervalSeconds * 2 ** Math.min(failures, 20), MAX_BACKOFF_SECONDS);
}

// One admin who blocked the bot must not keep the others from hearing about it.
async function report(deps: PollFeedDeps, text: string): Promise<void> {
  for (const chatId of deps.adminIds) {
    try {
      await deps.api.sendMessage(chatId, text, { link_preview_options: { is_disabled: true } });
    } catch (err) {
      deps.logger.warn({ chatId, err: (err as Error).message }, "could not send a feed report to an admin");
    }
  }
}
