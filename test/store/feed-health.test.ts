import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { FeedStore } from "../../src/store/feed-store.ts";
import { redisKeys } from "../../src/store/keys.ts";
import { deletePrefix, SHARED_REDIS_URL, testPrefix } from "../support/redis.ts";

const prefix = testPrefix("feedhealth");
const redis = new Redis(SHARED_REDIS_URL);
const keys = redisKeys(prefix);
const store = new FeedStore(redis, keys);
const other = testPrefix("feedhealth-other");

afterAll(async () => {
  await deletePrefix(redis, prefix);
  await deletePrefix(redis, other);
  redis.disconnect();
});

const backoff = () => Date.now() + 60_000;

describe("feed health", () => {
  it("is empty before any feed has polled", async () => {
    expect(await store.health()).toEqual([]);
  });

  it("lists every polled feed by id with its down flag, failures in a row, last error and last success", async () => {
    await store.recordSuccess("kavkaz-ru", "https://a.example/rss", undefined, 1_700_000_000_000);
    await store.recordSuccess("kavkaz-en", "https://b.example/rss", undefined, 1_700_000_100_000);
    for (let i = 0; i < 3; i++) await store.recordFailure("kavkaz-en", "HTTP 503", 3, backoff);
    await store.recordFailure("never-worked", "timeout", 3, backoff);
    // Another tenant's feeds and this tenant's other feed keys are not feeds here.
    await new FeedStore(redis, redisKeys(other)).recordSuccess("foreign", "https://c.example/rss");
    await store.markSeen("kavkaz-ru", ["item-1"], 1);

    expect(await store.health()).toEqual([
      {
        feedId: "kavkaz-en",
        down: true,
        failures: 3,
        lastError: "HTTP 503",
        lastSuccessAt: 1_700_000_100_000,
      },
      { feedId: "kavkaz-ru", down: false, failures: 0, lastSuccessAt: 1_700_000_000_000 },
      { feedId: "never-worked", down: false, failures: 1, lastError: "timeout" },
    ]);
  });

  it("shows a recovered feed as healthy with the time of its new success", async () => {
    await store.recordSuccess("kavkaz-en", "https://b.example/rss", undefined, 1_700_000_200_000);
    const en = (await store.health()).find((f) => f.feedId === "kavkaz-en");
    expect(en).toEqual({ feedId: "kavkaz-en", down: false, failures: 0, lastSuccessAt: 1_700_000_200_000 });
  });
});
