import { Redis } from "ioredis";
import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publishArticle } from "../../src/delivery/publish-article.ts";
import { createQueues, fanoutJobId, type Queues } from "../../src/delivery/queues.ts";
import { validateArticle } from "../../src/domain/article.ts";
import { ARTICLE_ID_TTL_S, ArticleStore } from "../../src/store/article-store.ts";
import { ArticleTexts } from "../../src/store/article-texts.ts";
import { defaultCatalog } from "../../src/store/catalog-seed.ts";
import { CatalogStore } from "../../src/store/catalog-store.ts";
import { redisKeys } from "../../src/store/keys.ts";
import { scanKeys } from "../../src/store/redis.ts";
import { articleInput } from "../support/delivery-harness.ts";
import { deletePrefix, SHARED_REDIS_URL, testPrefix } from "../support/redis.ts";

const prefix = testPrefix("dedupe");
const redis = new Redis(SHARED_REDIS_URL, { maxRetriesPerRequest: null });
const keys = redisKeys(prefix);
const catalog = new CatalogStore(redis, keys);
const articles = new ArticleStore(redis, keys);
const texts = new ArticleTexts(redis, keys, 30);
let queues: Queues;
const now = DateTime.fromISO("2026-11-27T12:00:00Z", { zone: "utc" });
const DAY_S = 24 * 3600;

beforeAll(async () => {
  await catalog.seedOnce(defaultCatalog());
  queues = createQueues(redis, keys.bullPrefix);
});

afterAll(async () => {
  await queues.close();
  await deletePrefix(redis, prefix);
  redis.disconnect();
});

const publish = (input: unknown) => publishArticle(input, { catalog, articles, texts, queues }, now);

async function published(input: Record<string, unknown>): Promise<number> {
  const result = await publish(input);
  if (result.status !== "queued") throw new Error(`expected queued, got ${JSON.stringify(result)}`);
  return result.seq;
}

/** As if the article's 30 days were over: its text and figures gone, its fan-out long finished. */
async function figuresExpired(seq: number): Promise<void> {
  await redis.del(keys.article(seq), keys.articleStats(seq));
  await queues.fanout.remove(fanoutJobId(seq));
}

describe("publishing the same article id again", () => {
  it("answers duplicate for an id whose figures have expired, queues nothing and recreates nothing", async () => {
    const input = articleInput();
    const seq = await published(input);
    await figuresExpired(seq);
    expect(await publish({ ...input, headline: "Sent a month later" })).toEqual({
      status: "duplicate",
      id: input.id,
      seq,
    });
    expect(await queues.fanout.getJob(fanoutJobId(seq))).toBeUndefined();
    expect(await redis.exists(keys.articleStats(seq), keys.article(seq))).toBe(0);
  });

  it("remembers an id for 90 days after it was last published, then takes it as a new article", async () => {
    const input = articleInput();
    const seq = await published(input);
    const ttl = () => redis.ttl(keys.articleId(String(input.id)));
    expect(await ttl()).toBeGreaterThan(ARTICLE_ID_TTL_S - 60);
    expect(ARTICLE_ID_TTL_S).toBe(90 * DAY_S);

    await redis.expire(keys.articleId(String(input.id)), 10 * DAY_S);
    expect(await publish(input)).toMatchObject({ status: "duplicate", seq });
    expect(await ttl()).toBeGreaterThan(ARTICLE_ID_TTL_S - 60);

    await figuresExpired(seq);
    await redis.del(keys.articleId(String(input.id)));
    const again = await publish(input);
    expect(again).toMatchObject({ status: "queued", id: input.id });
    expect(again.status === "queued" && again.seq).toBeGreaterThan(seq);
  });

  it("keeps ids with ':' and any other text apart", async () => {
    const a = articleInput({ id: "kavkaz-ru:https://www.kavkaz-uzel.eu/articles/1/" });
    const b = articleInput({ id: "kavkaz-ru:https://www.kavkaz-uzel.eu/articles/1" });
    const [seqA, seqB] = [await published(a), await published(b)];
    expect(seqA).not.toBe(seqB);
    expect(await articles.seqOf(String(a.id))).toBe(seqA);
    expect(await articles.seqOf(String(b.id))).toBe(seqB);
  });

  it("records an id published several times at once once, and queues it once", async () => {
    const input = articleInput();
    const results = await Promise.all(Array.from({ length: 5 }, () => publish(input)));
    expect(results.filter((r) => r.status === "queued")).toHaveLength(1);
    expect(results.filter((r) => r.status === "duplicate")).toHaveLength(4);
  });

  it("queues an article whose publish stopped after recording it, at the next publish of its id", async () => {
    const input = articleInput();
    const check = validateArticle(input, await catalog.all(), now);
    if (!check.ok) throw new Error(JSON.stringify(check.errors));
    const { seq } = await articles.record(check.article, now.toISO() ?? "");
    expect(await queues.fanout.getJob(fanoutJobId(seq))).toBeUndefined();
    expect(await publish(input)).toEqual({ status: "duplicate", id: input.id, seq });
    expect(await queues.fanout.getJob(fanoutJobId(seq))).toBeDefined();
    expect((await articles.stats(seq)).queued).toBe("1");
  });

  it("still knows the ids of the index kept before ids had keys of their own, and lets that index expire", async () => {
    await redis.hset(keys.articleIds, "legacy-1", 900001, "legacy-2", 900002);
    expect(await redis.ttl(keys.articleIds)).toBe(-1);
    const old = articleInput({ id: "legacy-1" });
    expect(await publish(old)).toEqual({ status: "duplicate", id: "legacy-1", seq: 900001 });
    expect(await redis.hexists(keys.articleIds, "legacy-1")).toBe(0);
    expect(await articles.seqOf("legacy-1")).toBe(900001);
    expect(await redis.ttl(keys.articleId("legacy-1"))).toBeGreaterThan(ARTICLE_ID_TTL_S - 60);
    expect(await articles.seqOf("legacy-2")).toBe(900002);
    expect(await redis.ttl(keys.articleIds)).toBeGreaterThan(ARTICLE_ID_TTL_S - 60);
  });

  it("leaves no article key without a TTL but the sequence counter and the recent index, which trims itself", async () => {
    for (let i = 0; i < 3; i++) await published(articleInput());
    const seq = await published(articleInput());
    await figuresExpired(seq);
    const lasting: string[] = [];
    for await (const batch of scanKeys(redis, `${prefix}:article*`)) {
      for (const key of batch) if ((await redis.ttl(key)) === -1) lasting.push(key);
    }
    expect(lasting.sort()).toEqual([keys.articleRecent, keys.articleSeq].sort());
  });
});
