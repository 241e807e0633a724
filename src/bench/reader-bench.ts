import { setTimeout as delay } from "node:timers/promises";
import type { Job } from "bullmq";
import { DateTime } from "luxon";
import { fanoutProcessor } from "../../jobs/fan-out.ts";
import { defaultTuning, startWorkers } from "../../jobs/workers.ts";
import type { FanoutJob } from "../delivery/queues.ts";
import { type ChatSettings, encodeChat, newChat } from "../domain/chat.ts";
import { parseFilter } from "../domain/keyword-filter.ts";
import { defaultReaderOptions, type ReaderOptions } from "../domain/reader-options.ts";
import { deleteKeysUnder } from "../store/redis.ts";
import { benchTable } from "./bench-table.ts";
import { median } from "./median.ts";
import { type Bench, log, type Sizes, setUp, sizes, ZONE } from "./reader-bench-setup.ts";

const ROUNDS = 3;

function filter(text: string) {
  const parsed = parseFilter(text);
  if (!parsed.ok) throw new Error(`bench filter ${text}: ${parsed.reason}`);
  return parsed.filter;
}

/** The options of the bench's non-default readers: 3 filters and quiet hours, the example. */
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

/** The bytes the chat settings string grows by with default options, and with 3 filters and quiet hours. */
function optionBytes() {
  const plain = newChat(1_000_000, "private", "ru", ZONE);
  const bytes = (c: ChatSettings) => Buffer.byteLength(encodeChat(c));
  return {
    extraDefault: bytes({ ...plain, options: defaultReaderOptions() }) - bytes(plain),
    extraThreeFiltersQuiet: bytes({ ...plain, options: sampleOptions(DateTime.now()) }) - bytes(plain),
  };
}

function benchFanout(bench: Bench, now: DateTime) {
  const { articles, fanout: cursor, deliveries, catalog, chats, subscriptions, held } = bench.stores;
  return fanoutProcessor({
    articles,
    fanout: cursor,
    deliveries,
    catalog,
    chats,
    subscriptions,
    held,
    queues: bench.queues,
    logger: bench.logger,
    now: () => now,
    maxBacklog: Number.POSITIVE_INFINITY,
  });
}

type Fanout = ReturnType<typeof benchFanout>;

/** N default chats against N chats of which 10 % have options, ROUNDS times each. */
async function timeFanout(bench: Bench, fanout: Fanout, n: number, now: DateTime, digestMode: ReaderOptions) {
  const withOptions = sampleOptions(now);
  log(`seeding ${n} default chats and ${n} chats with 10 % options…`);
  await bench.seed(n, "chechnya", (i) => newChat(1_000_000 + i, "private", "ru", ZONE));
  await bench.seed(n, "dagestan", (i) => {
    const chat = newChat(3_000_000 + i, "private", "ru", ZONE);
    // Every tenth chat has options: filters with quiet hours, or digest mode.
    if (i % 10 !== 0) return chat;
    return { ...chat, options: i % 20 === 0 ? withOptions : digestMode };
  });
  const runFanout = async (region: string) => {
    const seq = await bench.record(region, now);
    const started = performance.now();
    await fanout({ data: { seq } } as Job<FanoutJob>);
    const seconds = (performance.now() - started) / 1000;
    await bench.queues.deliver.obliterate({ force: true });
    return { seconds, stats: await bench.stores.articles.stats(seq) };
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
  return { plainTimes, optionTimes, optionStats };
}

/** Holds `digestItems` articles for `digestChats` digest chats; returns one chat's digest and when it is due. */
async function holdDigests(
  bench: Bench,
  fanout: Fanout,
  sizes: Sizes,
  now: DateTime,
  digestMode: ReaderOptions,
) {
  const { digestChats, digestItems } = sizes;
  log(`holding ${digestItems} articles for ${digestChats} digest chats…`);
  // The fan-out rounds held articles for their readers with options: only the digest chats' count here.
  await bench.redis.del(bench.keys.heldDue);
  await bench.seed(digestChats, "ingushetia", (i) => ({
    ...newChat(5_000_000 + i, "private", "ru", ZONE),
    options: digestMode,
  }));
  for (let i = 0; i < digestItems; i++) {
    const seq = await bench.record("ingushetia", now.minus({ minutes: digestItems - i }));
    await fanout({ data: { seq } } as Job<FanoutJob>);
  }
  const sample = await bench.stores.held.held(5_000_000);
  const releaseMs = (await bench.stores.held.dueAt(5_000_000)) ?? 0;
  return { sample, release: DateTime.fromMillis(releaseMs).plus({ seconds: 1 }) };
}

/** Sends the held digests through the product's workers and the rate-limited fake, until none is left. */
async function sendDigests(bench: Bench, release: DateTime): Promise<void> {
  const started = Date.now();
  const workers = await startWorkers(bench.config, bench.logger, {
    tuning: defaultTuning(bench.config),
    now: () => release,
    digestTickMs: 1000,
  });
  try {
    for (;;) {
      await delay(500);
      const counts = await bench.queues.digests.getJobCounts("wait", "active", "delayed", "prioritized");
      // One delayed job is always there: the tick's next run.
      const pending =
        (counts.wait ?? 0) +
        (counts.active ?? 0) +
        (counts.prioritized ?? 0) +
        Math.max(0, (counts.delayed ?? 0) - 1);
      const due = await bench.redis.zcard(bench.keys.heldDue);
      if (process.env.BENCH_DEBUG) log(JSON.stringify({ counts, due }));
      if (pending === 0 && due === 0 && Date.now() - started > 3000) break;
    }
  } finally {
    await workers.close();
  }
}

/**
 * The readers' options at scale (issue 8's Scale table): bytes per chat, the fan-out of N chats
 * all default against N chats of which 10 % have options (filters, digest mode, quiet hours),
 * and a digest of many items to many chats through a rate-limited fake Bot API.
 */
export async function runReaderBench(args: string[]): Promise<void> {
  const options = sizes(args);
  const { n, digestChats, rate } = options;
  const bench = await setUp(options);
  try {
    const { extraDefault, extraThreeFiltersQuiet } = optionBytes();
    const now = DateTime.now().setZone(ZONE);
    const digestMode: ReaderOptions = { ...defaultReaderOptions(), mode: "digest", digestTimes: [] };
    const fanout = benchFanout(bench, now);
    const { plainTimes, optionTimes, optionStats } = await timeFanout(bench, fanout, n, now, digestMode);
    const { sample, release } = await holdDigests(bench, fanout, options, now, digestMode);
    log(`sending ${digestChats} digests of ${sample.items.length} items at ${rate}/s…`);
    await sendDigests(bench, release);
    const sent = await bench.fake.report();
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
    process.stdout.write(`${benchTable(report, 36)}\n${JSON.stringify(report)}\n`);
  } finally {
    await bench.queues.close();
    await deleteKeysUnder(bench.redis, bench.prefix);
    bench.redis.disconnect();
    await bench.fake.stop();
  }
}
