import { parseArgs } from "node:util";
import { Redis } from "ioredis";
import type { Article } from "../domain/article.ts";
import { AlertLookup } from "../store/alert-lookup.ts";
import { ArticleStore } from "../store/article-store.ts";
import { DeliveryLedger, type SettleEntry } from "../store/delivery-ledger.ts";
import { redisKeys } from "../store/keys.ts";
import { ReactionStore } from "../store/reaction-store.ts";
import { deleteKeysUnder } from "../store/redis.ts";
import { deliveryBenchArgs } from "./bench-options.ts";
import { benchPrefix } from "./bench-prefix.ts";
import { median } from "./median.ts";
import { runBench } from "./run-bench.ts";

export const REACTION_BENCH_USAGE =
  "usage: newsbell bench reactions [--articles N] [--chats N] [--lookups N] [--subscribers N] [--rate N] [--redis-url URL]";

const SETTLE_BATCH = 1000;

/** `articles` articles recorded now, each delivered to chats 1..`chats` (message id = seq + chat). */
async function fillLedgers(redis: Redis, prefix: string, articles: number, chats: number): Promise<number[]> {
  const keys = redisKeys(prefix);
  const store = new ArticleStore(redis, keys);
  const ledger = new DeliveryLedger(redis, keys);
  const now = new Date().toISOString();
  const seqs: number[] = [];
  for (let a = 0; a < articles; a++) {
    const article = {
      id: `reactions-bench-${a}`,
      url: `https://www.kavkaz-uzel.eu/articles/bench-${a}/`,
      headline: `Bench ${a}`,
      teaser: "Teaser.",
      topics: [],
      regions: ["chechnya"],
      lang: "ru",
      publishedAt: now,
      breaking: false,
    } as Article;
    const { seq } = await store.record(article, now);
    seqs.push(seq);
    for (let from = 1; from <= chats; from += SETTLE_BATCH) {
      const batch: SettleEntry[] = [];
      for (let chatId = from; chatId < from + SETTLE_BATCH && chatId <= chats; chatId++)
        batch.push({ seq, chatId, outcome: { kind: "sent", chatId, messageId: seq + chatId } });
      await ledger.settleMany(batch, now);
    }
  }
  return seqs;
}

/** Median and 99th percentile of `runs` calls of `lookup`, in ms, each a round trip of its own. */
async function timeLookups(runs: number, lookup: (i: number) => Promise<unknown>) {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await lookup(i);
    ms.push(performance.now() - started);
  }
  const sorted = [...ms].sort((a, b) => a - b);
  const p99 = sorted[Math.floor(sorted.length * 0.99)] ?? 0;
  return { medianMs: Number(median(ms).toFixed(3)), p99Ms: Number(p99.toFixed(3)) };
}

/** The lookup's cost against the articles of 48 h: the newest article's alert, the oldest's, no alert. */
async function lookupCosts(
  redis: Redis,
  prefix: string,
  opts: { articles: number; chats: number; runs: number },
) {
  const seqs = await fillLedgers(redis, prefix, opts.articles, opts.chats);
  const keys = redisKeys(prefix);
  const lookup = new AlertLookup(redis, keys, new ArticleStore(redis, keys));
  const newest = Math.max(...seqs);
  const oldest = Math.min(...seqs);
  const chat = (i: number) => 1 + (i % opts.chats);
  const searchAll = [...seqs].sort((a, b) => b - a);
  const found = await lookup.search(searchAll, chat(0), oldest + chat(0));
  if (found !== oldest) throw new Error(`lookup found ${found}, not ${oldest}`);
  const reactions = new ReactionStore(redis, keys);
  return {
    articlesIn48h: opts.articles,
    chatsPerArticle: opts.chats,
    lookupNewestArticle: await timeLookups(opts.runs, (i) =>
      lookup.search(searchAll, chat(i), newest + chat(i)),
    ),
    lookupOldestArticle: await timeLookups(opts.runs, (i) =>
      lookup.search(searchAll, chat(i), oldest + chat(i)),
    ),
    lookupNoAlert: await timeLookups(opts.runs, (i) => lookup.search(searchAll, chat(i), -1)),
    lookupCachedInLru: await timeLookups(opts.runs, async () => lookup.articleOf(chat(0), oldest + chat(0))),
    addOneReaderChange: await timeLookups(opts.runs, () => reactions.add(newest, { "👍": 1 })),
  };
}

/**
 * Readers' reactions in figures: what the article lookup costs per reaction with `--articles` in
 * 48 h, and the fan-out's cost per alert, which the reactions do not change: nothing is written
 * per alert for them (the ledger already maps chat → message id), so bytes and round trips per
 * alert are the fan-out's own.
 */
export async function runReactionBench(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      articles: { type: "string", default: "200" },
      chats: { type: "string", default: "5000" },
      lookups: { type: "string", default: "2000" },
      subscribers: { type: "string", default: "20000" },
      rate: { type: "string", default: "1000" },
      "redis-url": { type: "string", default: process.env.REDIS_URL ?? "redis://127.0.0.1:6379" },
    },
  });
  const [articles, chats, runs] = [Number(values.articles), Number(values.chats), Number(values.lookups)];
  if (![articles, chats, runs].every((n) => Number.isInteger(n) && n >= 1 && n <= 100_000))
    throw new Error(`--articles, --chats and --lookups must be 1 to 100000\n${REACTION_BENCH_USAGE}`);
  const redis = new Redis(values["redis-url"]);
  const prefix = benchPrefix("nbreact");
  let costs: Awaited<ReturnType<typeof lookupCosts>>;
  try {
    process.stderr.write(`filling ${articles} articles' ledgers of ${chats} chats each…\n`);
    costs = await lookupCosts(redis, prefix, { articles, chats, runs });
  } finally {
    await deleteKeysUnder(redis, prefix);
    redis.disconnect();
  }
  process.stderr.write("fan-out (the reactions add nothing to it):\n");
  const fanout = await runBench(deliveryBenchArgs(values));
  const report = {
    ...costs,
    bytesPerAlertAdded: 0,
    roundTripsPerAlertAdded: 0,
    fanout: {
      redisRoundTripsPerAlert: fanout.redisRoundTripsPerAlert,
      redisCommandsPerAlert: fanout.redisCommandsPerAlert,
      peakQueueAndLedgerBytesPerAlert: fanout.peakQueueAndLedgerBytesPerAlert,
      cpuMsPerAlert: fanout.cpuMsPerAlert,
    },
  };
  process.stdout.write(
    `\nReactions\n${Object.entries(report)
      .map(([k, v]) => `${k.padEnd(28)} ${typeof v === "object" ? JSON.stringify(v) : String(v)}`)
      .join(
        "\n",
      )}\n(Lookups: one script call each over every article's ledger shard of the chat, timed in this process, round trip included; ${runs} runs. Nothing is written per alert for reactions.)\n`,
  );
  process.stdout.write(`${JSON.stringify(report)}\n`);
}
