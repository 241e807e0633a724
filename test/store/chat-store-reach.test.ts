import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { newChat } from "../../src/domain/chat.ts";
import { defaultReaderOptions } from "../../src/domain/reader-options.ts";
import { ChatStore } from "../../src/store/chat-store.ts";
import { redisKeys } from "../../src/store/keys.ts";
import { deletePrefix, SHARED_REDIS_URL, testPrefix } from "../support/redis.ts";

const prefix = testPrefix("chats-reach");
const redis = new Redis(SHARED_REDIS_URL);
const chats = new ChatStore(redis, redisKeys(prefix));

afterAll(async () => {
  await deletePrefix(redis, prefix);
  redis.disconnect();
});

describe("chat store: channels and forum topics", () => {
  it("clears a gone topic once, keeping the rest of the settings", async () => {
    const group = {
      ...newChat(-100_1, "group", "en", "Asia/Tbilisi"),
      editions: "both" as const,
      threadId: 7,
    };
    await chats.save(group);
    const [first, second] = await Promise.all([
      chats.clearThread(group.id, 7),
      chats.clearThread(group.id, 7),
    ]);
    expect([first, second].sort()).toEqual([false, true]);
    const { threadId: _gone, ...rest } = group;
    expect(await chats.get(group.id)).toEqual(rest);
  });

  it("leaves a topic chosen since alone, and keeps a channel's connector", async () => {
    await chats.save({ ...newChat(-100_2, "group", "ru", "Europe/Moscow"), threadId: 9 });
    expect(await chats.clearThread(-100_2, 7)).toBe(false);
    expect((await chats.get(-100_2))?.threadId).toBe(9);
    await chats.save({ ...newChat(-100_3, "group", "ru", "Europe/Moscow"), threadId: 4, connectedBy: 55 });
    expect(await chats.clearThread(-100_3, 4)).toBe(true);
    expect(await chats.get(-100_3)).toMatchObject({ connectedBy: 55 });
    expect((await chats.get(-100_3))?.threadId).toBeUndefined();
    expect(await chats.clearThread(-100_404, 4)).toBe(false);
  });

  it("clears a gone topic of a group with readers' options and keeps the options", async () => {
    const options = { ...defaultReaderOptions(), mode: "digest" as const, digestTimes: [480] };
    const group = { ...newChat(-100_5, "group", "ru", "Europe/Moscow"), threadId: 3, options };
    await chats.save(group);
    expect(await chats.clearThread(group.id, 3)).toBe(true);
    const { threadId: _gone, ...rest } = group;
    expect(await chats.get(group.id)).toEqual(rest);
    await chats.save({ ...group, connectedBy: 77 });
    expect(await chats.clearThread(group.id, 3)).toBe(true);
    expect(await chats.get(group.id)).toEqual({ ...rest, connectedBy: 77 });
  });

  it("lists a connected channel for its connector and tells of a loss once until it is connected again", async () => {
    const channel = { ...newChat(-100_5, "channel", "en", "UTC"), connectedBy: 77 };
    await chats.connectChannel(channel, "Kavkaz Daily");
    expect(await chats.get(channel.id)).toEqual(channel);
    expect(await chats.userChannels(77)).toEqual(new Map([[channel.id, "Kavkaz Daily"]]));
    expect(await chats.claimLossNotice(channel.id)).toBe(true);
    expect(await chats.claimLossNotice(channel.id)).toBe(false);
    await chats.connectChannel(channel, "Kavkaz Daily");
    expect(await chats.claimLossNotice(channel.id)).toBe(true);
    await chats.removeUserChannel(77, channel.id);
    expect(await chats.userChannels(77)).toEqual(new Map());
  });
});
