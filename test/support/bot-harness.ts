import { Redis } from "ioredis";
import type { FakeUser } from "../../src/bench/fake-bot-api/chat-state.ts";
import { FakeBotApi } from "../../src/bench/fake-bot-api/fake-bot-api.ts";
import type { SentMessage } from "../../src/bench/fake-bot-api/message-store.ts";
import { type Config, parseConfig } from "../../src/config.ts";
import { createLogger } from "../../src/logger.ts";
import { type Role, type RunningApp, startApp } from "../../src/main.ts";
import { recordForAudit } from "./label-audit.ts";
import { deletePrefix, SHARED_REDIS_URL, testPrefix } from "./redis.ts";

export const TEST_TOKEN = "123456:TEST-token_for-newsbell";

export interface Harness {
  fake: FakeBotApi;
  config: Config;
  app: RunningApp;
  redis: Redis;
  env: Record<string, string>;
  stop(): Promise<void>;
}

/** The real app, in this process, against a fake Bot API over HTTP and the real Redis. */
export async function startHarness(
  auditName: string,
  opts: { role?: Role; env?: Record<string, string>; fake?: FakeBotApi } = {},
): Promise<Harness> {
  const fake = opts.fake ?? (await FakeBotApi.start());
  const prefix = testPrefix(auditName);
  const env: Record<string, string> = {
    BOT_TOKEN: TEST_TOKEN,
    TELEGRAM_API_ROOT: fake.apiRoot,
    REDIS_URL: SHARED_REDIS_URL,
    REDIS_PREFIX: prefix,
    LOG_LEVEL: "silent",
    HTTP_PORT: "0",
    ...opts.env,
  };
  const config = parseConfig(env);
  const app = await startApp(
    config,
    opts.role ?? "bot",
    createLogger(process.env.TEST_LOG_LEVEL ?? "silent"),
  );
  const redis = new Redis(config.redisUrl);
  // Tests that restart Redis expect this client to reconnect quietly.
  redis.on("error", () => undefined);
  const harness: Harness = {
    fake,
    config,
    app,
    redis,
    env,
    async stop() {
      // A test may have restarted the app: stop the one running now.
      await harness.app.stop();
      recordForAudit(auditName, fake.calls);
      await fake.stop();
      await deletePrefix(redis, prefix);
      redis.disconnect();
    },
  };
  return harness;
}

/** The callback data of the button whose text contains `label`, for tapping it like a user. */
export function buttonData(message: SentMessage, label: string | RegExp): string {
  const rows = (message.reply_markup?.inline_keyboard ?? []) as { text: string; callback_data?: string }[][];
  const match = (text: string) => (typeof label === "string" ? text.includes(label) : label.test(text));
  const button = rows.flat().find((b) => match(b.text));
  if (!button?.callback_data) {
    const texts = rows.flat().map((b) => b.text);
    throw new Error(`no button "${String(label)}" among ${JSON.stringify(texts)}`);
  }
  return button.callback_data;
}

export function buttonTexts(message: SentMessage): string[] {
  const rows = (message.reply_markup?.inline_keyboard ?? []) as { text: string }[][];
  return rows.flat().map((b) => b.text);
}

export const russianUser: FakeUser = { id: 5001, first_name: "Reader", language_code: "ru" };
export const englishUser: FakeUser = { id: 5002, first_name: "Reader", language_code: "en" };
