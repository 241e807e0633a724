import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { FeedStore } from "../../src/store/feed-store.ts";
import { redisKeys } from "../../src/store/keys.ts";
import { deletePrefix, SHARED_REDIS_URL, testPrefix } from "../support/redis.ts";

const prefix = testPrefix("feedstore");
const redis = new Redis(SHARED_REDIS_URL);
const keys = redisKeys(prefix);
const store = new FeedStore(redis, keys);

afterAll(async () => {
  await deletePrefix(redis, prefix);
  redis.disconnect();
});

describe("feed store", () => {
  it("keeps every key under the prefix", async () => {
    await store.markSeen("prefixed", ["a"], 1);
    await store.recordFailure("prefixed", "x", 3, () => 0);
    await store.lock("prefixed", 1000);
    const written = await redis.keys(`*feed:prefixed:*`);
    expect(written.sort()).toEqual(
      [keys.feedLock("prefixed"), keys.feedSeen("prefixed"), keys.feedState("prefixed")].sort(),
    );
    expect(written.every((k) => k.startsWith(`${prefix}:`))).toBe(true);
  });

  it("remembers seen keys and forgets the oldest beyond the limit", async () => {
    const small = new FeedStore(redis, keys, 5);
    await small.markSeen("trim", ["a", "b", "c"], 1000);
    await small.markSeen("trim", ["d", "e", "f", "g"], 2000);
    expect(await small.unseen("trim", ["a", "b", "c", "d", "e", "f", "g", "h"])).toEqual(
      new Set(["a", "b", "h"]),
    );
    expect(await redis.zcard(keys.feedSeen("trim"))).toBe(5);
  });

  it("keeps a key the feed still lists when it is seen again, however many others come after", async () => {
    const small = new FeedStore(redis, keys, 3);
    await small.markSeen("refresh", ["kept", "x"], 1000);
    await small.markSeen("refresh", ["kept", "y", "z"], 2000);
    expect(await small.unseen("refresh", ["kept", "x", "y", "z"])).toEqual(new Set(["x"]));
  });

  it("lets one poll hold a feed at a time, and a stale token cannot release another's hold", async () => {
    const first = await store.lock("locked", 10_000);
    expect(first).toBeDefined();
    expect(await store.lock("locked", 10_000)).toBeUndefined();
    await store.unlock("locked", "someone-else");
    expect(await store.lock("locked", 10_000)).toBeUndefined();
    await store.unlock("locked", first ?? "");
    expect(await store.lock("locked", 10_000)).toBeDefined();
  });

  it("reports a feed down to exactly one of several failures racing past the threshold", async () => {
    const results = await Promise.all(
      Array.from({ length: 6 }, () => store.recordFailure("racing", "HTTP 500", 3, (n) => n * 1000)),
    );
    expect(results.filter((r) => r.reportDown)).toHaveLength(1);
    expect(results.map((r) => r.failures).sort()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(await store.state("racing")).toMatchObject({ failures: 6, down: true, lastError: "HTTP 500" });
  });

  it("reports recovery to exactly one of several successes, and clears the failures and backoff", async () => {
    for (let i = 0; i < 3; i++) await store.recordFailure("recovering", "timeout", 3, () => 99_000);
    const results = await Promise.all(
      Array.from({ length: 4 }, () => store.recordSuccess("recovering", "https://x/feed")),
    );
    expect(results.filter((r) => r.recovered)).toHaveLength(1);
    const state = await store.state("recovering");
    expect(state).toMatchObject({ failures: 0, down: false, primed: true, url: "https://x/feed" });
    expect(state.nextAttemptAt).toBeUndefined();
    expect(state.lastError).toBeUndefined();
  });

  it("replaces validators after a 200, even with none, and keeps them after a 304", async () => {
    await store.recordSuccess("validators", "https://x/feed", { etag: '"a"', lastModified: "Mon" });
    await store.recordSuccess("validators", "https://x/feed");
    expect(await store.state("validators")).toMatchObject({ etag: '"a"', lastModified: "Mon" });
    await store.recordSuccess("validators", "https://x/feed", { etag: '"b"' });
    const state = await store.state("validators");
    expect(state.etag).toBe('"b"');
    expect(state.lastModified).toBeUndefined();
  });

  it("forgets the URL, validators and first poll of a feed whose URL changed", async () => {
    await store.recordSuccess("moved", "https://x/old", { etag: '"a"' });
    await store.forgetUrl("moved");
    expect(await store.state("moved")).toEqual({ primed: false, failures: 0, down: false });
  });
});
