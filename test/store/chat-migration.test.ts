import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { newChat } from "../../src/domain/chat.ts";
import { CatalogStore } from "../../src/store/catalog-store.ts";
import { migrateChat } from "../../src/store/chat-migration.ts";
import { ChatStore } from "../../src/store/chat-store.ts";
import { redisKeys } from "../../src/store/keys.ts";
import { SubscriptionStore } from "../../src/store/subscription-store.ts";
import { deletePrefix, SHARED_REDIS_URL, testPrefix } from "../support/redis.ts";

const prefix = testPrefix("migrate");
const redis = new Redis(SHARED_REDIS_URL);
const keys = redisKeys(prefix);
const stores = {
  catalog: new CatalogStore(redis, keys),
  chats: new ChatStore(redis, keys),
  subscriptions: new SubscriptionStore(redis, keys),
};

afterAll(async () => {
  await deletePrefix(redis, prefix);
  redis.disconnect();
});

describe("migrateChat", () => {
  it("moves a group's subscriptions and settings to its supergroup id and forwards the old id there", async () => {
    await stores.catalog.seedOnce([
      { slug: "chechnya", kind: "region", nameRu: "Чечня", nameEn: "Chechnya", state: "active" },
      { slug: "courts", kind: "topic", nameRu: "Суды", nameEn: "Courts", state: "active" },
      { slug: "elections", kind: "topic", nameRu: "Выборы", nameEn: "Elections", state: "archived" },
    ]);
    await stores.chats.save({ ...newChat(-700, "group", "en", "UTC"), editions: "both" });
    await stores.subscriptions.subscribe(-700, "chechnya");
    await stores.subscriptions.subscribe(-700, "elections");

    expect((await migrateChat(stores, -700, -100700)).sort()).toEqual(["chechnya", "elections"]);
    expect(await stores.subscriptions.slugsOf(-100700, ["chechnya", "courts", "elections"])).toEqual([
      "chechnya",
      "elections",
    ]);
    expect(await stores.subscriptions.slugsOf(-700, ["chechnya", "elections"])).toEqual([]);
    expect(await stores.chats.get(-100700)).toMatchObject({ id: -100700, lang: "en", editions: "both" });
    expect(await stores.chats.get(-700)).toBeUndefined();
    expect(await stores.chats.movedTo(-700)).toBe(-100700);
  });
});
