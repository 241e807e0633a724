import { setTimeout as delay } from "node:timers/promises";
import { parseArgs } from "node:util";
import { SingleBar } from "cli-progress";
import { Redis } from "ioredis";
import { DateTime } from "luxon";
import { defaultTuning } from "../../jobs/workers.ts";
import { type Config, parseConfig } from "../config.ts";
import { publishArticle } from "../delivery/publish-article.ts";
import { createQueues } from "../delivery/queues.ts";
import { newChat } from "../domain/chat.ts";
import { ArticleStore } from "../store/article-store.ts";
import { ArticleTexts } from "../store/article-texts.ts";
import { defaultCatalog } from "../store/catalog-seed.ts";
import { CatalogStore } from "../store/catalog-store.ts";
import { ChatStore } from "../store/chat-store.ts";
import { redisKeys } from "../store/keys.ts";
import { deleteKeysUnder, scanKeys } from "../store/redis.ts";
import { SubscriptionStore } from "../store/subscription-store.ts";
import { benchPrefix } from "./bench-prefix.ts";
import { BenchWorkerProcess } from "./bench-worker-process.ts";
import { FakeBotApiProcess } from "./fake-bot-api-process.ts";
import { seededRandom } from "./seeded-random.ts";

export const BENCH_USAGE =
  "usage: newsbell bench [--subscribers N] [--rate MSGS_PER_S (0 = unlimited)] [--slack 0.1] [--audience spread|three-slugs] [--redis-url URL]";

/**
 * Who follows what. "spread": 1–3 of every slug, the article to all of them. "three-slugs": the
 * shape of a newsroom whose main region dominates: each reader follows Chechnya (60 %), Dagestan
 * and Ingushetia (50 % each, at least one of the three), and the article goes to Chechnya and
 * Dagestan; the big slug's subscription shards then hold hundreds of chats each.
 */
const AUDIENCES = ["spread", "three-slugs"] as const;
type Audience = (typeof AUDIENCES)[number];

function followed(audience: Audience, rnd: () => number, slugs: readonly string[]): Set<string> {
  const picked = new Set<string>();
  if (audience === "three-slugs") {
    if (rnd() < 0.6) picked.add("chechnya");
    if (rnd() < 0.5) picked.add("dagestan");
    if (rnd() < 0.5) picked.add("ingushetia");
    if (picked.size === 0)
      picked.add(["chechnya", "dagestan", "ingushetia"][Math.floor(rnd() * 3)] as string);
    return picked;
  }
  const count = 1 + Math.floor(rnd() * 3);
  while (picked.size < count) picked.add(slugs[Math.floor(rnd() * slugs.length)] as string);
  return picked;
}

async function bytesUnder(redis: Redis, pattern: string): Promise<number> {
  let total = 0;
  for await (const keys of scanKeys(redis, pattern, 2000)) {
    const pipeline = redis.pipeline();
    for (const key of keys) pipeline.memory("USAGE", key, "SAMPLES", "0");
    for (const [, bytes] of (await pipeline.exec()) ?? []) total += Number(bytes ?? 0);
  }
  return total;
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
  const { values } = parseArgs({
    args,
    options: {
      subscribers: { type: "string", default: "100000" },
      rate: { type: "string", default: "1000" },
      slack: { type: "string", default: "0.1" },
      audience: { type: "string", default: "spread" },
      "redis-url": { type: "string", default: process.env.REDIS_URL ?? "redis://127.0.0.1:6379" },
    },
  });
  const n = Number(values.subscribers);
  const rate = Number(values.rate);
  const slack = Number(values.slack);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`--subscribers must be a whole number above 0\n${BENCH_USAGE}`);
  if (!Number.isInteger(rate) || rate < 0 || rate > 1000)
    throw new Error(`--rate must be 0 to 1000\n${BENCH_USAGE}`);
  const audience = AUDIENCES.find((a) => a === values.audience);
  if (!audience) throw new Error(`--audience must be ${AUDIENCES.join(" or ")}\n${BENCH_USAGE}`);

  const prefix = benchPrefix("nb");
  const fake = await FakeBotApiProcess.start({
    lean: true,
    ...(rate > 0 ? { rateLimit: { perSecond: rate, slack } } : {}),
  });
  const env = {
    BOT_TOKEN: "123456:BENCH",
    TELEGRAM_API_ROOT: fake.apiRoot,
    REDIS_URL: values["redis-url"],
    REDIS_PREFIX: prefix,
    SEND_RATE: String(rate > 0 ? rate : 1000),
    PAID_BROADCAST: rate > 30 || rate === 0 ? "true" : "false",
    LOG_LEVEL: "warn",
  };
  const config: Config = parseConfig(env);
  const redis = new Redis(config.redisUrl);
  const keys = redisKeys(prefix);
  const catalog = new CatalogStore(redis, keys);
  const chats = new ChatStore(redis, keys);
  const subs = new SubscriptionStore(redis, keys);
  const articles = new ArticleStore(redis, keys);
  const texts = new ArticleTexts(redis, keys, 30);
  const slugs = defaultCatalog().map((e) => e.slug);
  await catalog.seedOnce(defaultCatalog());
  const slowlogThreshold = (await redis.config("GET", "slowlog-log-slower-than")) as string[];
  // Bytes per subscriber and per alert depend on it (see docker-compose.yml): the report says it.
  const listpackEntries = Number(
    ((await redis.config("GET", "hash-max-listpack-entries")) as string[])[1] ?? Number.NaN,
  );
  await redis.config("SET", "slowlog-log-slower-than", "10000");
  await redis.slowlog("RESET");

  const bar = new SingleBar({ format: "{phase} [{bar}] {value}/{total} {rate}/s", stream: process.stderr });
  try {
    // 1. Subscribers.
    const rnd = seededRandom(42);
    const importStart = performance.now();
    bar.start(n, 0, { phase: "import  ", rate: 0 });
    for (let i = 0; i < n; i += 1000) {
      const batch: Promise<unknown>[] = [];
      for (let id = 1_000_000 + i; id < 1_000_000 + Math.min(n, i + 1000); id++) {
        batch.push(chats.save(newChat(id, "private", "ru", "Europe/Moscow")));
        for (const slug of followed(audience, rnd, slugs)) batch.push(subs.subscribe(id, slug));
      }
      await Promise.all(batch);
      bar.update(Math.min(n, i + 1000), {
        rate: Math.round((i + 1000) / ((performance.now() - importStart) / 1000)),
      });
    }
    bar.stop();
    const importSeconds = (performance.now() - importStart) / 1000;
    const subscriberBytes = await bytesUnder(redis, `${prefix}:*`);

    // 2. Delivery, by the product's worker in a process of its own.
    const worker = await BenchWorkerProcess.start({
      env,
      tuning:
        rate === 0
          ? { deliverConcurrency: 16, sendConcurrency: 25, fanoutConcurrency: 1, sendRate: 0 }
          : defaultTuning(config),
      redisPort: Number(new URL(config.redisUrl).port || 6379),
    });
    const queues = createQueues(redis, keys.bullPrefix);
    let peakWaiting = 0;
    let peakQueueAndLedger = 0;
    let sampling = true;
    const sampler = (async () => {
      let tick = 0;
      while (sampling) {
        const counts = await queues.deliver.getJobCounts("wait", "prioritized", "delayed");
        peakWaiting = Math.max(
          peakWaiting,
          (counts.wait ?? 0) + (counts.prioritized ?? 0) + (counts.delayed ?? 0),
        );
        if (tick++ % 20 === 0 && !process.env.NO_MEM) {
          const bytes =
            (await bytesUnder(redis, `${prefix}:bull:*`)) + (await bytesUnder(redis, `${prefix}:article:*`));
          peakQueueAndLedger = Math.max(peakQueueAndLedger, bytes);
        }
        await delay(100);
      }
    })();

    worker.mark();
    const publishedAt = Date.now();
    const result = await publishArticle(
      {
        id: `bench-${prefix}`,
        url: "https://www.kavkaz-uzel.eu/articles/bench/",
        headline: "Benchmark article",
        teaser: "A teaser of ordinary length, to make each alert as large as a real one. ".repeat(4),
        ...(audience === "three-slugs"
          ? { topics: [], regions: ["chechnya", "dagestan"] }
          : {
              topics: defaultCatalog()
                .filter((e) => e.kind === "topic")
                .map((e) => e.slug),
              regions: defaultCatalog()
                .filter((e) => e.kind === "region")
                .map((e) => e.slug),
            }),
        lang: "ru",
        ...(extra.body !== undefined ? { body: extra.body } : {}),
      },
      { catalog, articles, texts, queues },
      DateTime.utc(),
    );
    if (result.status !== "queued") throw new Error(`bench article not queued: ${JSON.stringify(result)}`);
    bar.start(n, 0, { phase: "delivery", rate: 0 });
    for (;;) {
      const stats = await articles.stats(result.seq);
      const elapsed = (Date.now() - publishedAt) / 1000;
      bar.update(stats.done, { rate: Math.round(stats.sent / Math.max(elapsed, 0.001)) });
      if (stats.finishedAt) break;
      await delay(200);
    }
    bar.stop();
    sampling = false;
    await sampler;
    const product = await worker.report();
    await worker.stop();
    await queues.close();
    // 3. Figures.
    const sent = await fake.report();
    const deliverySeconds = (sent.lastAt - sent.firstAt) / 1000;
    const achieved = sent.accepted / Math.max(deliverySeconds, 0.001);
    const duplicates = sent.perChatCounts.filter(([, c]) => c > 1).reduce((a, [, c]) => a + c - 1, 0);
    const stats = await articles.stats(result.seq);
    // The bench's own measuring (MEMORY USAGE, SCAN) is not the product's work.
    const slowEntries = (await redis.slowlog("GET", 128)) as [number, number, number, string[]][];
    if (process.env.BENCH_DEBUG) {
      process.stderr.write(`${JSON.stringify(slowEntries.map((e) => [e[2], e[3]?.slice(0, 4)]))}\n`);
      process.stderr.write(`${JSON.stringify(product.redisCommandsByName)}\n`);
    }
    const slowCommands = slowEntries
      .map((entry) => String(entry[3]?.[0] ?? "").toUpperCase())
      .filter((name) => !["MEMORY", "SCAN", "CONFIG", "SLOWLOG"].includes(name));
    const report = {
      subscribers: n,
      audience,
      sendRate: rate === 0 ? "unlimited" : rate,
      importSeconds: Number(importSeconds.toFixed(2)),
      redisHashMaxListpackEntries: listpackEntries,
      redisBytesPerSubscriber: Math.round(subscriberBytes / n),
      firstSendAfterPublishMs: sent.firstAt - publishedAt,
      deliverySeconds: Number(deliverySeconds.toFixed(2)),
      achievedPerSecond: Math.round(achieved),
      achievedOfRate: rate > 0 ? Number((achieved / rate).toFixed(3)) : null,
      busiestSecond: sent.busiestSecond,
      received429: sent.rateLimited429s,
      sent: stats.sent,
      duplicates,
      misses: stats.recipients - sent.perChatCounts.length,
      peakWaitingJobs: peakWaiting,
      peakQueueAndLedgerMB: Number((peakQueueAndLedger / 1024 / 1024).toFixed(2)),
      peakQueueAndLedgerBytesPerAlert: Math.round(peakQueueAndLedger / Math.max(stats.sent, 1)),
      slowRedisCommandsOver10ms: slowCommands.length,
      slowRedisCommands: [...new Set(slowCommands)].join(" ") || "none",
      maxEventLoopDelayMs: product.maxEventLoopDelayMs,
      cpuSeconds: Number((product.cpuMicros / 1e6).toFixed(1)),
      cpuMsPerAlert: Number((product.cpuMicros / 1000 / Math.max(stats.sent, 1)).toFixed(3)),
      redisCommandsPerAlert: Number((product.redisCommands / Math.max(stats.sent, 1)).toFixed(3)),
      redisRoundTripsPerAlert: Number((product.redisWrites / Math.max(stats.sent, 1)).toFixed(3)),
      peakRssMB: Math.round(product.peakRss / 1024 / 1024),
    };
    process.stdout.write(
      `${Object.entries(report)
        .map(([k, v]) => `${k.padEnd(28)} ${String(v)}`)
        .join(
          "\n",
        )}\n(CPU, RSS and Redis commands are the product worker's alone, in a process of its own, from publish to the last outcome; the fake Bot API and the bench's measuring run in other processes. Round trips: writes to Redis's socket, a pipeline being one.)\n`,
    );
    process.stdout.write(`${JSON.stringify(report)}\n`);
    return report;
  } finally {
    bar.stop();
    await redis.config("SET", "slowlog-log-slower-than", slowlogThreshold[1] ?? "10000");
    await deleteKeysUnder(redis, prefix);
    redis.disconnect();
    await fake.stop();
  }
}
