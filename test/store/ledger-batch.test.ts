import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ArticleStore } from "../../src/store/article-store.ts";
import { DeliveryLedger, type Outcome } from "../../src/store/delivery-ledger.ts";
import { FanoutCursor } from "../../src/store/fanout-cursor.ts";
import { LEDGER_SHARDS, redisKeys } from "../../src/store/keys.ts";
import { LedgerBatch } from "../../src/store/ledger-batch.ts";
import { deletePrefix, SHARED_REDIS_URL, testPrefix } from "../support/redis.ts";

let redis: Redis;
let prefix: string;
let articles: ArticleStore;
let deliveries: DeliveryLedger;
let calls = 0;
let nextSeq = 1;

beforeAll(() => {
  redis = new Redis(SHARED_REDIS_URL);
  prefix = testPrefix("ledger-batch");
  articles = new ArticleStore(redis, redisKeys(prefix));
  deliveries = new DeliveryLedger(redis, redisKeys(prefix));
  const settleMany = deliveries.settleMany.bind(deliveries);
  // Counts the calls while the real store records.
  deliveries.settleMany = (outcomes, now) => {
    calls++;
    return settleMany(outcomes, now);
  };
});

afterAll(async () => {
  await deletePrefix(redis, prefix);
  redis.disconnect();
});

const NOW = "2026-12-01T03:00:00.000Z";

describe("the ledger's grouped settles", () => {
  it("records many outcomes in few calls, each once, with exact counters", async () => {
    const seq = nextSeq++;
    const ledger = new LedgerBatch(deliveries, () => NOW, { size: 20, delayMs: 20 });
    calls = 0;
    const outcome = (i: number): Outcome =>
      i % 10 === 0
        ? { kind: "failed", reason: "blocked" }
        : i % 10 === 1
          ? { kind: "skipped", reason: "inactive" }
          : { kind: "sent", messageId: 1000 + i, chatId: 900_000 + i };
    const first = await Promise.all(
      Array.from({ length: 100 }, (_, i) => ledger.settle(seq, 900_000 + i, outcome(i))),
    );
    // The same chats again, as a retried batch or another worker would: nothing counts twice.
    const again = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        ledger.settle(seq, 900_000 + i, { kind: "failed", reason: "unavailable" }),
      ),
    );
    await ledger.flush();
    expect(first.every(Boolean)).toBe(true);
    expect(again.some(Boolean)).toBe(false);
    expect(calls).toBeLessThanOrEqual(8);
    expect(await articles.stats(seq)).toMatchObject({
      sent: 80,
      done: 100,
      failed: { blocked: 10 },
      skipped: { inactive: 10 },
      firstSentAt: NOW,
    });
  });

  it("records a lone outcome within the delay, and everything waiting on flush", async () => {
    const seq = nextSeq++;
    const ledger = new LedgerBatch(deliveries, () => NOW, { size: 20, delayMs: 30 });
    const recorded = ledger.settle(seq, 910_001, { kind: "sent", messageId: 5, chatId: 910_001 });
    expect(await recorded).toBe(true);
    const waiting = ledger.settle(seq, 910_002, { kind: "sent", messageId: 6, chatId: 910_002 });
    await ledger.flush();
    expect((await deliveries.ledgerEntries(seq, [910_002])).get(910_002)).toBe("6");
    expect(await waiting).toBe(true);
  });

  it("sets finishedAt once the fan-out is done and every recipient has an outcome", async () => {
    const seq = nextSeq++;
    // The figures as recording the article starts them.
    await redis.hset(redisKeys(prefix).articleStats(seq), "recipients", 0, "done", 0, "cursor", 0);
    await new FanoutCursor(redis, redisKeys(prefix)).advanceFanout(seq, 0, 1024, 3, true, NOW);
    const ledger = new LedgerBatch(deliveries, () => NOW);
    await Promise.all([
      ledger.settle(seq, 920_001, { kind: "sent", messageId: 1, chatId: 920_001 }),
      ledger.settle(seq, 920_002, { kind: "sent", messageId: 2, chatId: 920_002 }),
    ]);
    expect((await articles.stats(seq)).finishedAt).toBeUndefined();
    await ledger.settle(seq, 920_003, { kind: "skipped", reason: "cancelled" });
    expect((await articles.stats(seq)).finishedAt).toBe(NOW);
  });

  it("keeps a sent alert as its message id alone, with the chat only when it landed elsewhere", async () => {
    const seq = nextSeq++;
    await deliveries.settleMany(
      [
        { seq, chatId: 930_001, outcome: { kind: "sent", messageId: 41, chatId: 930_001 } },
        { seq, chatId: 930_002, outcome: { kind: "sent", messageId: 42, chatId: 930_002, photo: true } },
        { seq, chatId: -930_003, outcome: { kind: "sent", messageId: 43, chatId: -1_000_930_003 } },
      ],
      NOW,
    );
    const entries = await deliveries.ledgerEntries(seq, [930_001, 930_002, -930_003, 930_004]);
    expect([...entries]).toEqual([
      [930_001, "41"],
      [930_002, "p42"],
      [-930_003, "43@-1000930003"],
    ]);
    const delivered = await deliveries.deliveredInShards(seq, 0, LEDGER_SHARDS);
    expect(
      delivered.map(({ chatId, targetId, messageId, photo }) => ({ chatId, targetId, messageId, photo })),
    ).toEqual(
      expect.arrayContaining([
        { chatId: 930_001, targetId: 930_001, messageId: 41, photo: false },
        { chatId: 930_002, targetId: 930_002, messageId: 42, photo: true },
        { chatId: -930_003, targetId: -1_000_930_003, messageId: 43, photo: false },
      ]),
    );
    expect(delivered).toHaveLength(3);
  });
});
