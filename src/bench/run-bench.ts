import { setTimeout as delay } from "node:timers/promises";
import { SingleBar } from "cli-progress";
import { Redis } from "ioredis";
import { DateTime } from "luxon";
import { defaultTuning } from "../../jobs/workers.ts";
import { type Config, parseConfig } from "../config.ts";
import { publishArticle } from "../delivery/publish-article.ts";
import { createQueues } from "../delivery/queues.ts";
import { ArticleStore } from "../store/article-store.ts";
import { ArticleTexts } from "../store/article-texts.ts";
import { defaultCatalog } from "../store/catalog-seed.ts";
import { CatalogStore } from "../store/catalog-store.ts";
import { ChatStore } from "../store/chat-store.ts";
import { redisKeys } from "../store/keys.ts";
import { deleteKeysUnder } from "../store/redis.ts";
import { SubscriptionStore } from "../store/subscription-store.ts";
import { AUDIENCES, type Audience, importSubscribers } from "./bench-audience.ts";
import { benchEnv } from "./bench-env.ts";
import { benchOptions, requireCounts } from "./bench-options.ts";
import { benchPrefix } from "./bench-prefix.ts";
import { benchTable } from "./bench-table.ts";
import type { BenchWorkerReport } from "./bench-worker-child.ts";
import { BenchWorkerProcess } from "./bench-worker-process.ts";
import { FakeBotApiProcess } from "./fake-bot-api-process.ts";
import { bytesUnder, type DeliveryPeaks, sampleDeliveryPeaks } from "./redis-bytes.ts";

export const BENCH_USAGE =
  "usage: newsbell bench [--subscribers N] [--rate MSGS_PER_S (0 = unlimited)] [--slack 0.1] [--audience spread|three-slugs] [--redis-url URL]";

interface RunOptions {
  n: number;
  rate: number;
  slack: number;
  audience: Audience;
  redisUrl: string;
}

function runOptions(args: string[]): RunOptions {
  const values = benchOptions(args, {
    subscribers: "100000",
    rate: "1000",
    slack: "0.1",
    audience: "spread",
  });
  const n = Number(values.subscribers);
  const rate = Number(values.rate);
  requireCounts([["--subscribers", n]], BENCH_USAGE);
  if (!Number.isInteger(rate) || rate < 0 || rate > 1000)
    throw new Error(`--rate must be 0 to 1000\n${BENCH_USAGE}`);
  const audience = AUDIENCES.find((a) => a === values.audience);
  if (!audience) throw new Error(`--audience must be ${AUDIENCES.join(" or ")}\n${BENCH_USAGE}`);
  return { n, rate, slack: Number(values.slack), audience, redisUrl: values["redis-url"] };
}

/** The fake Bot API, the product's stores under a throw-away prefix, and Redis's settings as found. */
interface Bench {
  prefix: string;
  fake: FakeBotApiProcess;
  env: Record<string, string>;
  config: Config;
  redis: Redis;
  keys: ReturnType<typeof redisKeys>;
  catalog: CatalogStore;
  chats: ChatStore;
  subs: SubscriptionStore;
  articles: ArticleStore;
  texts: ArticleTexts;
  slugs: string[];
  slowlogThreshold: string[];
  listpackEntries: number;
}

async function setUp({ rate, slack, redisUrl }: RunOptions): Promise<Bench> {
  const prefix = benchPrefix("nb");
  const fake = await FakeBotApiProcess.start({
    lean: true,
    ...(rate > 0 ? { rateLimit: { perSecond: rate, slack } } : {}),
  });
  const env = benchEnv(fake.apiRoot, redisUrl, prefix, rate);
  const config: Config = parseConfig(env);
  const redis = new Redis(config.redisUrl);
  const keys = redisKeys(prefix);
  const catalog = new CatalogStore(redis, keys);
  await catalog.seedOnce(defaultCatalog());
  const slowlogThreshold = (await redis.config("GET", "slowlog-log-slower-than")) as string[];
  // Bytes per subscriber and per alert depend on it (see docker-compose.yml): the report says it.
  const listpackEntries = Number(
    ((await redis.config("GET", "hash-max-listpack-entries")) as string[])[1] ?? Number.NaN,
  );
  await redis.config("SET", "slowlog-log-slower-than", "10000");
  await redis.slowlog("RESET");
  return {
    prefix,
    fake,
    env,
    config,
    redis,
    keys,
    catalog,
    chats: new ChatStore(redis, keys),
    subs: new SubscriptionStore(redis, keys),
    articles: new ArticleStore(redis, keys),
    texts: new ArticleTexts(redis, keys, 30),
    slugs: defaultCatalog().map((e) => e.slug),
    slowlogThreshold,
    listpackEntries,
  };
}

function benchArticle(prefix: string, audience: Audience, body: string | undefined): Record<string, unknown> {
  const slugsOf = (kind: string) =>
    defaultCatalog()
      .filter((e) => e.kind === kind)
      .map((e) => e.slug);
  return {
    id: `bench-${prefix}`,
    url: "https://www.kavkaz-uzel.eu/articles/bench/",
    headline: "Benchmark article",
    teaser: "A teaser of ordinary length, to make each alert as large as a real one. ".repeat(4),
    ...(audience === "three-slugs"
      ? { topics: [], regions: ["chechnya", "dagestan"] }
      : { topics: slugsOf("topic"), regions: slugsOf("region") }),
    lang: "ru",
    ...(body !== undefined ? { body } : {}),
  };
}

interface Delivery {
  seq: number;
  publishedAt: number;
  product: BenchWorkerReport;
  peaks: DeliveryPeaks;
}

/** Publishes the article and waits for its last outcome, the product's worker in a process of its own. */
async function deliver(
  bench: Bench,
  o: RunOptions,
  bar: SingleBar,
  body: string | undefined,
): Promise<Delivery> {
  const worker = await BenchWorkerProcess.start({
    env: bench.env,
    tuning:
      o.rate === 0
        ? { deliverConcurrency: 16, sendConcurrency: 25, fanoutConcurrency: 1, sendRate: 0 }
        : defaultTuning(bench.config),
    redisPort: Number(new URL(bench.config.redisUrl).port || 6379),
  });
  const queues = createQueues(bench.redis, bench.keys.bullPrefix);
  const sampler = sampleDeliveryPeaks(bench.redis, queues, bench.prefix);
  worker.mark();
  const publishedAt = Date.now();
  const { catalog, articles, texts } = bench;
  const result = await publishArticle(
    benchArticle(bench.prefix, o.audience, body),
    { catalog, articles, texts, queues },
    DateTime.utc(),
  );
  if (result.status !== "queued") throw new Error(`bench article not queued: ${JSON.stringify(result)}`);
  bar.start(o.n, 0, { phase: "delivery", rate: 0 });
  for (;;) {
    const stats = await articles.stats(result.seq);
    const elapsed = (Date.now() - publishedAt) / 1000;
    bar.update(stats.done, { rate: Math.round(stats.sent / Math.max(elapsed, 0.001)) });
    if (stats.finishedAt) break;
    await delay(200);
  }
  bar.stop();
  const peaks = await sampler.stop();
  const product = await worker.report();
  await worker.stop();
  await queues.close();
  return { seq: result.seq, publishedAt, product, peaks };
}

/** The names of the Redis commands slower than 10 ms; the bench's own measuring (MEMORY USAGE, SCAN) is not the product's work. */
async function slowCommands(redis: Redis, product: BenchWorkerReport): Promise<string[]> {
  const slowEntries = (await redis.slowlog("GET", 128)) as [number, number, number, string[]][];
  if (process.env.BENCH_DEBUG) {
    process.stderr.write(`${JSON.stringify(slowEntries.map((e) => [e[2], e[3]?.slice(0, 4)]))}\n`);
    process.stderr.write(`${JSON.stringify(product.redisCommandsByName)}\n`);
  }
  return slowEntries
    .map((entry) => String(entry[3]?.[0] ?? "").toUpperCase())
    .filter((name) => !["MEMORY", "SCAN", "CONFIG", "SLOWLOG"].includes(name));
}

async function figures(
  bench: Bench,
  { n, rate, audience }: RunOptions,
  measured: Delivery & { importSeconds: number; subscriberBytes: number },
): Promise<Record<string, number | string | null>> {
  const { product, peaks, publishedAt } = measured;
  const sent = await bench.fake.report();
  const deliverySeconds = (sent.lastAt - sent.firstAt) / 1000;
  const achieved = sent.accepted / Math.max(deliverySeconds, 0.001);
  const duplicates = sent.perChatCounts.filter(([, c]) => c > 1).reduce((a, [, c]) => a + c - 1, 0);
  const stats = await bench.articles.stats(measured.seq);
  const slow = await slowCommands(bench.redis, product);
  const perAlert = (value: number) => value / Math.max(stats.sent, 1);
  return {
    subscribers: n,
    audience,
    sendRate: rate === 0 ? "unlimited" : rate,
    importSeconds: Number(measured.importSeconds.toFixed(2)),
    redisHashMaxListpackEntries: bench.listpackEntries,
    redisBytesPerSubscriber: Math.round(measured.subscriberBytes / n),
    firstSendAfterPublishMs: sent.firstAt - publishedAt,
    deliverySeconds: Number(deliverySeconds.toFixed(2)),
    achievedPerSecond: Math.round(achieved),
    achievedOfRate: rate > 0 ? Number((achieved / rate).toFixed(3)) : null,
    busiestSecond: sent.busiestSecond,
    received429: sent.rateLimited429s,
    sent: stats.sent,
    duplicates,
    misses: stats.recipients - sent.perChatCounts.length,
    peakWaitingJobs: peaks.peakWaiting,
    peakQueueAndLedgerMB: Number((peaks.peakQueueAndLedger / 1024 / 1024).toFixed(2)),
    peakQueueAndLedgerBytesPerAlert: Math.round(perAlert(peaks.peakQueueAndLedger)),
    slowRedisCommandsOver10ms: slow.length,
    slowRedisCommands: [...new Set(slow)].join(" ") || "none",
    maxEventLoopDelayMs: product.maxEventLoopDelayMs,
    cpuSeconds: Number((product.cpuMicros / 1e6).toFixed(1)),
    cpuMsPerAlert: Number(perAlert(product.cpuMicros / 1000).toFixed(3)),
    redisCommandsPerAlert: Number(perAlert(product.redisCommands).toFixed(3)),
    redisRoundTripsPerAlert: Number(perAlert(product.redisWrites).toFixed(3)),
    peakRssMB: Math.round(product.peakRss / 1024 / 1024),
  };
}

/**
 * Builds N synthetic subscribers under a throw-away prefix, delivers one article to all of
 * them through a fake Bot API, in a process of its own, that enforces the rate, and reports the figures.
 */
export async function runBench(
  args: string[],
  extra: {
    /** The article's full text (HTML): its alerts then carry the "Read here" button. */
    body?: string;
  } = {},
): Promise<Record<string, number | string | null>> {
  const options = runOptions(args);
  const bench = await setUp(options);
  const bar = new SingleBar({ format: "{phase} [{bar}] {value}/{total} {rate}/s", stream: process.stderr });
  try {
    const importSeconds = await importSubscribers(bench, { ...options, slugs: bench.slugs }, bar);
    const subscriberBytes = await bytesUnder(bench.redis, `${bench.prefix}:*`);
    const delivery = await deliver(bench, options, bar, extra.body);
    const report = await figures(bench, options, { ...delivery, importSeconds, subscriberBytes });
    process.stdout.write(
      `${benchTable(report, 28)}\n(CPU, RSS and Redis commands are the product worker's alone, in a process of its own, from publish to the last outcome; the fake Bot API and the bench's measuring run in other processes. Round trips: writes to Redis's socket, a pipeline being one.)\n`,
    );
    process.stdout.write(`${JSON.stringify(report)}\n`);
    return report;
  } finally {
    bar.stop();
    await bench.redis.config("SET", "slowlog-log-slower-than", bench.slowlogThreshold[1] ?? "10000");
    await deleteKeysUnder(bench.redis, bench.prefix);
    bench.redis.disconnect();
    await bench.fake.stop();
  }
}
