import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { newChat } from "../../src/domain/chat.ts";
import { ChatCensusReader } from "../../src/store/chat-census.ts";
import { ChatStore } from "../../src/store/chat-store.ts";
import { redisKeys } from "../../src/store/keys.ts";
import { deletePrefix, SHARED_REDIS_URL, testPrefix } from "../support/redis.ts";

const prefix = testPrefix("census");
const redis = new Redis(SHARED_REDIS_URL);
const keys = redisKeys(prefix);
const chats = new ChatStore(redis, keys);

afterAll(async () => {
  await deletePrefix(redis, prefix);
  redis.disconnect();
});

describe("chat census", () => {
  it("counts nothing in an empty installation", async () => {
    expect(await new ChatCensusReader(redis, keys).count()).toEqual({
      total: 0,
      active: 0,
      inactive: 0,
      private: 0,
      groups: 0,
      channels: 0,
    });
  });

  it("counts every chat in every bucket once, by activity and kind, whatever the window size", async () => {
    // Ids spread over many buckets, including the first and the last, and negative group ids.
    for (let i = 0; i < 300; i++) await chats.save(newChat(1000 + i * 37, "private", "ru", "Europe/Moscow"));
    for (let i = 0; i < 40; i++) await chats.save(newChat(-100_000 - i * 101, "group", "en", "UTC"));
    await chats.save(newChat(4096, "private", "ru", "Europe/Moscow"));
    await chats.save(newChat(4095, "private", "ru", "Europe/Moscow"));
    await chats.save(newChat(-1_001_234_567, "channel", "ru", "Europe/Moscow"));
    for (const id of [1000, 1037, -100_000]) await chats.deactivate(id);
    // Moved-group pointers live beside the buckets and are not chats.
    await chats.move(-5, -1_005);
    const expected = { total: 343, active: 340, inactive: 3, private: 302, groups: 40, channels: 1 };
    expect(await new ChatCensusReader(redis, keys).count()).toEqual(expected);
    expect(await new ChatCensusReader(redis, keys, 1000).count()).toEqual(expected);
    expect(await new ChatCensusReader(redis, keys, 4096).count()).toEqual(expected);
  });
});
