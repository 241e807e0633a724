import type { Queue } from "bullmq";
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from "fastify";
import type { Api } from "grammy";
import type { Redis } from "ioredis";
import type { Config } from "../config.ts";
import type { PublishDeps } from "../delivery/publish-article.ts";
import type { Logger } from "../logger.ts";
import type { Metrics } from "../metrics.ts";
import { mountDashboard } from "./dashboard.ts";
import { healthRoute } from "./health-route.ts";
import { ingestRoute } from "./ingest-route.ts";
import { metricsRoute } from "./metrics-route.ts";
import { storageRefusal } from "./storage-errors.ts";

/**
 * Large enough for a 200,000-character body and a 32,768-character teaser in any script, even
 * JSON-escaped (up to 6 bytes a character), so that an over-long text is refused by name (400
 * naming `body`); small enough to refuse junk early.
 */
export const ARTICLE_BODY_LIMIT = 2 * 1024 * 1024;

export interface HttpDeps {
  config: Config;
  logger: Logger;
  redis: Redis;
  publish: PublishDeps;
  queues: Record<string, Queue>;
  metrics: Metrics;
  api: Api;
  /** Webhook mode: the handler for Telegram's updates, mounted at WEBHOOK_URL's path. */
  webhook?: { path: string; handler: (request: unknown, reply: unknown) => Promise<unknown> };
  /** Roles with the bot: whether it takes updates ("polling", "webhook") or why not yet. */
  bot?: () => { ok: boolean; state: string };
}

/** The ingest API, health, metrics and (with a password) the queue dashboard of one process. */
export async function createHttpServer(deps: HttpDeps): Promise<FastifyInstance> {
  const { config, metrics } = deps;
  const app = Fastify({
    // Requests are not logged one by one (scrapes and health checks would drown the log).
    loggerInstance: deps.logger.child({ part: "http" }, { level: "warn" }) as FastifyBaseLogger,
    bodyLimit: ARTICLE_BODY_LIMIT,
  });

  // Only JSON is accepted; anything else gets 415 rather than being read as a string.
  app.removeContentTypeParser("text/plain");
  app.setErrorHandler((error: { statusCode?: number; message: string; code?: string }, _request, reply) => {
    // Redis down or refusing writes: the article was not taken, and a retry later will work.
    const refusal = error.statusCode === undefined ? storageRefusal(error) : undefined;
    if (refusal) {
      deps.logger.warn(
        { err: error.message, reason: refusal.reason },
        "http request refused: storage unavailable",
      );
      return reply
        .status(503)
        .header("retry-after", String(refusal.retryAfter))
        .send({ error: "storage unavailable, try again later", reason: refusal.reason });
    }
    const status = error.statusCode ?? 500;
    if (status >= 500) deps.logger.error({ err: error }, "http request failed");
    const messages: Record<number, string> = {
      413: `body larger than ${ARTICLE_BODY_LIMIT} bytes`,
      415: "Content-Type must be application/json",
    };
    const message =
      messages[status] ??
      (error.code === "FST_ERR_CTP_EMPTY_JSON_BODY"
        ? "empty body"
        : status < 500
          ? error.message
          : "internal error");
    return reply.status(status).send({ error: message });
  });
  app.setNotFoundHandler((_request, reply) => reply.status(404).send({ error: "not found" }));

  if (config.ingestToken) await app.register(ingestRoute(config.ingestToken, deps.publish, metrics));
  await app.register(
    healthRoute({
      redis: deps.redis,
      api: deps.api,
      queues: deps.queues,
      ...(deps.bot ? { bot: deps.bot } : {}),
      probeKey: `${config.redisPrefix}:health`,
    }),
  );
  await app.register(metricsRoute(metrics, deps.queues));

  if (config.dashboardPassword) {
    await mountDashboard(app, Object.values(deps.queues), config.dashboardPassword);
  }

  if (deps.webhook) {
    const { path, handler } = deps.webhook;
    app.post(path, (request, reply) => handler(request, reply));
  }
  return app;
}
