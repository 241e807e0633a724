import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import type { ScheduledPush } from "../../src/domain/scheduled-push.ts";
import { redisKeys } from "../../src/store/keys.ts";
import { ScheduledPushStore } from "../../src/store/scheduled-pushes.ts";
import { deletePrefix, SHARED_REDIS_URL, testPrefix } from "../support/redis.ts";

const prefix = testPrefix("scheduled-pushes");
const redis = new Redis(SHARED_REDIS_URL);
const keys = redisKeys(prefix);
const store = new ScheduledPushStore(redis, keys);

afterAll(async () => {
  await deletePrefix(redis, prefix);
  redis.disconnect();
});

const NOW = Date.parse("2026-12-07T07:20:00Z");
let n = 0;
function push(minutesAhead: number, headline = "Headline"): ScheduledPush {
  n++;
  return {
    id: `brk-20261207-0720-s${n}`,
    draft: {
      headline,
      teaser: "",
      url: "https://example.org/a",
      topics: [],
      regions: ["chechnya"],
      lang: "ru",
    },
    atMs: NOW + minutesAhead * 60_000,
    editor: { chatId: 1, userId: 1, lang: "ru", name: "Editor" },
    createdAt: new Date(NOW).toISOString(),
  };
}

describe("scheduled pushes store", () => {
  it("keeps pushes soonest first, and refuses a second push under the same id", async () => {
    const later = push(60);
    const sooner = push(5);
    expect(await store.create(later)).toBe("ok");
    expect(await store.create(sooner)).toBe("ok");
    expect(await store.create({ ...sooner, atMs: NOW })).toBe("exists");
    const ids = (await store.list()).map((p) => p.id);
    expect(ids.indexOf(sooner.id)).toBeLessThan(ids.indexOf(later.id));
    expect(await store.get(sooner.id)).toEqual({ ...sooner, cardSent: false });
  });

  it("refuses to send a push before its time, and sends it once its time has come", async () => {
    const p = push(10);
    await store.create(p);
    expect(await store.claim(p.id, "send", NOW)).toBe("early");
    expect(await store.claim(p.id, "send", p.atMs)).toBe("ok");
    // A retried job claims it again; a cancel or a change after that is refused.
    expect(await store.claim(p.id, "send", p.atMs)).toBe("ok");
    expect(await store.claim(p.id, "cancel", p.atMs)).toBe("send");
    expect(await store.update({ ...p, atMs: p.atMs + 60_000 })).toBe("send");
  });

  it("lets a cancel win over a later send, and a moved time decide when the send may go", async () => {
    const p = push(10);
    await store.create(p);
    expect(await store.update({ ...p, atMs: NOW - 1000 })).toBe("ok");
    expect((await store.list()).find((k) => k.id === p.id)?.atMs).toBe(NOW - 1000);
    expect(await store.claim(p.id, "cancel", NOW)).toBe("ok");
    expect(await store.claim(p.id, "send", NOW)).toBe("cancel");
    await store.remove(p.id);
    expect(await store.get(p.id)).toBeUndefined();
    expect(await store.claim(p.id, "send", NOW)).toBe("gone");
    expect(await store.update(p)).toBe("gone");
    expect((await store.list()).some((k) => k.id === p.id)).toBe(false);
  });

  it("drops from the list a push whose hash expired", async () => {
    const p = push(15);
    await store.create(p);
    await redis.del(keys.scheduledPush(p.id));
    expect((await store.list()).some((k) => k.id === p.id)).toBe(false);
    expect(await redis.zscore(keys.scheduledPushes, p.id)).toBeNull();
  });
});
