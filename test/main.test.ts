import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { TEST_TOKEN } from "./support/bot-harness.ts";
import { FakeTelegram, makeUser } from "./support/fake-telegram.ts";
import { recordForAudit } from "./support/label-audit.ts";
import { deletePrefix, SHARED_REDIS_URL, testPrefix } from "./support/redis.ts";
import { runCli } from "./support/run-cli.ts";

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

  it("names a malformed variable and a bad role", async () => {
    const bad = runCli(["start"], { BOT_TOKEN: TEST_TOKEN, SEND_RATE: "lots" });
    expect((await bad.done).code).toBe(2);
    expect(bad.output().stderr).toBe("newsbell: SEND_RATE must be a whole number from 1 to 1000\n");
    const role = runCli(["start", "--role", "boss"], { BOT_TOKEN: TEST_TOKEN });
    expect((await role.done).code).toBe(2);
    expect(role.output().stderr).toContain("--role must be all, bot or worker");
  });

  it("answers /start as a whole process, and stops cleanly on SIGTERM within 10 s", async () => {
    const fake = await FakeTelegram.start();
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
      await fake.waitFor(() => fake.calls.some((c) => c.method === "getUpdates"), 20_000);
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
  }, 40_000);
});
