import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import type { Article } from "../../src/domain/article.ts";
import { ArticleStore } from "../../src/store/article-store.ts";
import { redisKeys } from "../../src/store/keys.ts";
import { deletePrefix, SHARED_REDIS_URL, testPrefix } from "../support/redis.ts";
import { RedisMonitor } from "../support/redis-monitor.ts";

const prefix = `{${testPrefix("record")}}`;
const redis = new Redis(SHARED_REDIS_URL);
const keys = redisKeys(prefix);
const articles = new ArticleStore(redis, keys);
const NOW = "2026-12-01T10:00:00.000Z";

afterAll(async () => {
  await deletePrefix(redis, prefix);
  redis.disconnect();
});

function article(id: string): Article {
  return {
    id,
    url: `https://www.kavkaz-uzel.eu/articles/${id}/`,
    headline: `Headline ${id}`,
    teaser: "Teaser.",
    topics: ["politics"],
    regions: ["chechnya"],
    lang: "ru",
    publishedAt: NOW,
  } as Article;
}

describe("recording an article", () => {
  it("gives articles recorded at the same moment a seq each, and an id recorded twice at once one seq", async () => {
    const ids = Array.from({ length: 12 }, (_, i) => `race-${i}`);
    const results = await Promise.all([
      ...ids.map((id) => articles.record(article(id), NOW)),
      ...ids.slice(0, 4).map((id) => articles.record(article(id), NOW)),
    ]);
    const byId = new Map<string, number[]>();
    results.forEach((r, i) => {
      const id = [...ids, ...ids.slice(0, 4)][i] ?? "";
      byId.set(id, [...(byId.get(id) ?? []), r.seq]);
    });
    for (const seqs of byId.values()) expect(new Set(seqs).size).toBe(1);
    const seqs = [...byId.values()].map(([seq]) => seq);
    expect(new Set(seqs).size).toBe(ids.length);
    expect(results.filter((r) => r.isNew)).toHaveLength(ids.length);
    for (const id of ids) {
      const seq = await articles.seqOf(id);
      expect((await articles.get(seq ?? 0))?.id).toBe(id);
    }
  });

  it("touches only the keys it is given, so a {tag} prefix keeps the script in one Cluster slot", async () => {
    // An id from the old id hash, a new article, and the same article again.
    await redis.hset(keys.articleIds, "legacy-record", 777);
    const monitor = await RedisMonitor.start();
    try {
      await articles.record(article("legacy-record"), NOW);
      await articles.record(article("slot-new"), NOW);
      await articles.record(article("slot-new"), NOW);
    } finally {
      await monitor.stop(redis);
    }
    const ours = monitor.commands.filter((c) => c.args.some((a) => a.startsWith(prefix)));
    const given = new Set(
      ours
        .filter((c) => c.name === "evalsha" || c.name === "eval")
        .flatMap((c) => c.args.slice(2, 2 + Number(c.args[1]))),
    );
    const touched = ours.filter((c) => c.source === "lua").map((c) => c.args[0] ?? "");
    expect(given.size).toBeGreaterThan(0);
    expect(touched.length).toBeGreaterThan(0);
    expect(touched.filter((key) => !given.has(key))).toEqual([]);
  });
});
