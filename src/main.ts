import { setTimeout as sleep } from "node:timers/promises";
import { autoRetry } from "@grammyjs/auto-retry";
import { type RunnerHandle, run } from "@grammyjs/runner";
import type { Queue } from "bullmq";
import { type Api, type Bot, GrammyError, HttpError, type Transformer, webhookCallback } from "grammy";
import type { Redis } from "ioredis";
import { startWorkers } from "../jobs/workers.ts";
import type { BotContext } from "./bot/context.ts";
import { createBot, publishCommands } from "./bot/create-bot.ts";
import { publishProfile } from "./bot/profile.ts";
import { publishAllStaffCommands } from "./bot/staff-commands.ts";
import type { Config } from "./config.ts";
import { createQueues } from "./delivery/queues.ts";
import { createHttpServer, type HttpDeps } from "./http/server.ts";
import type { Logger } from "./logger.ts";
import { createMetrics } from "./metrics.ts";
import { defaultCatalog } from "./store/catalog-seed.ts";
import { createStores } from "./store/create-stores.ts";
import { redisKeys } from "./store/keys.ts";
import { checkPrefixFitsServer, createRedis, redisAddress, waitUntilReady } from "./store/redis.ts";
import type { StaffStore } from "./store/staff-store.ts";
import { createApi } from "./telegram/create-api.ts";

export type Role = "all" | "bot" | "worker";

export interface RunningApp {
  /** Where the HTTP server listens (its port is chosen by the OS when HTTP_PORT is 0). */
  httpUrl: string;
  stop(): Promise<void>;
}

// Reactions come only when asked for: a reader's change in private chats and in groups where the
// bot is an admin (message_reaction), a channel message's counts (message_reaction_count).
const ALLOWED_UPDATES = [
  "message",
  "callback_query",
  "my_chat_member",
  "message_reaction",
  "message_reaction_count",
] as const;

/** Builds the parts a role needs and starts them; `stop` undoes it in reverse. */
export async function startApp(config: Config, role: Role, logger: Logger): Promise<RunningApp> {
  const keys = redisKeys(config.redisPrefix);
  // People and HTTP clients are answered from this connection, so it fails fast while Redis is down.
  const redis: Redis = createRedis(config.redis, "producer");
  redis.on("error", (err) => logger.warn({ err: err.message }, "redis connection problem"));
  await waitUntilReady(redis, 10_000).catch(() => {
    throw new Error(`Redis at ${redisAddress(config.redis)} did not answer within 10 s`);
  });
  const misfit = await checkPrefixFitsServer(redis, config.redisPrefix);
  if (misfit) {
    redis.disconnect();
    throw new Error(misfit);
  }
  const stores = createStores(redis, keys, config);
  await stores.mirrors.seed(config.linkMirrors);
  if (await stores.catalog.seedOnce(defaultCatalog())) logger.info("default catalogue seeded");
  if (config.sendRate > 30 && !config.paidBroadcast) {
    logger.warn(
      { sendRate: config.sendRate },
      "Telegram allows about 30 messages/s without PAID_BROADCAST=true; expect 429s",
    );
  }
  const metrics = createMetrics();
  const queues = createQueues(redis, keys.bullPrefix);
  // Every queue, those added later too: one without a listener prints its errors unformatted.
  for (const queue of Object.values(queues) as Queue[]) {
    if (typeof queue !== "object") continue;
    queue.on("error", (err) => logger.warn({ err: err.message, queue: queue.name }, "queue error"));
  }
  const stops: (() => Promise<void>)[] = [async () => queues.close()];
  let webhook: HttpDeps["webhook"];
  let botStart: BotStart | undefined;

  if (role === "all" || role === "bot") {
    const bot = createBot({ config, logger, redis, stores, queues });
    if (config.webhookUrl && config.webhookSecret) {
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
    }
    botStart = new BotStart(bot, config, logger, stores.staff);
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
    publish: { catalog: stores.catalog, articles: stores.articles, texts: stores.texts, queues },
    queues: {
      fanout: queues.fanout,
      deliver: queues.deliver,
      digests: queues.digests,
      feeds: queues.feeds,
      status: queues.status,
      revisions: queues.revisions,
      scheduled: queues.scheduled,
    },
    ...(webhook ? { webhook } : {}),
    ...(botStart ? { bot: botStart.state } : {}),
  });
  const httpUrl = await http.listen({ host: config.httpHost, port: config.httpPort });
  logger.info({ url: httpUrl }, "http server listening");
  stops.push(async () => http.close());
  if (botStart) {
    const started = botStart;
    started.begin();
    stops.push(() => started.stop());
  }

  return {
    httpUrl,
    async stop() {
      // Stop taking work first (updates, HTTP), then let the workers finish what is in hand.
      for (const stop of stops.reverse()) await stop();
      redis.disconnect();
    },
  };
}

/** How long a stop waits for the updates in hand (Telegram sends an unfinished one again later). */
const DRAIN_UPDATES_MS = 10_000;

/** Longest pause between two attempts to start the bot while Telegram does not answer. */
const MAX_RETRY_PAUSE_S = 60;

/**
 * What the bot needs from Telegram before it takes updates (its identity, the command menus, the
 * profile with the label, the webhook), tried again with growing pauses until Telegram answers.
 * It runs beside the rest of the process, so HTTP and the workers serve meanwhile, and it says
 * why it waits at every attempt.
 */
class BotStart {
  private readonly abort = new AbortController();
  private readonly api: Api;
  private current: { ok: boolean; state: string } = { ok: false, state: "starting" };
  private runner: RunnerHandle | undefined;
  private done: Promise<void> = Promise.resolve();

  constructor(
    private readonly bot: Bot<BotContext>,
    private readonly config: Config,
    private readonly logger: Logger,
    private readonly staff: StaffStore,
  ) {
    // The bot's own Api waits out network errors silently (auto-retry, for up to an hour per
    // call), which at start looked like a hang. This one fails at once, so each attempt can be
    // logged; it still waits out Telegram's flood control, and a stop cancels its calls.
    const signal = this.abort.signal;
    this.api = createApi(config, 10);
    this.api.config.use(
      autoRetry({
        maxRetryAttempts: 3,
        maxDelaySeconds: MAX_RETRY_PAUSE_S,
        rethrowHttpErrors: true,
        rethrowInternalServerErrors: true,
      }),
    );
    // grammY types its signal after a polyfill; at run time it takes Node's own.
    const stopSignal = signal as unknown as Parameters<Transformer>[3];
    this.api.config.use((prev, method, payload, callSignal) =>
      prev(method, payload, callSignal ?? stopSignal),
    );
  }

  /** For /healthz: whether the bot takes updates, or why not yet. */
  readonly state = (): { ok: boolean; state: string } => this.current;

  begin(): void {
    this.done = this.attempts();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.done;
    const runner = this.runner;
    if (!runner) return;
    if (runner.isRunning()) await runner.stop();
    // Updates already taken are handled to the end before Redis closes: one cut off halfway
    // would fail after its reply went out, its dialog step unsaved and not marked handled.
    const until = Date.now() + DRAIN_UPDATES_MS;
    while (runner.size() > 0 && Date.now() < until) await sleep(10);
    if (runner.size() > 0) {
      this.logger.warn({ updates: runner.size() }, "stopped while updates were still being handled");
    }
  }

  private async attempts(): Promise<void> {
    const signal = this.abort.signal;
    const since = Date.now();
    let lastProblem = "";
    for (let attempt = 1; !signal.aborted; attempt++) {
      try {
        await this.startOnce();
        if (attempt > 1) {
          this.logger.info(
            { attempts: attempt, waitedSeconds: Math.round((Date.now() - since) / 1000) },
            "Telegram answers",
          );
        }
        if (signal.aborted) return;
        this.takeUpdates();
        return;
      } catch (error) {
        if (signal.aborted) return;
        const pause = Math.min(MAX_RETRY_PAUSE_S, 2 ** (attempt - 1));
        const problem = describeTelegramError(error);
        this.current = { ok: false, state: `waiting for Telegram: ${problem}` };
        // Telegram refusing the token (401; 404 for a malformed one, or a wrong API root) is no
        // passing trouble: it needs the operator, so it is an error that says where to look.
        const code = error instanceof GrammyError ? error.error_code : undefined;
        const check =
          code === 401
            ? " (check BOT_TOKEN)"
            : code === 404
              ? " (check BOT_TOKEN and TELEGRAM_API_ROOT)"
              : "";
        // The whole error (stack, causes) once per kind of problem; then the one line suffices.
        const details = problem === lastProblem ? {} : { err: error };
        lastProblem = problem;
        this.logger[check ? "error" : "warn"](
          { ...details, attempt, retryInSeconds: pause, apiRoot: this.config.telegramApiRoot },
          `the bot waits for Telegram: ${problem}${check}; next try in ${pause} s`,
        );
        await sleep(pause * 1000, undefined, { signal }).catch(() => undefined);
      }
    }
  }

  /** Every call here may be repeated: an attempt that failed halfway starts again from the top. */
  private async startOnce(): Promise<void> {
    const { bot, api, config } = this;
    if (!bot.isInited()) bot.botInfo = await api.getMe();
    // publishCommands reads nothing of the bot but its `api`.
    await publishCommands({ api } as Bot<BotContext>, config.defaultLanguage);
    await publishProfile(api, config.label, config.defaultLanguage);
    await publishAllStaffCommands(api, this.staff, config.adminIds, config.defaultLanguage, this.logger);
    if (config.webhookUrl && config.webhookSecret) {
      await api.setWebhook(config.webhookUrl, {
        secret_token: config.webhookSecret,
        allowed_updates: ALLOWED_UPDATES,
      });
    } else {
      await api.deleteWebhook();
    }
  }

  private takeUpdates(): void {
    const { bot, config, logger } = this;
    if (config.webhookUrl && config.webhookSecret) {
      this.current = { ok: true, state: "webhook" };
      logger.info({ username: bot.botInfo.username }, "bot takes updates by webhook");
      return;
    }
    this.runner = run(bot, { runner: { fetch: { allowed_updates: ALLOWED_UPDATES } } });
    this.current = { ok: true, state: "polling" };
    logger.info({ username: bot.botInfo.username }, "bot is polling for updates");
  }
}

/** What went wrong, in words fit for a log line and /healthz: no URL, so never the token. */
function describeTelegramError(error: unknown): string {
  if (error instanceof HttpError) {
    const cause = error.error as { code?: unknown; name?: unknown } | undefined;
    const why =
      typeof cause?.code === "string" ? cause.code : typeof cause?.name === "string" ? cause.name : "";
    return why ? `${error.message} (${why})` : error.message;
  }
  return error instanceof Error ? error.message : String(error);
}
