import { type RunnerHandle, run } from "@grammyjs/runner";
import { webhookCallback } from "grammy";
import type { Redis } from "ioredis";
import { createQueues } from "../jobs/queues.ts";
import { startWorkers } from "../jobs/workers.ts";
import { createBot, publishCommands } from "./bot/create-bot.ts";
import { publishProfile } from "./bot/profile.ts";
import { publishAllStaffCommands } from "./bot/staff-commands.ts";
import type { Config } from "./config.ts";
import { createHttpServer, type HttpDeps } from "./http/server.ts";
import type { Logger } from "./logger.ts";
import { createMetrics } from "./metrics.ts";
import { ArticleStore } from "./store/article-store.ts";
import { AuditStore } from "./store/audit-store.ts";
import { defaultCatalog } from "./store/catalog-seed.ts";
import { CatalogStore } from "./store/catalog-store.ts";
import { ChatCensusReader } from "./store/chat-census.ts";
import { ChatStore } from "./store/chat-store.ts";
import { DeliveryErrorLog } from "./store/delivery-errors.ts";
import { FeedStore } from "./store/feed-store.ts";
import { redisKeys } from "./store/keys.ts";
import { createRedis, waitUntilReady } from "./store/redis.ts";
import { StaffStore } from "./store/staff-store.ts";
import { StopList } from "./store/stop-list.ts";
import { SubscriptionStore } from "./store/subscription-store.ts";
import { createApi } from "./telegram/create-api.ts";

export type Role = "all" | "bot" | "worker";

export interface RunningApp {
  /** Where the HTTP server listens (its port is chosen by the OS when HTTP_PORT is 0). */
  httpUrl: string;
  stop(): Promise<void>;
}

const ALLOWED_UPDATES = ["message", "callback_query", "my_chat_member"] as const;

/** Builds the parts a role needs and starts them; `stop` undoes it in reverse. */
export async function startApp(config: Config, role: Role, logger: Logger): Promise<RunningApp> {
  const keys = redisKeys(config.redisPrefix);
  // People and HTTP clients are answered from this connection, so it fails fast while Redis is down.
  const redis: Redis = createRedis(config.redisUrl, "producer");
  redis.on("error", (err) => logger.warn({ err: err.message }, "redis connection problem"));
  await waitUntilReady(redis, 10_000).catch(() => {
    throw new Error("Redis did not answer within 10 s");
  });
  const stores = {
    catalog: new CatalogStore(redis, keys),
    chats: new ChatStore(redis, keys),
    subscriptions: new SubscriptionStore(redis, keys),
    articles: new ArticleStore(redis, keys),
    staff: new StaffStore(redis, keys, config.adminIds),
    audit: new AuditStore(redis, keys),
    feeds: new FeedStore(redis, keys),
    errors: new DeliveryErrorLog(redis, keys),
    census: new ChatCensusReader(redis, keys),
    stopList: new StopList(redis, keys),
  };
  if (await stores.catalog.seedOnce(defaultCatalog())) logger.info("default catalogue seeded");
  if (config.sendRate > 30 && !config.paidBroadcast) {
    logger.warn(
      { sendRate: config.sendRate },
      "Telegram allows about 30 messages/s without PAID_BROADCAST=true; expect 429s",
    );
  }
  const metrics = createMetrics();
  const queues = createQueues(redis, keys.bullPrefix);
  for (const queue of [queues.fanout, queues.deliver, queues.feeds, queues.status, queues.revisions]) {
    queue.on("error", (err) => logger.warn({ err: err.message, queue: queue.name }, "queue error"));
  }
  const stops: (() => Promise<void>)[] = [async () => queues.close()];
  let webhook: HttpDeps["webhook"];
  let startPolling: (() => void) | undefined;

  if (role === "all" || role === "bot") {
    const bot = createBot({ config, logger, redis, stores, queues });
    await bot.init();
    await publishCommands(bot, config.defaultLanguage);
    await publishProfile(bot.api, config.label, config.defaultLanguage);
    await publishAllStaffCommands(bot.api, stores.staff, config.adminIds, config.defaultLanguage, logger);
    if (config.webhookUrl && config.webhookSecret) {
      await bot.api.setWebhook(config.webhookUrl, {
        secret_token: config.webhookSecret,
        allowed_updates: ALLOWED_UPDATES,
      });
      // grammY checks X-Telegram-Bot-Api-Secret-Token on every request and answers 401 otherwise.
      // Past its 10 s an update counts as taken (it goes on in the background): an error there
      // would make Telegram deliver it again, and the reader get a second answer.
      const handler = webhookCallback(bot, "fastify", {
        secretToken: config.webhookSecret,
        onTimeout: "return",
      });
      webhook = {
        path: new URL(config.webhookUrl).pathname,
        handler: handler as NonNullable<HttpDeps["webhook"]>["handler"],
      };
      logger.info({ username: bot.botInfo.username }, "bot takes updates by webhook");
    } else {
      await bot.api.deleteWebhook();
      startPolling = () => {
        const runner: RunnerHandle = run(bot, { runner: { fetch: { allowed_updates: ALLOWED_UPDATES } } });
        stops.push(async () => {
          if (runner.isRunning()) await runner.stop();
        });
        logger.info({ username: bot.botInfo.username }, "bot is polling for updates");
      };
    }
  }

  if (role === "all" || role === "worker") {
    const workers = await startWorkers(config, logger, { metrics });
    stops.push(() => workers.close());
  }

  const http = await createHttpServer({
    config,
    logger,
    redis,
    metrics,
    api: createApi(config, 5),
    publish: { catalog: stores.catalog, articles: stores.articles, queues },
    queues: {
      fanout: queues.fanout,
      deliver: queues.deliver,
      feeds: queues.feeds,
      status: queues.status,
      revisions: queues.revisions,
    },
    ...(webhook ? { webhook } : {}),
  });
  const httpUrl = await http.listen({ host: config.httpHost, port: config.httpPort });
  logger.info({ url: httpUrl }, "http server listening");
  stops.push(async () => http.close());
  startPolling?.();

  return {
    httpUrl,
    async stop() {
      // Stop taking work first (updates, HTTP), then let the workers finish what is in hand.
      for (const stop of stops.reverse()) await stop();
      redis.disconnect();
    },
  };
}
