import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { makeUser } from "../src/bench/fake-bot-api/chat-state.ts";
import { FakeBotApi } from "../src/bench/fake-bot-api/fake-bot-api.ts";
import { TEST_TOKEN } from "./support/bot-harness.ts";
import { recordForAudit } from "./support/label-audit.ts";
import { deletePrefix, freePort, SHARED_REDIS_URL, testPrefix } from "./support/redis.ts";
import { runCli } from "./support/run-cli.ts";
import { logLine, STARTING_MS } from "./support/start-logs.ts";

const redis = new Redis(SHARED_REDIS_URL);
const prefixes: string[] = [];

afterAll(async () => {
  for (const prefix of prefixes) await deletePrefix(redis, prefix);
  redis.disconnect();
});

describe("newsbell start", () => {
  it("refuses to start without BOT_TOKEN, in one line naming it, with a non-zero exit", async () => {
    const run = runCli(["start"], { REDIS_URL: SHARED_REDIS_URL });
    expect((await run.done).code).toBe(2);
    expect(run.output().stderr).toBe("newsbell: BOT_TOKEN is required\n");
  });

  it("refuses to start without BOT_TOKEN in a test even where a developer's .env holds one", async () => {
    const dir = mkdtempSync(join(tmpdir(), "newsbell-dotenv-"));
    try {
      writeFileSync(join(dir, ".env"), `BOT_TOKEN=${TEST_TOKEN}\nHTTP_PORT=8080\n`);
      const run = runCli(["start"], {}, [], { cwd: dir });
      try {
        expect(await run.done).toEqual({ code: 2, stdout: "", stderr: "newsbell: BOT_TOKEN is required\n" });
      } finally {
        run.child.kill("SIGKILL");
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("names a malformed variable and a bad role", async () => {
    const bad = runCli(["start"], { BOT_TOKEN: TEST_TOKEN, SEND_RATE: "lots" });
    expect((await bad.done).code).toBe(2);
    expect(bad.output().stderr).toBe("newsbell: SEND_RATE must be a whole number from 1 to 1000\n");
    const role = runCli(["start", "--role", "boss"], { BOT_TOKEN: TEST_TOKEN });
    expect((await role.done).code).toBe(2);
    expect(role.output().stderr).toContain("--role must be all, bot or worker");
  });

  it("answers /start as a whole process, and stops cleanly on SIGTERM within 10 s", async () => {
    const fake = await FakeBotApi.start();
    const prefix = testPrefix("start");
    prefixes.push(prefix);
    const run = runCli(["start"], {
      BOT_TOKEN: TEST_TOKEN,
      TELEGRAM_API_ROOT: fake.apiRoot,
      REDIS_URL: SHARED_REDIS_URL,
      REDIS_PREFIX: prefix,
      HTTP_PORT: "0",
      LOG_LEVEL: "info",
    });
    try {
      const user = makeUser(61_001, { language_code: "en" });
      await fake.waitFor(() => fake.calls.some((c) => c.method === "getUpdates"), STARTING_MS);
      fake.sendText(user, "/start");
      const reply = await fake.waitForMessage(user.id, undefined, 10_000);
      expect(reply.text).toContain("Hello!");
      const stopAt = Date.now();
      run.child.kill("SIGTERM");
      expect((await run.done).code).toBe(0);
      expect(Date.now() - stopAt).toBeLessThan(10_000);
      const logs = run.output().stdout;
      expect(logs).toContain('"msg":"stopping"');
      expect(logs).not.toContain(TEST_TOKEN);
    } finally {
      run.child.kill("SIGKILL");
      recordForAudit("start", fake.calls);
      await fake.stop();
    }
  }, 90_000);
});

describe("newsbell start with a token Telegram refuses", () => {
  it("logs an error that says to check BOT_TOKEN and keeps trying, while HTTP serves", async () => {
    const fake = await FakeBotApi.start({ token: "1:another-bots-token" });
    const prefix = testPrefix("start-refused");
    prefixes.push(prefix);
    const run = runCli(["start", "--role", "bot"], {
      BOT_TOKEN: TEST_TOKEN,
      TELEGRAM_API_ROOT: fake.apiRoot,
      REDIS_URL: SHARED_REDIS_URL,
      REDIS_PREFIX: prefix,
      HTTP_PORT: "0",
      LOG_LEVEL: "info",
    });
    try {
      const line = await logLine(run, /waits for Telegram/, STARTING_MS);
      expect(line).toMatchObject({ level: 50, attempt: 1 });
      expect(String(line.msg)).toContain("401: Unauthorized");
      expect(String(line.msg)).toContain("check BOT_TOKEN");
      const url = String((await logLine(run, /http server listening/, STARTING_MS)).url);
      expect(await (await fetch(`${url}/healthz`)).json()).toMatchObject({ status: "degraded" });
      run.child.kill("SIGTERM");
      expect((await run.done).code).toBe(0);
    } finally {
      run.child.kill("SIGKILL");
      await fake.stop();
    }
  }, 90_000);
});

describe("newsbell start while Redis cannot be reached", () => {
  it("exits 1 with one line naming REDIS_URL's host and port, never its password", async () => {
    const port = await freePort();
    const run = runCli(["start"], {
      BOT_TOKEN: TEST_TOKEN,
      REDIS_URL: `redis://:redis-password-1234@127.0.0.1:${port}/0`,
      HTTP_PORT: "0",
    });
    const { code, stdout, stderr } = await run.done;
    expect(code).toBe(1);
    expect(stderr).toBe(`newsbell: Redis at 127.0.0.1:${port} (REDIS_URL) did not answer within 10 s\n`);
    expect(stdout + stderr).not.toContain("redis-password-1234");
  }, 90_000);
});
