import { DateTime } from "luxon";
import { publishArticle } from "../../src/delivery/publish-article.ts";
import { createQueues, type Queues } from "../../src/delivery/queues.ts";
import type { Article } from "../../src/domain/article.ts";
import { type ChatSettings, newChat } from "../../src/domain/chat.ts";
import { createStores } from "../../src/store/create-stores.ts";
import { redisKeys } from "../../src/store/keys.ts";
import type { Harness } from "./bot-harness.ts";
import { eventually } from "./eventually.ts";

let nextArticle = 1;

export function articleInput(overrides: Partial<Article> = {}): Record<string, unknown> {
  const n = nextArticle++;
  return {
    id: `test-${process.pid}-${n}`,
    url: `https://www.kavkaz-uzel.eu/articles/${n}/`,
    headline: `Headline ${n}`,
    teaser: `Teaser of article ${n}.`,
    topics: [],
    regions: ["chechnya"],
    lang: "ru",
    publishedAt: "2026-11-27T10:00:00Z",
    ...overrides,
  };
}

/** Stores and a producer queue over the harness's Redis, to seed subscribers and publish like a source would. */
export function deliveryTools(h: Pick<Harness, "config" | "redis">) {
  const keys = redisKeys(h.config.redisPrefix);
  const stores = createStores(h.redis, keys, h.config);
  const queues: Queues = createQueues(h.redis, keys.bullPrefix);
  queues.fanout.on("error", () => undefined);
  queues.deliver.on("error", () => undefined);
  return {
    ...stores,
    queues,
    async subscriber(
      id: number,
      slugs: string[],
      settings: Partial<ChatSettings> = {},
    ): Promise<ChatSettings> {
      const chat = { ...newChat(id, id < 0 ? "group" : "private", "ru", "Europe/Moscow"), ...settings };
      await stores.chats.save(chat);
      for (const slug of slugs) await stores.subscriptions.subscribe(id, slug);
      return chat;
    },
    async publish(input: unknown) {
      return publishArticle(
        input,
        { catalog: stores.catalog, articles: stores.articles, texts: stores.texts, queues },
        DateTime.utc(),
      );
    },
    async publishAndWait(input: unknown, timeoutMs = 15_000) {
      const result = await this.publish(input);
      if (result.status === "invalid") throw new Error(JSON.stringify(result.errors));
      await eventually(
        async () => (await stores.articles.stats(result.seq)).finishedAt !== undefined,
        timeoutMs,
        `article ${result.seq} delivered`,
      );
      return { seq: result.seq, stats: await stores.articles.stats(result.seq) };
    },
  };
}
