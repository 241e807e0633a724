/**
 * What one /latest and one /breaking reach count cost with many readers and a full article store
 * (issue 18, items 2 and 4): time per call, and the CPU this process spent on it (the bot's event
 * loop runs both).
 *
 *   npx tsx src/bench/latest-reach-bench.ts [--readers 1000000] [--articles 1000] [--rounds 5]
 *
 * Readers follow 1–3 slugs, 60 % of them chechnya (the audience shape); 10 % read the
 * English edition, 5 % are inactive. Articles carry 4 KB teasers. The /latest measured is the worst
 * case of the issue: a chat whose filter matches nothing (`+qqqqq`), so no article passes.
 */
import { Redis } from "ioredis";
import type { Article } from "../domain/article.ts";
import { type ChatSettings, newChat, readsEdition } from "../domain/chat.ts";
import { parseFilter, passesFilters } from "../domain/keyword-filter.ts";
import { defaultReaderOptions } from "../domain/reader-options.ts";
import { ArticleStore } from "../store/article-store.ts";
import { defaultCatalog } from "../store/catalog-seed.ts";
import { CatalogStore } from "../store/catalog-store.ts";
import { ChatStore } from "../store/chat-store.ts";
import { redisKeys } from "../store/keys.ts";
import { LatestArticles } from "../store/latest-articles.ts";
import { countReach } from "../store/reach.ts";
import { deleteKeysUnder } from "../store/redis.ts";
import { SubscriptionStore } from "../store/subscription-store.ts";
import { benchOptions, requireCounts } from "./bench-options.ts";
import { benchPrefix } from "./bench-prefix.ts";
import { median } from "./median.ts";
import { seededRandom } from "./seeded-random.ts";

const USAGE = "usage: tsx src/bench/latest-reach-bench.ts [--readers N] [--articles N] [--rounds N]";
const BATCH = 5000;
const ZONE = "Europe/Moscow";

async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; cpuMs: number; value: T }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const value = await run();
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { ms, cpuMs: (used.user + used.system) / 1000, value };
}

interface Sizes {
  readers: number;
  articleCount: number;
  rounds: number;
  redisUrl: string;
}

function sizes(args: string[]): Sizes {
  const values = benchOptions(args, { readers: "1000000", articles: "1000", rounds: "5" });
  const readers = Number(values.readers);
  const articleCount = Number(values.articles);
  const rounds = Number(values.rounds);
  requireCounts(
    [
      ["--readers", readers],
      ["--articles", articleCount],
      ["--rounds", rounds],
    ],
    USAGE,
  );
  return { readers, articleCount, rounds, redisUrl: values["redis-url"] };
}

const log = (line: string) => process.stderr.write(`${line}\n`);

async function seedReaders(
  stores: { chats: ChatStore; subscriptions: SubscriptionStore },
  readers: number,
  others: readonly string[],
): Promise<void> {
  const next = seededRandom(18);
  log(`seeding ${readers} readers…`);
  const seedStarted = performance.now();
  for (let from = 0; from < readers; from += BATCH) {
    const batch: ChatSettings[] = [];
    const pairs: { chatId: number; slug: string }[] = [];
    for (let i = from; i < Math.min(from + BATCH, readers); i++) {
      const lang = next() < 0.1 ? "en" : "ru";
      const chat = { ...newChat(10_000_000 + i, "private", lang, ZONE), active: next() >= 0.05 };
      batch.push(chat);
      const followed = new Set<string>();
      const wants = 1 + Math.floor(next() * 3);
      if (next() < 0.6) followed.add("chechnya");
      while (followed.size < wants) followed.add(others[Math.floor(next() * others.length)] ?? "dagestan");
      for (const slug of followed) pairs.push({ chatId: chat.id, slug });
    }
    await stores.chats.saveMany(batch);
    await stores.subscriptions.subscribeMany(pairs);
  }
  log(`  ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`);
}

async function recordArticles(articles: ArticleStore, articleCount: number, others: readonly string[]) {
  log(`recording ${articleCount} articles with 4 KB teasers…`);
  const now = Date.now();
  for (let i = 0; i < articleCount; i++) {
    const at = new Date(now - (articleCount - i) * 60_000).toISOString();
    const article: Article = {
      id: `latestbench-${i}`,
      url: `https://www.kavkaz-uzel.eu/articles/${i}`,
      headline: `Новость номер ${i} о событиях в регионе`,
      teaser: "Тизер длиной в четыре килобайта. ".repeat(64).slice(0, 4096),
      topics: [],
      regions: [i % 3 === 0 ? "chechnya" : (others[i % others.length] ?? "dagestan")],
      lang: "ru",
      publishedAt: at,
      breaking: false,
    };
    await articles.record(article, at);
  }
}

/** /latest for a chat that follows chechnya with a filter no article passes. */
async function timeLatest(latest: LatestArticles, rounds: number) {
  const parsed = parseFilter("+qqqqq");
  if (!parsed.ok) throw new Error(parsed.reason);
  const options = { ...defaultReaderOptions(), filters: [parsed.filter] };
  const slugs = new Set(["chechnya"]);
  const wanted = (a: Article) =>
    readsEdition({ editions: "ru" }, a.lang) &&
    [...a.topics, ...a.regions].some((s) => slugs.has(s)) &&
    ((a.breaking && !options.filterBreaking) ||
      passesFilters(options.filters, { headline: a.headline, teaser: a.teaser }));
  // An installation upgraded from before /latest's index fills it once, on its first call: not timed.
  await latest.fill();
  const scope = { slugs, editions: ["ru"] as const };
  const latestRuns = [];
  for (let round = 0; round < rounds; round++)
    latestRuns.push(await timed(() => latest.find(scope, wanted, 5)));
  return latestRuns;
}

/**
 * The reach of a breaking alert to chechnya and dagestan, Russian edition: as the editor's taps
 * count it, and counted exactly over every shard (what the estimate stands in for).
 */
async function timeReach(subscriptions: SubscriptionStore, rounds: number) {
  const reachRuns = [];
  for (let round = 0; round < rounds; round++)
    reachRuns.push(await timed(() => countReach(subscriptions, ["chechnya", "dagestan"], "ru")));
  const exactRun = await timed(() =>
    countReach(subscriptions, ["chechnya", "dagestan"], "ru", Number.POSITIVE_INFINITY),
  );
  return { reachRuns, exactRun };
}

const medianOf = (runs: readonly { ms: number; cpuMs: number }[]) => ({
  medianMs: Number(median(runs.map((r) => r.ms)).toFixed(1)),
  medianCpuMs: Number(median(runs.map((r) => r.cpuMs)).toFixed(1)),
});

export async function runLatestReachBench(args: string[]): Promise<void> {
  const { readers, articleCount, rounds, redisUrl } = sizes(args);
  const prefix = benchPrefix("nq");
  const redis = new Redis(redisUrl);
  const keys = redisKeys(prefix);
  const chats = new ChatStore(redis, keys);
  const subscriptions = new SubscriptionStore(redis, keys);
  const catalog = defaultCatalog();
  await new CatalogStore(redis, keys).seedOnce(catalog);
  const others = catalog.filter((e) => e.kind === "region" && e.slug !== "chechnya").map((e) => e.slug);

  try {
    await seedReaders({ chats, subscriptions }, readers, others);
    await recordArticles(new ArticleStore(redis, keys), articleCount, others);
    const latestRuns = await timeLatest(new LatestArticles(redis, keys), rounds);
    const { reachRuns, exactRun } = await timeReach(subscriptions, rounds);
    const report = {
      readers,
      articles: articleCount,
      rounds,
      latest: { ...medianOf(latestRuns), found: latestRuns[0]?.value.length ?? 0 },
      reach: { ...medianOf(reachRuns), ...reachRuns[0]?.value },
      reachExactEveryShard: {
        ms: Number(exactRun.ms.toFixed(1)),
        cpuMs: Number(exactRun.cpuMs.toFixed(1)),
        ...exactRun.value,
      },
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } finally {
    log("cleaning up…");
    await deleteKeysUnder(redis, prefix);
    redis.disconnect();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runLatestReachBench(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
