import { once } from "node:events";
import { PassThrough, Writable } from "node:stream";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { newChat } from "../../src/domain/chat.ts";
import { defaultCatalog } from "../../src/store/catalog-seed.ts";
import { CatalogStore } from "../../src/store/catalog-store.ts";
import { ChatStore } from "../../src/store/chat-store.ts";
import { redisKeys } from "../../src/store/keys.ts";
import { exportSubscribers } from "../../src/store/subscriber-export.ts";
import { SubscriptionStore } from "../../src/store/subscription-store.ts";
import { deletePrefix, SHARED_REDIS_URL, testPrefix } from "../support/redis.ts";

const redis = new Redis(SHARED_REDIS_URL);
const prefixes: string[] = [];

async function freshInstall(name: string) {
  const prefix = testPrefix(name);
  prefixes.push(prefix);
  const keys = redisKeys(prefix);
  const catalog = new CatalogStore(redis, keys);
  await catalog.seedOnce(defaultCatalog());
  return { keys, catalog, chats: new ChatStore(redis, keys), subs: new SubscriptionStore(redis, keys) };
}

async function exportLines(keys: ReturnType<typeof redisKeys>): Promise<string[]> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on("data", (chunk: Buffer) => chunks.push(chunk));
  await exportSubscribers(redis, keys, out);
  return Buffer.concat(chunks).toString("utf8").trimEnd().split("\n");
}

afterAll(async () => {
  for (const prefix of prefixes) await deletePrefix(redis, prefix);
  redis.disconnect();
});

describe("subscriber export", () => {
  it("includes subscriptions to archived slugs, so it is a full backup", async () => {
    const { keys, catalog, chats, subs } = await freshInstall("exp-archived");
    await chats.save(newChat(1, "private", "ru", "Europe/Moscow"));
    await subs.subscribe(1, "courts");
    await subs.subscribe(1, "chechnya");
    const courts = await catalog.get("courts");
    if (!courts) throw new Error("the default catalogue has courts");
    await catalog.put({ ...courts, state: "archived" });
    expect(await exportLines(keys)).toEqual([
      "chat_id,slugs,lang,editions,time_zone,active,options",
      "1,chechnya;courts,ru,ru,Europe/Moscow,1,{}",
    ]);
  });

  it("leaves out chats that follow nothing and keeps those whose settings are missing", async () => {
    const { keys, chats, subs } = await freshInstall("exp-partial");
    await chats.save(newChat(2, "private", "en", "UTC"));
    await subs.subscribe(3, "dagestan");
    expect(await exportLines(keys)).toEqual([
      "chat_id,slugs,lang,editions,time_zone,active,options",
      "3,dagestan,,,,,",
    ]);
  });

  it("waits for a slow reader instead of buffering the whole export", async () => {
    const { keys, chats, subs } = await freshInstall("exp-slow");
    const ids = Array.from({ length: 5000 }, (_, i) => 1_000_000 + i);
    await chats.saveMany(ids.map((id) => newChat(id, "private", "ru", "Europe/Moscow")));
    await subs.subscribeMany(ids.map((chatId) => ({ chatId, slug: "courts" })));
    let received = "";
    let mostBuffered = 0;
    const slow = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _encoding, done) {
        received += chunk.toString("utf8");
        setTimeout(done, 1);
      },
    });
    const watch = setInterval(() => {
      mostBuffered = Math.max(mostBuffered, slow.writableLength);
    }, 0);
    const summary = await exportSubscribers(redis, keys, slow);
    clearInterval(watch);
    slow.end();
    await once(slow, "finish");
    expect(summary).toEqual({ chats: 5000, subscriptions: 5000 });
    expect(received.trimEnd().split("\n")).toHaveLength(5001);
    // One shard's lines at most (~5 chats a shard here), never the whole ~190 KB export.
    expect(mostBuffered).toBeLessThan(2048);
  });

  it("stops with an error when the reader has gone away", async () => {
    const { keys, subs } = await freshInstall("exp-closed");
    await subs.subscribe(1, "courts");
    const gone = new PassThrough();
    gone.on("error", () => {}); // as the CLI does for stdout
    gone.destroy(new Error("EPIPE"));
    await expect(exportSubscribers(redis, keys, gone)).rejects.toThrow("output closed: EPIPE");
  });
});
