import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { newChat } from "../../src/domain/chat.ts";
import { ChatStore } from "../../src/store/chat-store.ts";
import { redisKeys } from "../../src/store/keys.ts";
import { deletePrefix, SHARED_REDIS_URL, testPrefix } from "../support/redis.ts";

const prefix = testPrefix("chats");
const redis = new Redis(SHARED_REDIS_URL);
const chats = new ChatStore(redis, redisKeys(prefix));

afterAll(async () => {
  await deletePrefix(redis, prefix);
  redis.disconnect();
});

describe("chat store", () => {
  it("deactivates a chat by its flag alone, keeping settings changed since it was read", async () => {
    await chats.save(newChat(1, "private", "ru", "Europe/Moscow"));
    await chats.save({ ...newChat(1, "private", "en", "Asia/Tbilisi"), editions: "both" });
    expect(await chats.deactivate(1)).toBe(true);
    expect(await chats.get(1)).toEqual({
      ...newChat(1, "private", "en", "Asia/Tbilisi"),
      editions: "both",
      active: false,
    });
  });

  it("never brings back a chat that was forgotten with /stop", async () => {
    await chats.save(newChat(2, "private", "ru", "Europe/Moscow"));
    await chats.delete(2);
    expect(await chats.deactivate(2)).toBe(false);
    expect(await chats.get(2)).toBeUndefined();
  });

  it("moves a migrated group's settings, keeps the new chat's own, and remembers where the old id went", async () => {
    await chats.save({ ...newChat(-10, "group", "en", "UTC"), editions: "both" });
    await chats.move(-10, -10010);
    expect(await chats.get(-10)).toBeUndefined();
    expect(await chats.get(-10010)).toMatchObject({ id: -10010, lang: "en", editions: "both" });
    expect(await chats.movedTo(-10)).toBe(-10010);

    await chats.save(newChat(-20, "group", "en", "UTC"));
    await chats.save(newChat(-10020, "group", "ru", "Europe/Moscow"));
    await chats.move(-20, -10020);
    expect(await chats.get(-10020)).toMatchObject({ lang: "ru" });
  });
});
