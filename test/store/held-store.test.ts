import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { ArticleStore } from "../../src/store/article-store.ts";
import { DeliveryLedger } from "../../src/store/delivery-ledger.ts";
import { HELD_CAP, HeldStore } from "../../src/store/held-store.ts";
import { redisKeys } from "../../src/store/keys.ts";
import { deletePrefix, SHARED_REDIS_URL, testPrefix } from "../support/redis.ts";

const prefix = testPrefix("held-store");
const redis = new Redis(SHARED_REDIS_URL);
const keys = redisKeys(prefix);
const held = new HeldStore(redis, keys);
const articles = new ArticleStore(redis, keys);
const deliveries = new DeliveryLedger(redis, keys);
const NOW = "2026-12-01T10:00:00.000Z";

afterAll(async () => {
  await deletePrefix(redis, prefix);
  redis.disconnect();
});

const step = (from: number, to: number, queued: number, heldAt = 1000, last = false) => ({
  from,
  to,
  queued,
  last,
  now: NOW,
  heldAt,
});

describe("held store: the fan-out's routed chats", () => {
  it("counts held and dropped chats once as done, holds the article, and keeps the earliest release", async () => {
    const seq = 101;
    const routed = [
      { chatId: 1, route: "held" as const, releaseMs: 5000 },
      { chatId: 2, route: "filtered" as const },
      { chatId: -100, route: "held" as const, releaseMs: 9000 },
    ];
    expect(await held.advanceRouted({ seq, breaking: true }, step(0, 16, 3), routed)).toBe(true);
    // The same step again (a retried fan-out) counts nothing.
    expect(await held.advanceRouted({ seq, breaking: true }, step(0, 16, 3), routed)).toBe(false);
    const stats = await articles.stats(seq);
    expect(stats.recipients).toBe(6);
    expect(stats.done).toBe(3);
    expect(stats.skipped).toEqual({ held: 2, filtered: 1 });
    expect(await deliveries.ledgerEntries(seq, [1, 2, -100])).toEqual(
      new Map([
        [1, "-:held"],
        [2, "-:filtered"],
        [-100, "-:held"],
      ]),
    );
    expect((await held.held(1)).items).toEqual([{ seq, breaking: true, heldAt: 1000 }]);
    // A later article due earlier moves the release earlier; one due later leaves it.
    await held.advanceRouted({ seq: 102, breaking: false }, step(0, 16, 0, 2000), [
      { chatId: 1, route: "held", releaseMs: 3000 },
      { chatId: -100, route: "held", releaseMs: 20_000 },
    ]);
    expect(await held.dueAt(1)).toBe(3000);
    expect(await held.dueAt(-100)).toBe(9000);
    expect((await held.held(1)).items.map((i) => i.seq)).toEqual([101, 102]);
  });

  it("marks the delivery finished on the last step when every recipient was held or dropped", async () => {
    const seq = 103;
    await held.advanceRouted({ seq, breaking: false }, step(0, 1024, 0, 1000, true), [
      { chatId: 7, route: "muted" },
      { chatId: 8, route: "breaking-only" },
    ]);
    const stats = await articles.stats(seq);
    expect(stats.recipients).toBe(2);
    expect(stats.done).toBe(2);
    expect(stats.finishedAt).toBe(NOW);
  });

  it("skips a chat that already has a ledger entry for the article", async () => {
    const seq = 104;
    await deliveries.settle(seq, 9, { kind: "sent", messageId: 5, chatId: 9 }, NOW);
    await held.advanceRouted({ seq, breaking: false }, step(0, 16, 0), [
      { chatId: 9, route: "held", releaseMs: 1 },
    ]);
    expect((await held.held(9)).items).toEqual([]);
    expect((await articles.stats(seq)).done).toBe(1);
  });

  it(`keeps at most ${HELD_CAP} items per chat, the newest, and counts those that fell out`, async () => {
    const chatId = 55;
    for (let seq = 1; seq <= HELD_CAP + 15; seq++)
      await held.advanceRouted({ seq: 1000 + seq, breaking: false }, step(0, 16, 0, seq), [
        { chatId, route: "held", releaseMs: 10 },
      ]);
    const { items, fellOut } = await held.held(chatId);
    expect(items).toHaveLength(HELD_CAP);
    expect(items[0]?.seq).toBe(1016);
    expect(fellOut).toBe(15);
    expect(await redis.pttl(keys.heldItems(chatId))).toBeGreaterThan(6 * 24 * 3600 * 1000);
  });
});

describe("held store: claiming a digest", () => {
  it("moves the held items in flight atomically; a second job resumes the same digest with what was sent", async () => {
    const chatId = 77;
    await held.advanceRouted({ seq: 201, breaking: false }, step(0, 16, 0, 100), [
      { chatId, route: "held", releaseMs: 50 },
    ]);
    await held.advanceRouted({ seq: 202, breaking: true }, step(0, 16, 0, 200), [
      { chatId, route: "held", releaseMs: 50 },
    ]);
    expect(await held.due(60, 1000, 10)).toEqual(expect.arrayContaining([{ chatId, dueMs: 50 }]));
    // Leased: the next tick does not see it again until the lease ends.
    expect((await held.due(60, 1000, 10)).map((d) => d.chatId)).not.toContain(chatId);
    const first = await held.take(chatId, "job-a");
    expect(first?.items).toEqual([
      { seq: 201, breaking: false, heldAt: 100 },
      { seq: 202, breaking: true, heldAt: 200 },
    ]);
    expect((await held.held(chatId)).items).toEqual([]);
    expect(await held.dueAt(chatId)).toBeUndefined();
    const parts = await held.saveParts(chatId, [{ html: "one", seqs: [202] }]);
    expect(await held.saveParts(chatId, [{ html: "other", seqs: [] }])).toEqual(parts);
    await held.markPartSent(chatId, 0, 900);
    // An article held meanwhile waits for the next digest, not this one.
    await held.advanceRouted({ seq: 203, breaking: false }, step(0, 16, 0, 300), [
      { chatId, route: "held", releaseMs: 70 },
    ]);
    const resumed = await held.take(chatId, "job-b");
    expect(resumed?.job).toBe("job-b");
    expect(resumed?.items.map((i) => i.seq)).toEqual([201, 202]);
    expect(resumed?.parts).toEqual(parts);
    expect(resumed?.sent).toEqual(new Map([[0, 900]]));
    await held.finish(chatId);
    const next = await held.take(chatId, "job-c");
    expect(next?.items.map((i) => i.seq)).toEqual([203]);
    await held.finish(chatId);
    expect(await held.take(chatId, "job-d")).toBeUndefined();
  });
});

describe("held store: the cap with items held in the same millisecond", () => {
  it("drops the oldest article (lowest seq) when many are held at once", async () => {
    const chatId = 66;
    for (let seq = 5995; seq < 5995 + HELD_CAP + 3; seq++)
      await held.advanceRouted({ seq, breaking: false }, step(0, 16, 0, 5000), [
        { chatId, route: "held", releaseMs: 10 },
      ]);
    const { items, fellOut } = await held.held(chatId);
    expect(fellOut).toBe(3);
    expect(items[0]?.seq).toBe(5998);
    expect(items.at(-1)?.seq).toBe(5995 + HELD_CAP + 2);
  });

  it("sets a held digest's due time anew, later or sooner, and gives a chat with nothing held no digest", async () => {
    await held.advanceRouted({ seq: 301, breaking: false }, step(0, 16, 0), [
      { chatId: 31, route: "held", releaseMs: 50_000 },
    ]);
    // The old options' time says nothing any more: the new one stands, later or sooner.
    expect(await held.reschedule(31, 60_000, 60_000)).toBe(60_000);
    expect(await held.dueAt(31)).toBe(60_000);
    expect(await held.reschedule(31, 20_000, 20_000)).toBe(20_000);
    expect(await held.dueAt(31)).toBe(20_000);
    // The breaking time counts only when a breaking article is held.
    expect(await held.reschedule(31, 40_000, 1_000)).toBe(40_000);
    await held.advanceRouted({ seq: 302, breaking: true }, step(0, 16, 0), [
      { chatId: 31, route: "held", releaseMs: 90_000 },
    ]);
    expect(await held.reschedule(31, 40_000, 1_000)).toBe(1_000);
    expect(await held.dueAt(31)).toBe(1_000);
    expect(await held.reschedule(32, 20_000, 20_000)).toBeUndefined();
    expect(await held.dueAt(32)).toBeUndefined();
  });
});
