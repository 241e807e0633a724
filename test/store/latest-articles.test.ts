import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import type { Article } from "../../src/domain/article.ts";
import { ArticleStore } from "../../src/store/article-store.ts";
import { redisKeys } from "../../src/store/keys.ts";
import { LatestArticles } from "../../src/store/latest-articles.ts";
import { scanKeys } from "../../src/store/redis.ts";
import { eventually } from "../support/eventually.ts";
import { deletePrefix, SHARED_REDIS_URL, testPrefix } from "../support/redis.ts";

const prefix = testPrefix("latest-articles");
const redis = new Redis(SHARED_REDIS_URL);

afterAll(async () => {
  await deletePrefix(redis, prefix);
  redis.disconnect();
});

const DAY = 24 * 3600 * 1000;

function fresh(name: string) {
  const keys = redisKeys(`${prefix}-${name}`);
  return { keys, articles: new ArticleStore(redis, keys), latest: new LatestArticles(redis, keys) };
}

const article = (n: number, extra: Partial<Article> = {}): Article => ({
  id: `a-${n}`,
  url: `https://www.kavkaz-uzel.eu/articles/${n}`,
  headline: `Новость ${n}`,
  teaser: "",
  topics: [],
  regions: ["chechnya"],
  lang: "ru",
  publishedAt: new Date(Date.now() - DAY).toISOString(),
  breaking: false,
  ...extra,
});

const all = () => true;
const ids = (found: { article: Article }[]) => found.map((f) => f.article.id);

describe("/latest's reading of the articles", () => {
  it("finds the newest articles of the chat's slugs in its editions, each once, newest first", async () => {
    const { articles, latest } = fresh("scope");
    const now = Date.now();
    const items = [
      article(1),
      article(2, { regions: ["dagestan"] }),
      article(3, { regions: ["chechnya", "dagestan"] }),
      article(4, { lang: "en" }),
      article(5, { regions: [], topics: ["courts"] }),
    ];
    for (const [i, a] of items.entries())
      await articles.record(a, new Date(now - (10 - i) * 1000).toISOString());
    const scope = (slugs: string[], editions: ("ru" | "en")[]) => ({ slugs, editions });
    expect(ids(await latest.find(scope(["chechnya", "dagestan"], ["ru"]), all, 5))).toEqual([
      "a-3",
      "a-2",
      "a-1",
    ]);
    expect(ids(await latest.find(scope(["chechnya"], ["ru", "en"]), all, 5))).toEqual(["a-4", "a-3", "a-1"]);
    expect(ids(await latest.find(scope(["chechnya"], ["ru", "en"]), all, 2))).toEqual(["a-4", "a-3"]);
    expect(ids(await latest.find(scope(["courts"], ["en"]), all, 5))).toEqual([]);
    expect(await latest.find(scope([], ["ru"]), all, 5)).toEqual([]);
  });

  it("leaves out articles recorded more than 8 days ago", async () => {
    const { articles, latest } = fresh("old");
    await articles.record(
      article(1, { regions: ["ingushetia"] }),
      new Date(Date.now() - 9 * DAY).toISOString(),
    );
    await articles.record(
      article(2, { regions: ["ingushetia"] }),
      new Date(Date.now() - 7 * DAY).toISOString(),
    );
    expect(ids(await latest.find({ slugs: ["ingushetia"], editions: ["ru"] }, all, 5))).toEqual(["a-2"]);
  });

  it("fills the index once with articles recorded before it existed", async () => {
    const { keys, articles, latest } = fresh("fill");
    for (let n = 1; n <= 3; n++)
      await articles.record(article(n), new Date(Date.now() - (5 - n) * 1000).toISOString());
    // As an installation upgraded from before the index: the articles are there, the index is not.
    for await (const batch of scanKeys(redis, `${keys.prefix}:article:latest:*`)) await redis.del(...batch);
    expect(await redis.exists(keys.articleLatest("chechnya", "ru"))).toBe(0);
    expect(ids(await latest.find({ slugs: ["chechnya"], editions: ["ru"] }, all, 5))).toEqual([
      "a-3",
      "a-2",
      "a-1",
    ]);
    expect(await redis.exists(keys.articleLatestFilled)).toBe(1);
    expect(await redis.pttl(keys.articleLatest("chechnya", "ru"))).toBeGreaterThan(0);
    // Another process sees the marker and does not fill again.
    await redis.del(keys.articleLatest("chechnya", "ru"));
    const other = new LatestArticles(redis, keys);
    expect(await other.find({ slugs: ["chechnya"], editions: ["ru"] }, all, 5)).toEqual([]);
  });

  it("lets a chat call once per window: the second call is told to wait, later ones are ignored", async () => {
    const { keys, latest } = fresh("calls");
    expect(await latest.claimCall(42, 300)).toBe("go");
    expect(await latest.claimCall(42, 300)).toBe("wait");
    expect(await latest.claimCall(42, 300)).toBe("quiet");
    expect(await latest.claimCall(43, 300)).toBe("go");
    // The window is the key's life: once Redis has let it go, the chat may call again.
    await eventually(async () => (await redis.exists(keys.latestCalls(42))) === 0, 5000, "the window over");
    expect(await latest.claimCall(42, 300)).toBe("go");
  });
});
