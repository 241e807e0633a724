import type { Queue } from "bullmq";
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from "fastify";
import type { Api } from "grammy";
import type { Redis } from "ioredis";
import { DateTime } from "luxon";
import { type PublishDeps, publishArticle } from "../../jobs/publish-article.ts";
import type { Config } from "../config.ts";
import type { Logger } from "../logger.ts";
import type { Metrics } from "../metrics.ts";
import { bearerMatches } from "./bearer.ts";
import { mountDashboard } from "./dashboard.ts";

/** Large enough for a 32,768-character teaser in any script, small enough to refuse junk early. */
export const ARTICLE_BODY_LIMIT = 256 * 1024;
const TELEGRAM_CHECK_TTL_MS = 30_000;
// A failed check is repeated sooner, so health turns back to ok soon after Telegram does.
const TELEGRAM_FAILURE_TTL_MS = 5_000;
const REDIS_DOWN = /ECONNREFUSED|Connection is closed|Stream isn't writeable|enableOfflineQueue|max retries/i;

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

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** The ingest API, health, metrics and (with a password) the queue dashboard of one process. */
export async function createHttpServer(deps: HttpDeps): Promise<FastifyInstance> {
  const { config, redis, metrics } = deps;
  const app = Fastify({
    // Requests are not logged one by one (scrapes and health checks would drown the log).
    loggerInstance: deps.logger.child({ part: "http" }, { level: "warn" }) as FastifyBaseLogger,
    bodyLimit: ARTICLE_BODY_LIMIT,
  });

  // Only JSON is accepted; anything else gets 415 rather than being read as a string.
  app.removeContentTypeParser("text/plain");
  app.setErrorHandler((error: { statusCode?: number; message: string; code?: string }, _request, reply) => {
    // Redis down or refusing: the article was not taken, and a retry later will work.
    if (error.statusCode === undefined && REDIS_DOWN.test(error.message)) {
      return reply
        .status(503)
        .header("retry-after", "5")
        .send({ error: "storage unavailable, try again later" });
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

  if (config.ingestToken) {
    const token = config.ingestToken;
    // The token is checked before the body is read, so a caller without it learns nothing else.
    const requireToken = async (request: FastifyRequest, reply: FastifyReply) => {
      if (!bearerMatches(request.headers.authorization, token)) {
        await reply
          .status(401)
          .header("www-authenticate", "Bearer")
          .send({ error: "missing or wrong bearer token" });
      }
    };
    app.post("/articles", { onRequest: requireToken }, async (request, reply) => {
      const result = await publishArticle(request.body, deps.publish, DateTime.utc());
      metrics.articlesIngested.inc({ source: "api", result: result.status });
      if (result.status === "invalid")
        return reply.status(400).send({ status: "invalid", errors: result.errors });
      if (result.status === "duplicate")
        return reply.status(200).send({ id: result.id, status: "duplicate" });
      return reply.status(202).send({ id: result.id, status: "queued" });
    });
  }

  let telegram: { ok: boolean; at: number; error?: string } = { ok: false, at: 0 };
  async function telegramReachable() {
    const ttl = telegram.ok ? TELEGRAM_CHECK_TTL_MS : TELEGRAM_FAILURE_TTL_MS;
    if (Date.now() - telegram.at < ttl) return telegram;
    try {
      await withTimeout(deps.api.getMe(), 3000);
      telegram = { ok: true, at: Date.now() };
    } catch (error) {
      telegram = { ok: false, at: Date.now(), error: error instanceof Error ? error.message : String(error) };
    }
    return telegram;
  }

  async function queueCounts() {
    const entries = await Promise.all(
      Object.entries(deps.queues).map(async ([name, queue]) => {
        const counts = await withTimeout(
          queue.getJobCounts("wait", "prioritized", "active", "delayed", "failed"),
          2000,
        );
        return [name, counts] as const;
      }),
    );
    return Object.fromEntries(entries);
  }

  app.get("/healthz", async (_request, reply) => {
    try {
      await withTimeout(redis.ping(), 2000);
    } catch (error) {
      return reply
        .status(503)
        .send({ status: "unavailable", redis: `unreachable: ${(error as Error).message}` });
    }
    const [queues, reachable] = await Promise.all([
      queueCounts().catch((e: Error) => ({ error: e.message })),
      telegramReachable(),
    ]);
    const bot = deps.bot?.();
    // Still 200: Redis is fine, so the process does its work (ingest, delivery once Telegram is
    // back) and restarting it would not help; "degraded" and the part's own field say what fails.
    return reply.send({
      status: reachable.ok && (bot?.ok ?? true) ? "ok" : "degraded",
      redis: "ok",
      queues,
      telegram: reachable.ok ? "ok" : `unreachable: ${reachable.error ?? "unknown"}`,
      ...(bot ? { bot: bot.state } : {}),
    });
  });

  app.get("/metrics", async (_request, reply) => {
    try {
      const counts = await queueCounts();
      for (const [queue, states] of Object.entries(counts)) {
        for (const [state, n] of Object.entries(states)) metrics.queueDepth.set({ queue, state }, n);
      }
    } catch {
      // Metrics still answer while Redis is down; the queue gauges keep their last values.
    }
    return reply.header("content-type", metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  if (config.dashboardPassword) {
    await mountDashboard(app, Object.values(deps.queues), config.dashboardPassword);
  }

  if (deps.webhook) {
    const { path, handler } = deps.webhook;
    app.post(path, (request, reply) => handler(request, reply));
  }
  return app;
}
