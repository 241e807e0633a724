import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { digestItems, renderDigestMessage } from "../../src/delivery/digest-render.ts";
import { DEFAULT_FOREIGN_AGENT_LABEL } from "../../src/domain/label.ts";
import { ArticleStore } from "../../src/store/article-store.ts";
import { redisKeys } from "../../src/store/keys.ts";
import { deletePrefix, SHARED_REDIS_URL, testPrefix } from "../support/redis.ts";

const prefix = testPrefix("digest-render");
const redis = new Redis(SHARED_REDIS_URL);
const articles = new ArticleStore(redis, redisKeys(prefix));
const words = {
  title: "Дайджест",
  more: (n: number) => `и ещё ${n}`,
  fellOut: (n: number) => `ещё ${n} не вошли`,
};

afterAll(async () => {
  await deletePrefix(redis, prefix);
  redis.disconnect();
});

async function recorded(id: string, hasText: boolean): Promise<number> {
  const { seq } = await articles.record(
    {
      id,
      url: `https://www.kavkaz-uzel.eu/articles/${id}/?utm=bot`,
      headline: `Статья ${id}`,
      teaser: "",
      topics: [],
      regions: ["chechnya"],
      lang: "ru",
      publishedAt: "2026-12-01T10:00:00Z",
      breaking: false,
      ...(hasText ? { hasText: true } : {}),
    },
    "2026-12-01T10:00:00.000Z",
  );
  return seq;
}

describe("digest lines' links", () => {
  it("sends each line's link through the mirrors and gives a line with a text its read-<id> link", async () => {
    const withText = await recorded("with-text", true);
    const without = await recorded("without", false);
    const links = { mirrors: new Map([["www.kavkaz-uzel.eu", "kutest.org"]]), username: "newsbell_bot" };
    const lines = [
      { seq: withText, breaking: false },
      { seq: without, breaking: true },
    ];
    const items = await digestItems(articles, lines, { links });
    expect(items.map((i) => [i.url, i.readUrl])).toEqual([
      ["https://kutest.org/articles/with-text/?utm=bot", `https://t.me/newsbell_bot?start=read-${withText}`],
      ["https://kutest.org/articles/without/?utm=bot", undefined],
    ]);
    const html = await renderDigestMessage(
      articles,
      { lines, lang: "ru", zone: "Europe/Moscow", fellOut: 0 },
      DEFAULT_FOREIGN_AGENT_LABEL,
      words,
      links,
    );
    expect(html).toContain(
      `<a href="https://kutest.org/articles/with-text/?utm=bot">Статья with-text</a> · 13:00 · <a href="https://t.me/newsbell_bot?start=read-${withText}">📖</a>`,
    );
    expect(html).toContain(
      '🔴 <a href="https://kutest.org/articles/without/?utm=bot">Статья without</a> · 13:00\n',
    );
  });

  it("keeps the links as they are without mirrors, and gives no read link without the bot's name", async () => {
    const seq = await recorded("plain", true);
    const [item] = await digestItems(articles, [{ seq, breaking: false }]);
    expect(item?.url).toBe("https://www.kavkaz-uzel.eu/articles/plain/?utm=bot");
    expect(item?.readUrl).toBeUndefined();
  });
});
