import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { DigestLedger } from "../../src/store/digest-ledger.ts";
import { HeldStore } from "../../src/store/held-store.ts";
import { redisKeys } from "../../src/store/keys.ts";
import { deletePrefix, SHARED_REDIS_URL, testPrefix } from "../support/redis.ts";

const prefix = testPrefix("digest-ledger");
const redis = new Redis(SHARED_REDIS_URL);
const keys = redisKeys(prefix);
const held = new HeldStore(redis, keys);
const ledger = new DigestLedger(redis, keys);

afterAll(async () => {
  await deletePrefix(redis, prefix);
  redis.disconnect();
});

describe("digest ledger", () => {
  it("records a sent part of a digest in flight with its articles' ledger entries, so that a revision finds it before the rest is sent", async () => {
    const chatId = 4401;
    const step = { from: 0, to: 1024, queued: 0, last: true, now: "2026-12-01T10:00:00.000Z", heldAt: 1000 };
    for (const seq of [301, 302, 303])
      await held.advanceRouted({ seq, breaking: seq === 302 }, step, [
        { chatId, route: "held", releaseMs: 50 },
      ]);
    await held.take(chatId, "job-a");
    await held.saveParts(chatId, [
      { html: "one", seqs: [303, 302], revisions: 0 },
      { html: "two", seqs: [301], revisions: 0, more: 4 },
    ]);
    const message = {
      chatId,
      targetId: chatId,
      messageId: 900,
      lang: "ru" as const,
      zone: "Europe/Moscow",
      lines: [
        { seq: 303, breaking: false },
        { seq: 302, breaking: true },
      ],
      fellOut: 0,
      revisions: 0,
    };
    await ledger.recordPart(message, 0);
    expect((await held.inFlight(chatId))?.sent).toEqual(new Map([[0, 900]]));
    expect(await ledger.message(chatId, 900)).toEqual(message);
    for (const seq of [303, 302])
      expect(await ledger.inShards(seq, 0, 1024)).toEqual([
        { chatId, targetId: chatId, messageId: 900, raw: `g900@${chatId}` },
      ]);
    // The second part is not sent yet: its article is in no digest message.
    expect(await ledger.inShards(301, 0, 1024)).toEqual([]);
  });
});
