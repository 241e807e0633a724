import { type RunnerHandle, run } from "@grammyjs/runner";
import type { Redis } from "ioredis";
import { startWorkers } from "../jobs/workers.ts";
import { createBot, publishCommands } from "./bot/create-bot.ts";
import type { Config } from "./config.ts";
import type { Logger } from "./logger.ts";
import { defaultCatalog } from "./store/catalog-seed.ts";
import { CatalogStore } from "./store/catalog-store.ts";
import { ChatStore } from "./store/chat-store.ts";
import { redisKeys } from "./store/keys.ts";
import { createRedis } from "./store/redis.ts";
import { SubscriptionStore } from "./store/subscription-store.ts";

export type Role = "all" | "bot" | "worker";

export interface RunningApp {
  stop(): Promise<void>;
}

const ALLOWED_UPDATES = ["message", "callback_query", "my_chat_member"] as const;

/** Builds the parts a role needs and starts them; `stop` undoes it in reverse. */
export async function startApp(config: Config, role: Role, logger: Logger): Promise<RunningApp> {
  const keys = redisKeys(config.redisPrefix);
  const redis: Redis = createRedis(config.redisUrl, "producer");
  redis.on("error", (err) => logger.warn({ err: err.message }, "redis connection problem"));
  await waitForRedis(redis);
  const stores = {
    catalog: new CatalogStore(redis, keys),
    chats: new ChatStore(redis, keys),
    subscriptions: new SubscriptionStore(redis, keys),
  };
  if (await stores.catalog.seedOnce(defaultCatalog())) logger.info("default catalogue seeded");

  const stops: (() => Promise<void>)[] = [];
  if (role === "all" || role === "bot") {
    const bot = createBot({ config, logger, redis, stores });
    await bot.init();
    await bot.api.deleteWebhook();
    await publishCommands(bot, config.defaultLanguage);
    const runner: RunnerHandle = run(bot, { runner: { fetch: { allowed_updates: ALLOWED_UPDATES } } });
    logger.info({ username: bot.botInfo.username }, "bot is polling for updates");
    stops.push(async () => {
      if (runner.isRunning()) await runner.stop();
    });
  }

  if (role === "all" || role === "worker") {
    const workers = await startWorkers(config, logger);
    stops.push(() => workers.close());
  }

  return {
    async stop() {
      for (const stop of stops.reverse()) await stop();
      redis.disconnect();
    },
  };
}

async function waitForRedis(redis: Redis): Promise<void> {
  if (redis.status === "ready") return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("Redis did not answer within 10 s")), 10_000);
    redis.once("ready", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
