import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { ArticleStore } from "../../src/store/article-store.ts";
import { DeliveryLedger } from "../../src/store/delivery-ledger.ts";
import { FanoutCursor } from "../../src/store/fanout-cursor.ts";
import { HeldStore } from "../../src/store/held-store.ts";
import { redisKeys } from "../../src/store/keys.ts";
import { deletePrefix, SHARED_REDIS_URL, testPrefix } from "../support/redis.ts";

const prefix = testPrefix("finished");
const redis = new Redis(SHARED_REDIS_URL);
const keys = redisKeys(prefix);
const articles = new ArticleStore(redis, keys);
const fanout = new FanoutCursor(redis, keys);
const held = new HeldStore(redis, keys);
const deliveries = new DeliveryLedger(redis, keys);
const NOW = "2026-12-01T10:00:00.000Z";
let nextSeq = 1;

afterAll(async () => {
  await deletePrefix(redis, prefix);
  redis.disconnect();
});

/** The figures as recording an article starts them. */
async function recorded(): Promise<number> {
  const seq = nextSeq++;
  await redis.hset(keys.articleStats(seq), "recipients", 0, "done", 0, "cursor", 0);
  return seq;
}

const lastRoutedStep = { from: 0, to: 1024, queued: 0, last: true, now: NOW, heldAt: 1000 };

describe("a delivery counts as finished only from whole figures", () => {
  it("advance-fanout: a last step with no recipients finishes a recorded article, not one whose figures are gone", async () => {
    const whole = await recorded();
    await fanout.advanceFanout(whole, 0, 1024, 0, true, NOW);
    expect((await articles.stats(whole)).finishedAt).toBe(NOW);
    // Figures expired: a late last step begins them again, without a done count.
    const gone = nextSeq++;
    expect(await fanout.advanceFanout(gone, 0, 1024, 0, true, NOW)).toBe(true);
    expect((await articles.stats(gone)).finishedAt).toBeUndefined();
  });

  it("route-fanout: a last routed step with nothing left finishes a recorded article, not one whose figures are gone", async () => {
    const whole = await recorded();
    await held.advanceRouted({ seq: whole, breaking: false }, lastRoutedStep, []);
    expect((await articles.stats(whole)).finishedAt).toBe(NOW);
    const gone = nextSeq++;
    expect(await held.advanceRouted({ seq: gone, breaking: false }, lastRoutedStep, [])).toBe(true);
    expect((await articles.stats(gone)).finishedAt).toBeUndefined();
  });

  it("settle-delivery: an outcome is recorded but finishes nothing while the fan-out or its recipient count is missing", async () => {
    const sent = (chatId: number) => ({ kind: "sent" as const, messageId: 1, chatId });
    // Fan-out not done yet: every recipient so far has an outcome, but more may come.
    const running = await recorded();
    await redis.hset(keys.articleStats(running), "recipients", 1);
    expect(await deliveries.settle(running, 11, sent(11), NOW)).toBe(true);
    expect((await articles.stats(running)).finishedAt).toBeUndefined();
    // Fan-out done but no recipient count (figures begun again by a late write).
    const partial = nextSeq++;
    await redis.hset(keys.articleStats(partial), "fanoutDoneAt", NOW);
    expect(await deliveries.settle(partial, 12, sent(12), NOW)).toBe(true);
    expect((await articles.stats(partial)).finishedAt).toBeUndefined();
    // Whole figures: the last outcome finishes it.
    const whole = await recorded();
    await fanout.advanceFanout(whole, 0, 1024, 1, true, NOW);
    expect(await deliveries.settle(whole, 13, sent(13), NOW)).toBe(true);
    expect((await articles.stats(whole)).finishedAt).toBe(NOW);
  });
});
