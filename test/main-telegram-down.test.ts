import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { makeUser } from "../src/bench/fake-bot-api/chat-state.ts";
import { FakeBotApi } from "../src/bench/fake-bot-api/fake-bot-api.ts";
import { TEST_TOKEN } from "./support/bot-harness.ts";
import { articleInput } from "./support/delivery-harness.ts";
import { recordForAudit } from "./support/label-audit.ts";
import { deletePrefix, freePort, SHARED_REDIS_URL, testPrefix } from "./support/redis.ts";
import { type CliRun, runCli } from "./support/run-cli.ts";
import { logLine, logLines, STARTING_MS } from "./support/start-logs.ts";

const redis = new Redis(SHARED_REDIS_URL);
const prefixes: string[] = [];

afterAll(async () => {
  for (const prefix of prefixes) await deletePrefix(redis, prefix);
  redis.disconnect();
});

describe("newsbell start while Telegram cannot be reached", () => {
  const INGEST_TOKEN = "ingest-token-for-the-start-tests-0123";

  function startWithoutTelegram(port: number, name: string): CliRun {
    const prefix = testPrefix(name);
    prefixes.push(prefix);
    return runCli(["start"], {
      BOT_TOKEN: TEST_TOKEN,
      TELEGRAM_API_ROOT: `http://127.0.0.1:${port}`,
      REDIS_URL: SHARED_REDIS_URL,
      REDIS_PREFIX: prefix,
      HTTP_PORT: "0",
      INGEST_TOKEN,
      LOG_LEVEL: "info",
    });
  }

  it("serves HTTP and runs the workers, warns at once and then with growing pauses, reports itself degraded, and stops cleanly on SIGTERM", async () => {
    const run = startWithoutTelegram(await freePort(), "start-no-telegram");
    try {
      const first = await logLine(run, /waits for Telegram/, STARTING_MS);
      expect(first).toMatchObject({ level: 40, attempt: 1, retryInSeconds: 1 });
      expect(String(first.msg)).toContain("Network request for 'getMe' failed!");
      expect(String(first.msg)).toContain("ECONNREFUSED");
      await logLine(run, /^workers started$/, STARTING_MS);
      const url = String((await logLine(run, /http server listening/, STARTING_MS)).url);

      const health = await fetch(`${url}/healthz`);
      expect(health.status).toBe(200);
      const body = await health.json();
      expect(body).toMatchObject({ status: "degraded", redis: "ok" });
      expect(body.telegram).toMatch(/^unreachable: /);
      expect(body.bot).toMatch(/^waiting for Telegram: Network request for 'getMe' failed!/);
      expect(JSON.stringify(body)).not.toContain(TEST_TOKEN);

      const ingest = await fetch(`${url}/articles`, {
        method: "POST",
        headers: { authorization: `Bearer ${INGEST_TOKEN}`, "content-type": "application/json" },
        body: JSON.stringify(articleInput()),
      });
      expect(ingest.status).toBe(202);

      await logLine(run, /waits for Telegram.*next try in 4 s/, STARTING_MS);
      const pauses = logLines(run)
        .filter((line) => /waits for Telegram/.test(String(line.msg)))
        .map((line) => line.retryInSeconds);
      expect(pauses.slice(0, 3)).toEqual([1, 2, 4]);

      const stopAt = Date.now();
      run.child.kill("SIGTERM");
      expect((await run.done).code).toBe(0);
      expect(Date.now() - stopAt).toBeLessThan(3000);
      expect(logLines(run).at(-1)).toMatchObject({ msg: "stopped", how: "clean" });
      expect(run.output().stdout).not.toContain(TEST_TOKEN);
    } finally {
      run.child.kill("SIGKILL");
    }
  }, 90_000);

  it("starts polling and answers /start once the Bot API answers on that address", async () => {
    const port = await freePort();
    const run = startWithoutTelegram(port, "start-late-telegram");
    let fake: FakeBotApi | undefined;
    try {
      await logLine(run, /waits for Telegram/, STARTING_MS);
      const url = String((await logLine(run, /http server listening/, STARTING_MS)).url);
      fake = await FakeBotApi.start({ port });
      const telegram = fake;
      await logLine(run, /bot is polling for updates/, STARTING_MS);
      expect(logLines(run).find((line) => line.msg === "Telegram answers")).toMatchObject({ level: 30 });
      const user = makeUser(61_002, { language_code: "en" });
      telegram.sendText(user, "/start");
      expect((await telegram.waitForMessage(user.id, undefined, 10_000)).text).toContain("Hello!");
      for (const method of ["setMyCommands", "setMyDescription", "deleteWebhook"]) {
        expect(telegram.calls.some((c) => c.method === method)).toBe(true);
      }
      const body = await (await fetch(`${url}/healthz`)).json();
      expect(body).toMatchObject({ status: "ok", bot: "polling" });
      run.child.kill("SIGTERM");
      expect((await run.done).code).toBe(0);
    } finally {
      run.child.kill("SIGKILL");
      if (fake) {
        recordForAudit("start-late-telegram", fake.calls);
        await fake.stop();
      }
    }
  }, 90_000);
});
