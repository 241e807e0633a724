import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { ArticleStore } from "../../src/store/article-store.ts";
import { FanoutCursor } from "../../src/store/fanout-cursor.ts";
import { redisKeys } from "../../src/store/keys.ts";
import { deletePrefix, SHARED_REDIS_URL, testPrefix } from "../support/redis.ts";

const prefix = testPrefix("fanout-window");
const redis = new Redis(SHARED_REDIS_URL);
const articles = new ArticleStore(redis, redisKeys(prefix));
const fanout = new FanoutCursor(redis, redisKeys(prefix));

afterAll(async () => {
  await deletePrefix(redis, prefix);
  redis.disconnect();
});

describe("an article's fan-out step", () => {
  it("keeps the step of the first run, so a run again after a crash cuts the same batches", async () => {
    expect(await fanout.fanoutWindow(41, 3)).toBe(3);
    // The audience grew meanwhile and a later run proposes another step: the first one holds.
    expect(await fanout.fanoutWindow(41, 16)).toBe(3);
    // A later run reads it with the cursor.
    expect((await articles.stats(41)).fanoutWindow).toBe(3);
    expect((await articles.stats(43)).fanoutWindow).toBeUndefined();
    expect(await fanout.fanoutWindow(42, 16)).toBe(16);
  });
});
