import type { Queue } from "bullmq";
import type { FastifyPluginAsync } from "fastify";
import type { Api } from "grammy";
import type { Redis } from "ioredis";
import { queueCounts, withTimeout } from "./queue-counts.ts";
import { storageRefusal } from "./storage-errors.ts";

const TELEGRAM_CHECK_TTL_MS = 30_000;
// A failed check is repeated sooner, so health turns back to ok soon after Telegram does.
const TELEGRAM_FAILURE_TTL_MS = 5_000;

export interface HealthDeps {
  redis: Redis;
  api: Api;
  queues: Record<string, Queue>;
  /** Roles with the bot: whether it takes updates ("polling", "webhook") or why not yet. */
  bot?: () => { ok: boolean; state: string };
  /** A key of the project's own that each check writes: PING works while Redis refuses writes. */
  probeKey: string;
}

/**
 * GET /healthz: 503 while Redis is unreachable or refuses writes; otherwise 200, "degraded"
 * naming a failing part.
 */
export function healthRoute(deps: HealthDeps): FastifyPluginAsync {
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

  return async (app) => {
    app.get("/healthz", async (_request, reply) => {
      try {
        // A write, not a PING: PING still works while Redis refuses writes (out of memory, a
        // replica after a failover), when nothing could be published or recorded.
        await withTimeout(deps.redis.set(deps.probeKey, String(Date.now()), "PX", 60_000), 2000);
      } catch (error) {
        return reply.status(503).send({ status: "unavailable", redis: redisProblem(error as Error) });
      }
      const [queues, reachable] = await Promise.all([
        queueCounts(deps.queues).catch((e: Error) => ({ error: e.message })),
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
  };
}

/** Redis's own words when it cannot be reached; which refusal it is when it answers but refuses. */
function redisProblem(error: Error): string {
  const refusal = storageRefusal(error);
  return refusal && !refusal.unreachable
    ? `refuses writes: ${refusal.reason}`
    : `unreachable: ${error.message}`;
}
