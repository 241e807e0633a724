import { rmSync } from "node:fs";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { makeUser } from "../../src/bench/fake-bot-api/chat-state.ts";
import { FakeBotApi } from "../../src/bench/fake-bot-api/fake-bot-api.ts";
import { type Config, parseConfig } from "../../src/config.ts";
import { createLogger } from "../../src/logger.ts";
import { type Role, startApp } from "../../src/main.ts";
import { TEST_TOKEN } from "../support/bot-harness.ts";
import { articleInput, deliveryTools } from "../support/delivery-harness.ts";
import { eventually } from "../support/eventually.ts";
import { recordForAudit } from "../support/label-audit.ts";
import { freePort, PrivateRedis, testPrefix } from "../support/redis.ts";

const TOKEN = "ingest-token-for-the-refusal-tests-01";

/** The real app against a Redis of the test's own, its warnings kept to be read. */
async function startOwnApp(redis: PrivateRedis, role: Role) {
  const fake = await FakeBotApi.start();
  const config: Config = parseConfig({
    BOT_TOKEN: TEST_TOKEN,
    TELEGRAM_API_ROOT: fake.apiRoot,
    REDIS_URL: redis.url,
    REDIS_PREFIX: testPrefix("refusal"),
    INGEST_TOKEN: TOKEN,
    HTTP_PORT: "0",
    SEND_RATE: "100",
  });
  const warnings: string[] = [];
  const logger = createLogger("warn", [], { write: (line: string) => warnings.push(line) });
  const app = await startApp(config, role, logger);
  const client = new Redis(redis.url);
  client.on("error", () => undefined);
  return {
    fake,
    config,
    app,
    client,
    warnings,
    post: (body: unknown) =>
      fetch(`${app.httpUrl}/articles`, {
        method: "POST",
        headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      }),
    async stop() {
      await app.stop();
      recordForAudit("storage-refusal", fake.calls);
      await fake.stop();
      client.disconnect();
    },
  };
}

type OwnApp = Awaited<ReturnType<typeof startOwnApp>>;

async function expectRefused(own: OwnApp, retryAfter: string, reason: RegExp, healthToo = true) {
  if (healthToo) {
    // PING still works: the health check writes, so it says what ingest says.
    const health = await fetch(`${own.app.httpUrl}/healthz`);
    expect(health.status).toBe(503);
    const said = await health.json();
    expect(said.status).toBe("unavailable");
    expect(said.redis).toMatch(/^refuses writes: /);
    expect(said.redis).toMatch(reason);
  }
  const response = await own.post(articleInput());
  expect(response.status).toBe(503);
  expect(response.headers.get("retry-after")).toBe(retryAfter);
  const body = await response.json();
  expect(body.error).toBe("storage unavailable, try again later");
  expect(body.reason).toMatch(reason);
}

describe("POST /articles while Redis refuses writes", () => {
  let redis: PrivateRedis;
  let own: OwnApp | undefined;

  beforeAll(async () => {
    redis = await PrivateRedis.start();
  });
  afterEach(async () => {
    await own?.stop();
    own = undefined;
  });
  afterAll(async () => {
    await redis.stop();
  });

  it("answers 503 with Retry-After when Redis is out of memory, while the bot and the workers log it and carry on", async () => {
    own = await startOwnApp(redis, "all");
    const t = deliveryTools({ config: own.config, redis: own.client });
    await t.subscriber(91_001, ["chechnya"]);
    const reader = makeUser(91_002);
    await own.client.config("SET", "maxmemory", "1");
    try {
      await expectRefused(own, "30", /out of memory/);
      // A reader's command fails inside the bot, which says so in the log and keeps answering.
      own.fake.sendText(reader, "/start chechnya");
      await eventually(
        () => own?.warnings.some((l) => /OOM command not allowed/.test(l)) ?? false,
        15_000,
        "the OOM error logged with Redis's message",
      );
    } finally {
      await own.client.config("SET", "maxmemory", "0");
    }
    const accepted = await own.post(articleInput({ regions: ["chechnya"] }));
    expect(accepted.status).toBe(202);
    await own.fake.waitFor(() => own?.fake.lastMessageTo(91_001), 20_000);
    own.fake.sendText(reader, "/start chechnya");
    await eventually(
      async () => (await t.subscriptions.counts()).get("chechnya") === 2,
      15_000,
      "the bot subscribes again once Redis takes writes",
    );
    await t.queues.close();
  }, 60_000);

  it("answers 503 with Retry-After when the server became a read-only replica", async () => {
    own = await startOwnApp(redis, "bot");
    // A replica of a master that is not there: its data stays, and it refuses every write.
    await own.client.call("REPLICAOF", "127.0.0.1", String(await freePort()));
    try {
      await expectRefused(own, "5", /read-only replica/, false);
      // Each refused write makes the connection anew, so a check may also find it reconnecting.
      await eventually(
        async () => {
          const health = await fetch(`${own?.app.httpUrl}/healthz`);
          const said = await health.json();
          return health.status === 503 && /^refuses writes: .*read-only replica/.test(said.redis);
        },
        10_000,
        "the health check naming the read-only replica",
      );
      // The connection is made anew after a refused write; meanwhile requests are refused alike.
      await expectRefused(own, "5", /read-only replica|cannot be reached/, false);
    } finally {
      await own.client.call("REPLICAOF", "NO", "ONE");
    }
    await eventually(
      async () => (await own?.post(articleInput()))?.status === 202,
      15_000,
      "articles taken again once the server is a master",
    );
  });

  it("answers 503 with Retry-After when Redis cannot save to disk (MISCONF)", async () => {
    const failing = await PrivateRedis.start();
    try {
      own = await startOwnApp(failing, "bot");
      // Its directory gone, a background save fails; with save points set, Redis then refuses writes.
      rmSync(failing.dir, { recursive: true, force: true });
      await own.client.config("SET", "save", "3600 1");
      await own.client.config("SET", "stop-writes-on-bgsave-error", "yes");
      await own.client.bgsave();
      await eventually(
        async () => /rdb_last_bgsave_status:err/.test((await own?.client.info("persistence")) ?? ""),
        15_000,
        "a failed background save",
      );
      await expectRefused(own, "30", /cannot save to disk/);
      await own.client.config("SET", "save", "");
      expect((await own.post(articleInput())).status).toBe(202);
    } finally {
      await own?.stop();
      own = undefined;
      await failing.stop();
    }
  });
});
