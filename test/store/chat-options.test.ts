import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { newChat } from "../../src/domain/chat.ts";
import { DEFAULT_READER_OPTIONS, type ReaderOptions } from "../../src/domain/reader-options.ts";
import { ChatStore } from "../../src/store/chat-store.ts";
import { redisKeys } from "../../src/store/keys.ts";
import { deletePrefix, SHARED_REDIS_URL, testPrefix } from "../support/redis.ts";

const prefix = testPrefix("chat-options");
const redis = new Redis(SHARED_REDIS_URL);
const keys = redisKeys(prefix);
const chats = new ChatStore(redis, keys);

afterAll(async () => {
  await deletePrefix(redis, prefix);
  redis.disconnect();
});

const raw = (chatId: number) => redis.hget(keys.chatBucket(chatId), String(chatId));

const digest: ReaderOptions = {
  ...DEFAULT_READER_OPTIONS,
  mode: "digest",
  digestTimes: [480, 1140],
  quiet: { from: 1380, to: 420 },
  filters: [{ keep: false, phrase: "футбол" }],
};

describe("a chat's reader options in the store", () => {
  it("rewrites only the options field, keeping a language changed since the caller read the chat", async () => {
    const chat = newChat(101, "private", "ru", "Europe/Moscow");
    await chats.save(chat);
    // Another update changes the language after this one read the chat.
    await chats.save({ ...chat, lang: "en", editions: "both" });
    expect(await chats.setOptions(101, digest)).toBe(true);
    expect(await chats.get(101)).toEqual({ ...chat, lang: "en", editions: "both", options: digest });
  });

  it("keeps a forum topic and a channel's connector around the options, and the short form for the defaults", async () => {
    await chats.save({ ...newChat(-102, "group", "en", "UTC"), threadId: 7 });
    await chats.setOptions(-102, digest);
    expect(await chats.get(-102)).toMatchObject({ threadId: 7, options: digest });
    await chats.setOptions(-102, DEFAULT_READER_OPTIONS);
    expect(await raw(-102)).toBe("en||1|g|UTC|7|");

    await chats.save(newChat(103, "private", "ru", "Europe/Moscow"));
    await chats.setOptions(103, digest);
    expect((await raw(103))?.split("|")).toHaveLength(8);
    await chats.setOptions(103, DEFAULT_READER_OPTIONS);
    // A default reader costs no extra bytes, also after changing their mind.
    expect(await raw(103)).toBe("ru||1|p|Europe/Moscow");
    expect((await chats.get(103))?.options).toBeUndefined();
  });

  it("replaces earlier options and keeps the active flag a worker cleared meanwhile", async () => {
    await chats.save(newChat(104, "private", "ru", "Europe/Moscow"));
    await chats.setOptions(104, digest);
    await chats.deactivate(104);
    const breakingOnly = { ...DEFAULT_READER_OPTIONS, mode: "breaking" as const };
    await chats.setOptions(104, breakingOnly);
    expect(await chats.get(104)).toMatchObject({ active: false, options: breakingOnly });
  });

  it("creates nothing for a chat that is not there (forgotten with /stop)", async () => {
    expect(await chats.setOptions(105, digest)).toBe(false);
    expect(await raw(105)).toBeNull();
  });
});
