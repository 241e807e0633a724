import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { type ChatSettings, newChat } from "../../src/domain/chat.ts";
import { ChatStore } from "../../src/store/chat-store.ts";
import { CHAT_BUCKETS, redisKeys } from "../../src/store/keys.ts";
import { countReach, roughly } from "../../src/store/reach.ts";
import { SubscriptionStore } from "../../src/store/subscription-store.ts";
import { deletePrefix, SHARED_REDIS_URL, testPrefix } from "../support/redis.ts";

const prefix = testPrefix("reach");
const redis = new Redis(SHARED_REDIS_URL);
const keys = redisKeys(prefix);
const chats = new ChatStore(redis, keys);

afterAll(async () => {
  await deletePrefix(redis, prefix);
  redis.disconnect();
});

/** A client that notes every command it sends (pipelines and scripts included), by name and first key. */
function countingClient() {
  const client = new Redis(SHARED_REDIS_URL);
  const sent: { name: string; key: string }[] = [];
  const send = client.sendCommand.bind(client);
  client.sendCommand = ((command: { name: string; args: unknown[] }, ...rest: unknown[]) => {
    sent.push({ name: command.name.toLowerCase(), key: String(command.args[0] ?? "") });
    return (send as (...a: unknown[]) => unknown)(command, ...rest);
  }) as typeof client.sendCommand;
  return { client, sent };
}

async function seed(slug: string, readers: readonly ChatSettings[]): Promise<void> {
  const subs = new SubscriptionStore(redis, keys);
  for (let i = 0; i < readers.length; i += 2000) {
    const batch = readers.slice(i, i + 2000);
    await chats.saveMany(batch);
    await subs.subscribeMany(batch.map((c) => ({ chatId: c.id, slug })));
  }
}

describe("reach of an article", () => {
  it("counts a small audience exactly inside Redis: no chat's settings reach the bot", async () => {
    const readers = [
      newChat(201, "private", "ru", "Europe/Moscow"),
      { ...newChat(202, "private", "ru", "Europe/Moscow"), active: false },
      newChat(203, "private", "en", "Europe/Moscow"),
      { ...newChat(204, "private", "en", "Europe/Moscow"), editions: "both" as const },
      newChat(-1_001_234_567_890, "group", "ru", "Europe/Moscow"),
      { ...newChat(-1_001_234_567_891, "channel", "en", "UTC"), editions: "ru" as const },
    ];
    await seed("reach-small", readers);
    const { client, sent } = countingClient();
    try {
      const subs = new SubscriptionStore(client, keys);
      expect(await countReach(subs, ["reach-small"], "ru")).toEqual({ count: 4, exact: true });
      expect(await countReach(subs, ["reach-small"], "en")).toEqual({ count: 2, exact: true });
    } finally {
      client.disconnect();
    }
    const chatBucket = new RegExp(`^${prefix}:chat:\\d+$`);
    expect(sent.filter((c) => chatBucket.test(c.key))).toEqual([]);
    expect(sent.filter((c) => ["hget", "hmget", "hgetall", "hvals"].includes(c.name))).toEqual([]);
    // The whole keyspace of 1,024 shards in a handful of calls, not one per chat.
    expect(sent.length).toBeLessThan(30);
    expect(CHAT_BUCKETS).toBe(4096);
  });

  it("counts a chat following several of the slugs once", async () => {
    const subs = new SubscriptionStore(redis, keys);
    await chats.saveMany([newChat(301, "private", "ru", "UTC"), newChat(302, "private", "ru", "UTC")]);
    for (const [id, slug] of [
      [301, "reach-a"],
      [301, "reach-b"],
      [302, "reach-b"],
    ] as const)
      await subs.subscribe(id, slug);
    expect(await countReach(subs, ["reach-a", "reach-b"], "ru")).toEqual({ count: 2, exact: true });
  });

  it("estimates a big audience from a sample of shards as about a rounded figure, reading about the sample", async () => {
    // 6,000 followers: 5,400 active in Russian, 300 inactive, 300 in English.
    const readers = Array.from({ length: 6000 }, (_, i) => {
      const chat = newChat(7_000_000 + i * 7, "private", i % 20 === 1 ? "en" : "ru", "UTC");
      return i % 20 === 2 ? { ...chat, active: false } : chat;
    });
    await seed("reach-big", readers);
    const { client, sent } = countingClient();
    let reach: Awaited<ReturnType<typeof countReach>>;
    try {
      reach = await countReach(new SubscriptionStore(client, keys), ["reach-big"], "ru", 1000);
    } finally {
      client.disconnect();
    }
    expect(reach.exact).toBe(false);
    expect(Math.abs(reach.count - 5400) / 5400).toBeLessThan(0.06);
    expect(reach.count % 100).toBe(0);
    // A sample of 1,000 of 6,000 followers: a few calls, far fewer than the 1,024 shards.
    expect(sent.length).toBeLessThan(10);
    expect(await countReach(new SubscriptionStore(redis, keys), ["reach-big"], "ru", 10_000)).toEqual({
      count: 5400,
      exact: true,
    });
  });

  it("rounds an estimate to two significant figures", () => {
    expect(roughly(546_354)).toBe(550_000);
    expect(roughly(27_449)).toBe(27_000);
    expect(roughly(1_234)).toBe(1_200);
    expect(roughly(87)).toBe(87);
    expect(roughly(0)).toBe(0);
  });
});
