import { Redis } from "ioredis";
import type { DateTime } from "luxon";
import { type Config, parseConfig } from "../config.ts";
import { createQueues, type Queues } from "../delivery/queues.ts";
import type { Article } from "../domain/article.ts";
import type { ChatSettings } from "../domain/chat.ts";
import { createLogger } from "../logger.ts";
import { defaultCatalog } from "../store/catalog-seed.ts";
import { createStores, type Stores } from "../store/create-stores.ts";
import { type RedisKeys, redisKeys } from "../store/keys.ts";
import { benchEnv } from "./bench-env.ts";
import { benchOptions, requireCounts } from "./bench-options.ts";
import { benchPrefix } from "./bench-prefix.ts";
import { FakeBotApiProcess } from "./fake-bot-api-process.ts";

export const READER_BENCH_USAGE =
  "usage: newsbell bench readers [--chats 100000] [--digest-chats 10000] [--digest-items 50] [--rate 1000] [--redis-url URL]";

/** The readers' zone: quiet hours are read in it. */
export const ZONE = "Europe/Moscow";

export interface Sizes {
  n: number;
  digestChats: number;
  digestItems: number;
  rate: number;
  redisUrl: string;
}

export function sizes(args: string[]): Sizes {
  const values = benchOptions(args, {
    chats: "100000",
    "digest-chats": "10000",
    "digest-items": "50",
    rate: "1000",
  });
  const n = Number(values.chats);
  const digestChats = Number(values["digest-chats"]);
  const digestItems = Number(values["digest-items"]);
  const rate = Number(values.rate);
  requireCounts(
    [
      ["--chats", n],
      ["--digest-chats", digestChats],
      ["--digest-items", digestItems],
    ],
    READER_BENCH_USAGE,
  );
  if (!Number.isInteger(rate) || rate < 1 || rate > 1000)
    throw new Error(`--rate must be 1 to 1000\n${READER_BENCH_USAGE}`);
  return { n, digestChats, digestItems, rate, redisUrl: values["redis-url"] };
}

export const log = (line: string) => process.stderr.write(`${line}\n`);

/** The fake Bot API, the product's stores and queues under a throw-away prefix, and the bench's writers. */
export interface Bench {
  prefix: string;
  fake: FakeBotApiProcess;
  config: Config;
  redis: Redis;
  keys: RedisKeys;
  stores: Stores;
  queues: Queues;
  logger: ReturnType<typeof createLogger>;
  /** Records an article to `region`, published at `at`; returns its seq. */
  record: (region: string, at: DateTime) => Promise<number>;
  /** Saves `count` chats, each following `region`. */
  seed: (count: number, region: string, settings: (i: number) => ChatSettings) => Promise<void>;
}

export async function setUp({ rate, redisUrl }: Sizes): Promise<Bench> {
  const prefix = benchPrefix("nr");
  const fake = await FakeBotApiProcess.start({ lean: true, rateLimit: { perSecond: rate, slack: 0.1 } });
  const config: Config = parseConfig(benchEnv(fake.apiRoot, redisUrl, prefix, rate));
  const redis = new Redis(config.redisUrl);
  const keys = redisKeys(prefix);
  const stores = createStores(redis, keys, config);
  const queues = createQueues(redis, keys.bullPrefix);
  const logger = createLogger("warn");
  await stores.catalog.seedOnce(defaultCatalog());
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
    return (await stores.articles.record(article, at.toUTC().toISO() ?? "")).seq;
  };
  const seed = async (count: number, region: string, settings: (i: number) => ChatSettings) => {
    for (let i = 0; i < count; i += 5000) {
      const batch = Array.from({ length: Math.min(5000, count - i) }, (_, j) => settings(i + j));
      await stores.chats.saveMany(batch);
      await stores.subscriptions.subscribeMany(batch.map((c) => ({ chatId: c.id, slug: region })));
    }
  };
  return { prefix, fake, config, redis, keys, stores, queues, logger, record, seed };
}
