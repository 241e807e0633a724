import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import type { Article } from "../../src/domain/article.ts";
import { AlertLookup } from "../../src/store/alert-lookup.ts";
import { ArticleStore } from "../../src/store/article-store.ts";
import { DeliveryLedger, LEDGER_TTL_MS } from "../../src/store/delivery-ledger.ts";
import { redisKeys } from "../../src/store/keys.ts";
import { ReactionStore } from "../../src/store/reaction-store.ts";
import { deletePrefix, SHARED_REDIS_URL, testPrefix } from "../support/redis.ts";
import { RedisMonitor } from "../support/redis-monitor.ts";

// A Cluster hash tag: every key the lookup passes must share the prefix's slot.
const prefix = `{${testPrefix("reactions")}}`;
const redis = new Redis(SHARED_REDIS_URL);
const keys = redisKeys(prefix);
const articles = new ArticleStore(redis, keys);
const ledger = new DeliveryLedger(redis, keys);
const reactions = new ReactionStore(redis, keys);

afterAll(async () => {
  await deletePrefix(redis, prefix);
  redis.disconnect();
});

let nextId = 1;
async function recordArticle(): Promise<number> {
  const id = `reaction-${nextId++}`;
  const now = new Date().toISOString();
  const article = {
    id,
    url: `https://www.kavkaz-uzel.eu/articles/${id}/`,
    headline: `Headline ${id}`,
    teaser: "Teaser.",
    topics: [],
    regions: ["chechnya"],
    lang: "ru",
    publishedAt: now,
    breaking: false,
  } as Article;
  return (await articles.record(article, now)).seq;
}

async function sent(seq: number, chatId: number, messageId: number, photo = false): Promise<void> {
  await ledger.settle(seq, chatId, { kind: "sent", chatId, messageId, photo }, new Date().toISOString());
}

describe("which article a message was the alert of", () => {
  it("finds it among the last 48 h's articles by the chat's ledger entry, photo or text, and nothing else", async () => {
    const lookup = new AlertLookup(redis, keys, articles);
    const seqs: number[] = [];
    for (let i = 0; i < 30; i++) seqs.push(await recordArticle());
    const [a, b, c, d] = seqs as [number, number, number, number];
    await sent(a, 501, 11);
    await sent(b, 501, 12, true);
    await sent(c, 501, 13);
    await sent(d, -100_501, 7);
    await ledger.settle(c, 502, { kind: "failed", reason: "blocked" }, new Date().toISOString());
    await ledger.markDeleted(c, { chatId: 501, targetId: 501, messageId: 13, photo: false, raw: "13" });

    expect(await lookup.articleOf(501, 11)).toBe(a);
    expect(await lookup.articleOf(501, 12)).toBe(b);
    expect(await lookup.articleOf(-100_501, 7)).toBe(d);
    // Retracted (deleted), another chat's message id, a message that was no alert.
    expect(await lookup.articleOf(501, 13)).toBeUndefined();
    expect(await lookup.articleOf(502, 11)).toBeUndefined();
    expect(await lookup.articleOf(501, 99)).toBeUndefined();
  });

  it("costs one script call per new message, none for one already found, and finds an article recorded since", async () => {
    const lookup = new AlertLookup(redis, keys, articles);
    const first = await recordArticle();
    await sent(first, 601, 21);
    expect(await lookup.articleOf(601, 21)).toBe(first);
    // Recorded after the lookup read the list of recent articles: found all the same.
    const later = await recordArticle();
    await sent(later, 601, 22);
    expect(await lookup.articleOf(601, 22)).toBe(later);

    const monitor = await RedisMonitor.start();
    await sent(first, 602, 31);
    expect(await lookup.articleOf(602, 31)).toBe(first);
    expect(await lookup.articleOf(602, 31)).toBe(first);
    expect(await lookup.articleOf(601, 21)).toBe(first);
    await monitor.stop(redis);
    const ours = monitor.commands.filter(
      (c) => c.source !== "lua" && c.args.some((a) => a.startsWith(prefix)),
    );
    const scripts = ours.filter((c) => c.name === "evalsha" || c.name === "eval");
    expect(scripts).toHaveLength(2); // the settle, and one lookup
    const lookupCall = scripts[1];
    const keyCount = Number(lookupCall?.args[1]);
    expect(keyCount).toBeGreaterThanOrEqual(2);
    expect(lookupCall?.args.slice(2, 2 + keyCount).every((k) => k.startsWith(`${prefix}:`))).toBe(true);
  });
});

describe("reaction totals per article", () => {
  it("adds readers' changes, never below zero, and lives as long as the article's figures", async () => {
    const seq = await recordArticle();
    await sent(seq, 701, 1);
    await reactions.add(seq, { "👍": 1 });
    await reactions.add(seq, { "👍": 1, "🔥": 1 });
    await reactions.add(seq, { "🔥": -1, "😢": 1 });
    await reactions.add(seq, { "🤔": -1 });
    expect(await reactions.totals(seq)).toEqual({ "👍": 2, "😢": 1 });
    const [stats, totals] = await Promise.all([
      redis.pttl(keys.articleStats(seq)),
      redis.pttl(keys.articleReactions(seq)),
    ]);
    expect(totals).toBeGreaterThan(0);
    expect(Math.abs(stats - totals)).toBeLessThan(5000);
  });

  it("keeps nothing for an article whose figures are gone", async () => {
    await reactions.add(999_999_999, { "👍": 1 });
    expect(await redis.exists(keys.articleReactions(999_999_999))).toBe(0);
  });

  it("adds only what changed when a channel message reports its counts again", async () => {
    const seq = await recordArticle();
    const post = { chatId: -100_777, messageId: 5 };
    const count = (emoji: string, total_count: number) => ({
      type: { type: "emoji" as const, emoji },
      total_count,
    });
    await reactions.add(seq, { "👍": 1 });
    await reactions.setMessageCounts(seq, post, [count("👍", 10), count("🔥", 2)]);
    await reactions.setMessageCounts(seq, post, [count("👍", 10), count("🔥", 2)]);
    expect(await reactions.totals(seq)).toEqual({ "👍": 11, "🔥": 2 });
    await reactions.setMessageCounts(seq, post, [count("👍", 12)]);
    expect(await reactions.totals(seq)).toEqual({ "👍": 13 });
    const kept = keys.messageReactions(post.chatId, post.messageId);
    expect(await redis.hgetall(kept)).toEqual({ "👍": "12" });
    const ttl = await redis.pttl(kept);
    expect(ttl).toBeGreaterThan(LEDGER_TTL_MS - 60_000);
    expect(ttl).toBeLessThanOrEqual(LEDGER_TTL_MS);
  });

  it("ranks articles by the sum of their reactions, leaving out those without any", async () => {
    const [x, y, z] = [await recordArticle(), await recordArticle(), await recordArticle()];
    await reactions.add(x, { "👍": 2 });
    await reactions.add(y, { "😢": 3, "🔥": 1 });
    const top = await reactions.mostReacted([x, y, z], 5);
    expect(top.map((a) => a.seq)).toEqual([y, x]);
    expect(top[0]?.totals).toEqual({ "😢": 3, "🔥": 1 });
  });
});
