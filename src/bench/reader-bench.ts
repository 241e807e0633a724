import { setTimeout as delay } from "node:timers/promises";
import { parseArgs } from "node:util";
import type { Job } from "bullmq";
import { Redis } from "ioredis";
import { DateTime } from "luxon";
import { fanoutProcessor } from "../../jobs/fan-out.ts";
import { defaultTuning, startWorkers } from "../../jobs/workers.ts";
import { type Config, parseConfig } from "../config.ts";
import { createQueues, type FanoutJob } from "../delivery/queues.ts";
import type { Article } from "../domain/article.ts";
import { type ChatSettings, encodeChat, newChat } from "../domain/chat.ts";
import { parseFilter } from "../domain/keyword-filter.ts";
import { defaultReaderOptions, type ReaderOptions } from "../domain/reader-options.ts";
import { createLogger } from "../logger.ts";
import { defaultCatalog } from "../store/catalog-seed.ts";
import { createStores } from "../store/create-stores.ts";
import { redisKeys } from "../store/keys.ts";
import { deleteKeysUnder } from "../store/redis.ts";
import { benchPrefix } from "./bench-prefix.ts";
import { FakeBotApiProcess } from "./fake-bot-api-process.ts";

export const READER_BENCH_USAGE =
  "usage: newsbell bench readers [--chats 100000] [--digest-chats 10000] [--digest-items 50] [--rate 1000] [--redis-url URL]";

const ZONE = "Europe/Moscow";
const ROUNDS = 3;

function filter(text: string) {
  const parsed = parseFilter(text);
  if (!parsed.ok) throw new Error(`bench filter ${text}: ${parsed.reason}`);
  return parsed.filter;
}

/** The options of the bench's non-default readers: 3 filters and quiet hours, the issue's example. */
function sampleOptions(now: DateTime): ReaderOptions {
  const local = now.setZone(ZONE);
  const minute = local.hour * 60 + local.minute;
  return {
    ...defaultReaderOptions(),
    filters: [filter("-футбол"), filter("-спорт"), filter("-погода")],
    // Quiet now, so the article is held: the most work a reader's options can cost the fan-out.
    quiet: { from: (minute + 1380) % 1440, to: (minute + 60) % 1440 },
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

/**
 * The readers' options at scale (issue 8's Scale table): bytes per chat, the fan-out of N chats
 * all default against N chats of which 10 % have options (filters, digest mode, quiet hours),
 * and a digest of many items to many chats through a rate-limited fake Bot API.
 */
export async function runReaderBench(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      chats: { type: "string", default: "100000" },
      "digest-chats": { type: "string", default: "10000" },
      "digest-items": { type: "string", default: "50" },
      rate: { type: "string", default: "1000" },
      "redis-url": { type: "string", default: process.env.REDIS_URL ?? "redis://127.0.0.1:6379" },
    },
  });
  const n = Number(values.chats);
  const digestChats = Number(values["digest-chats"]);
  const digestItems = Number(values["digest-items"]);
  const rate = Number(values.rate);
  for (const [name, v] of [
    ["--chats", n],
    ["--digest-chats", digestChats],
    ["--digest-items", digestItems],
  ] as const)
    if (!Number.isInteger(v) || v < 1)
      throw new Error(`${name} must be a whole number above 0\n${READER_BENCH_USAGE}`);
  if (!Number.isInteger(rate) || rate < 1 || rate > 1000)
    throw new Error(`--rate must be 1 to 1000\n${READER_BENCH_USAGE}`);

  const prefix = benchPrefix("nr");
  const fake = await FakeBotApiProcess.start({ lean: true, rateLimit: { perSecond: rate, slack: 0.1 } });
  const config: Config = parseConfig({
    BOT_TOKEN: "123456:BENCH",
    TELEGRAM_API_ROOT: fake.apiRoot,
    REDIS_URL: values["redis-url"],
    REDIS_PREFIX: prefix,
    SEND_RATE: String(rate),
    PAID_BROADCAST: rate > 30 ? "true" : "false",
    LOG_LEVEL: "warn",
  });
  const redis = new Redis(config.redisUrl);
  const keys = redisKeys(prefix);
  const {
    catalog,
    chats,
    subscriptions,
    articles,
    fanout: cursor,
    deliveries,
    held,
  } = createStores(redis, keys, config);
  const queues = createQueues(redis, keys.bullPrefix);
  const logger = createLogger("warn");
  await catalog.seedOnce(defaultCatalog());
  const log = (line: string) => process.stderr.write(`${line}\n`);
  let articleNo = 0;
  const record = async (region: string, at: DateTime) => {
    articleNo++;
    const article: Article = {
      id: `readerbench-${articleNo}`,
      url: `https://www.kavkaz-uzel.eu/articles/readerbench-${articleNo}/`,
      headline: `Новость номер ${articleNo} о событиях в регионе`,
      teaser: "Тизер обычной длины. ".repeat(8),
      topics: [],
      regions: [region],
      lang: "ru",
      publishedAt: at.toUTC().toISO() ?? "",
      breaking: false,
    };
    return (await articles.record(article, at.toUTC().toISO() ?? "")).seq;
  };
  const seed = async (count: number, region: string, settings: (i: number) => ChatSettings) => {
    for (let i = 0; i < count; i += 5000) {
      const batch = Array.from({ length: Math.min(5000, count - i) }, (_, j) => settings(i + j));
      await chats.saveMany(batch);
      await subscriptions.subscribeMany(batch.map((c) => ({ chatId: c.id, slug: region })));
    }
  };

  try {
    // 1. Bytes: the chat settings string with and without options.
    const plain = newChat(1_000_000, "private", "ru", ZONE);
    const bytes = (c: ChatSettings) => Buffer.byteLength(encodeChat(c));
    const extraDefault = bytes({ ...plain, options: defaultReaderOptions() }) - bytes(plain);
    const extraThreeFiltersQuiet = bytes({ ...plain, options: sampleOptions(DateTime.now()) }) - bytes(plain);

    // 2. Fan-out: N default chats against N chats of which 10 % have options.
    const now = DateTime.now().setZone(ZONE);
    const withOptions = sampleOptions(now);
    const digestMode: ReaderOptions = { ...defaultReaderOptions(), mode: "digest", digestTimes: [] };
    log(`seeding ${n} default chats and ${n} chats with 10 % options…`);
    await seed(n, "chechnya", (i) => newChat(1_000_000 + i, "private", "ru", ZONE));
    await seed(n, "dagestan", (i) => {
      const chat = newChat(3_000_000 + i, "private", "ru", ZONE);
      // Every tenth chat has options: filters with quiet hours, or digest mode.
      if (i % 10 !== 0) return chat;
      return { ...chat, options: i % 20 === 0 ? withOptions : digestMode };
    });
    const fanout = fanoutProcessor({
      articles,
      fanout: cursor,
      deliveries,
      catalog,
      chats,
      subscriptions,
      held,
      queues,
      logger,
      now: () => now,
      maxBacklog: Number.POSITIVE_INFINITY,
    });
    const runFanout = async (region: string) => {
      const seq = await record(region, now);
      const started = performance.now();
      await fanout({ data: { seq } } as Job<FanoutJob>);
      const seconds = (performance.now() - started) / 1000;
      await queues.deliver.obliterate({ force: true });
      return { seconds, stats: await articles.stats(seq) };
    };
    const plainTimes: number[] = [];
    const optionTimes: number[] = [];
    let optionStats: Awaited<ReturnType<typeof runFanout>>["stats"] | undefined;
    for (let round = 0; round < ROUNDS; round++) {
      plainTimes.push((await runFanout("chechnya")).seconds);
      const routed = await runFanout("dagestan");
      optionTimes.push(routed.seconds);
      optionStats = routed.stats;
      log(
        `fan-out round ${round + 1}: default ${plainTimes.at(-1)?.toFixed(2)} s, 10 % options ${routed.seconds.toFixed(2)} s`,
      );
    }

    // 3. A digest of many items for many chats, through the workers and the rate-limited fake.
    log(`holding ${digestItems} articles for ${digestChats} digest chats…`);
    // The fan-out rounds held articles for their readers with options: only the digest chats' count here.
    await redis.del(keys.heldDue);
    await seed(digestChats, "ingushetia", (i) => ({
      ...newChat(5_000_000 + i, "private", "ru", ZONE),
      options: digestMode,
    }));
    for (let i = 0; i < digestItems; i++) {
      const seq = await record("ingushetia", now.minus({ minutes: digestItems - i }));
      await fanout({ data: { seq } } as Job<FanoutJob>);
    }
    const sample = await held.held(5_000_000);
    const releaseMs = (await held.dueAt(5_000_000)) ?? 0;
    const release = DateTime.fromMillis(releaseMs).plus({ seconds: 1 });
    log(`sending ${digestChats} digests of ${sample.items.length} items at ${rate}/s…`);
    const started = Date.now();
    const workers = await startWorkers(config, logger, {
      tuning: defaultTuning(config),
      now: () => release,
      digestTickMs: 1000,
    });
    try {
      for (;;) {
        await delay(500);
        const counts = await queues.digests.getJobCounts("wait", "active", "delayed", "prioritized");
        // One delayed job is always there: the tick's next run.
        const pending =
          (counts.wait ?? 0) +
          (counts.active ?? 0) +
          (counts.prioritized ?? 0) +
          Math.max(0, (counts.delayed ?? 0) - 1);
        const due = await redis.zcard(keys.heldDue);
        if (process.env.BENCH_DEBUG) log(JSON.stringify({ counts, due }));
        if (pending === 0 && due === 0 && Date.now() - started > 3000) break;
      }
    } finally {
      await workers.close();
    }
    const sent = await fake.report();
    const digestCounts = sent.perChatCounts.filter(([id]) => id >= 5_000_000 && id < 5_000_000 + digestChats);
    const parts = median(digestCounts.map(([, c]) => c));
    const lost = digestChats - digestCounts.length + digestCounts.filter(([, c]) => c < parts).length;
    const duplicates = digestCounts.reduce((a, [, c]) => a + Math.max(0, c - parts), 0);
    const seconds = (sent.lastAt - sent.firstAt) / 1000;
    const report = {
      extraBytesDefaultChat: extraDefault,
      extraBytesThreeFiltersAndQuietHours: extraThreeFiltersQuiet,
      chats: n,
      fanoutDefaultSeconds: Number(median(plainTimes).toFixed(3)),
      fanoutTenPercentOptionsSeconds: Number(median(optionTimes).toFixed(3)),
      fanoutRatio: Number((median(optionTimes) / median(plainTimes)).toFixed(3)),
      fanoutOptionsSkipped: JSON.stringify(optionStats?.skipped ?? {}),
      digestChats,
      digestItems: sample.items.length,
      messagesPerDigest: parts,
      digestMessagesSent: sent.accepted,
      digestSeconds: Number(seconds.toFixed(2)),
      achievedPerSecond: Math.round(sent.accepted / Math.max(seconds, 0.001)),
      sendRate: rate,
      busiestSecond: sent.busiestSecond,
      received429: sent.rateLimited429s,
      digestsLost: lost,
      digestDuplicates: duplicates,
    };
    process.stdout.write(
      `${Object.entries(report)
        .map(([k, v]) => `${k.padEnd(36)} ${String(v)}`)
        .join("\n")}\n${JSON.stringify(report)}\n`,
    );
  } finally {
    await queues.close();
    await deleteKeysUnder(redis, prefix);
    redis.disconnect();
    await fake.stop();
  }
}
