import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { makeUser } from "../src/bench/fake-bot-api/chat-state.ts";
import { FakeBotApi } from "../src/bench/fake-bot-api/fake-bot-api.ts";
import { TEST_TOKEN } from "./support/bot-harness.ts";
import { articleInput } from "./support/delivery-harness.ts";
import { eventually } from "./support/eventually.ts";
import { recordForAudit } from "./support/label-audit.ts";
import { deletePrefix, freePort, SHARED_REDIS_URL, testPrefix } from "./support/redis.ts";
import { type CliRun, runCli } from "./support/run-cli.ts";

/**
 * How long a `newsbell start` process may take to get somewhere: seconds of CPU under tsx, which
 * a machine busy with other test files spreads over many more. A ceiling, not a pace (the tests'
 * own timeouts are 90 s for the same reason).
 */
const STARTING_MS = 30_000;

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

/** The JSON log lines a process has written so far. */
function logLines(run: CliRun): Record<string, unknown>[] {
  return run
    .output()
    .stdout.split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

async function logLine(run: CliRun, msg: RegExp, timeoutMs: number): Promise<Record<string, unknown>> {
  let found: Record<string, unknown> | undefined;
  await eventually(
    () => {
      found = logLines(run).find((line) => msg.test(String(line.msg)));
      return found !== undefined;
    },
    timeoutMs,
    `a log line matching ${msg}\n${run.output().stdout}${run.output().stderr}`,
  );
  return found as Record<string, unknown>;
}

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
