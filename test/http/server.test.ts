import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeBotApi } from "../../src/bench/fake-bot-api/fake-bot-api.ts";
import { type Harness, startHarness } from "../support/bot-harness.ts";
import { articleInput, deliveryTools } from "../support/delivery-harness.ts";
import { eventually } from "../support/eventually.ts";
import { freePort, PrivateRedis } from "../support/redis.ts";

const TOKEN = "ingest-token-for-the-tests-0123456789";
const BOARD_PASSWORD = "board-password-for-the-tests";
let h: Harness;

beforeAll(async () => {
  h = await startHarness("http", {
    role: "all",
    env: { INGEST_TOKEN: TOKEN, DASHBOARD_PASSWORD: BOARD_PASSWORD },
  });
});
afterAll(async () => {
  await h.stop();
});

const post = (body: string, headers: Record<string, string> = {}) =>
  fetch(`${h.app.httpUrl}/articles`, {
    method: "POST",
    headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json", ...headers },
    body,
  });

describe("POST /articles", () => {
  it("queues a valid article with 202, and answers the same id again with 200 duplicate", async () => {
    const t = deliveryTools(h);
    await t.subscriber(30_001, ["chechnya"]);
    const article = articleInput({ regions: ["chechnya"] });
    const first = await post(JSON.stringify(article));
    expect(first.status).toBe(202);
    expect(await first.json()).toEqual({ id: article.id, status: "queued" });
    const again = await post(JSON.stringify(article));
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ id: article.id, status: "duplicate" });
    await h.fake.waitFor(() => h.fake.lastMessageTo(30_001), 10_000);
    await t.queues.close();
  });

  it("answers an invalid article with 400 naming every bad field", async () => {
    const response = await post(
      JSON.stringify(articleInput({ headline: "", url: "javascript:x", regions: ["nowhere"] })),
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      status: "invalid",
      errors: [
        { field: "url", message: "must be an http(s) URL" },
        { field: "headline", message: "must not be empty" },
        { field: "regions", message: 'unknown region "nowhere"' },
      ],
    });
  });

  it("answers malformed JSON, an empty body and a JSON array with 400", async () => {
    const broken = await post("{ not json");
    expect(broken.status).toBe(400);
    expect((await broken.json()).error).toMatch(/JSON/i);
    expect((await post("")).status).toBe(400);
    const array = await post("[]");
    expect(array.status).toBe(400);
    expect(await array.json()).toEqual({
      status: "invalid",
      errors: [{ field: "article", message: "must be a JSON object" }],
    });
  });

  it("refuses a missing or wrong bearer token with 401", async () => {
    const none = await fetch(`${h.app.httpUrl}/articles`, {
      method: "POST",
      body: "{}",
      headers: { "content-type": "application/json" },
    });
    expect(none.status).toBe(401);
    const wrong = await post("{}", { authorization: "Bearer nope" });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ error: "missing or wrong bearer token" });
  });

  it("refuses a caller without the token with 401 before reading the body", async () => {
    const huge = await post(JSON.stringify({ teaser: "x".repeat(300_000) }), {
      authorization: "Bearer nope",
    });
    expect(huge.status).toBe(401);
    const text = await post("headline", { authorization: "", "content-type": "text/plain" });
    expect(text.status).toBe(401);
  });

  it("refuses a body over the size limit with 413 and a non-JSON body with 415", async () => {
    const huge = await post(JSON.stringify({ ...articleInput(), teaser: "x".repeat(3_000_000) }));
    expect(huge.status).toBe(413);
    const text = await post("headline", { "content-type": "text/plain" });
    expect(text.status).toBe(415);
    expect(await text.json()).toEqual({ error: "Content-Type must be application/json" });
  });

  it("answers unknown paths with 404 JSON", async () => {
    const response = await fetch(`${h.app.httpUrl}/nope`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: "not found" });
  });
});

describe("GET /healthz and /metrics", () => {
  it("reports Redis, the queues, Telegram and the polling bot as working", async () => {
    await h.fake.waitFor(() => h.fake.calls.some((c) => c.method === "getUpdates"), 10_000);
    const response = await fetch(`${h.app.httpUrl}/healthz`);
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({ status: "ok", redis: "ok", telegram: "ok", bot: "polling" });
    expect(body.queues.deliver).toHaveProperty("wait");
    expect(body.queues.digests).toHaveProperty("wait");
  });

  it("answers 200 degraded, naming Telegram and the waiting bot, while Telegram cannot be reached", async () => {
    const own = await startHarness("http-telegram-down", {
      role: "all",
      env: { TELEGRAM_API_ROOT: `http://127.0.0.1:${await freePort()}` },
    });
    try {
      let body: Record<string, unknown> = {};
      await eventually(async () => {
        const response = await fetch(`${own.app.httpUrl}/healthz`);
        expect(response.status).toBe(200);
        body = await response.json();
        return String(body.bot).startsWith("waiting");
      }, 5000);
      expect(body).toMatchObject({ status: "degraded", redis: "ok" });
      expect(body.telegram).toMatch(/^unreachable: /);
      expect(body.bot).toMatch(
        /^waiting for Telegram: Network request for 'getMe' failed! \(ECONNREFUSED\)$/,
      );
    } finally {
      await own.stop();
    }
  });

  it("serves Prometheus text with alert counters, queue depths and process metrics", async () => {
    const text = await (await fetch(`${h.app.httpUrl}/metrics`)).text();
    expect(text).toContain("newsbell_alerts_sent_total");
    expect(text).toMatch(/newsbell_queue_jobs\{queue="deliver",state="wait"\} \d+/);
    expect(text).toContain("newsbell_process_resident_memory_bytes");
    expect(text).toMatch(/newsbell_articles_ingested_total\{source="api",result="queued"\} [1-9]/);
  });
});

describe("queue dashboard", () => {
  const basic = (user: string, password: string) =>
    `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

  it("asks for the password, refuses a wrong one, and shows the queues with the right one", async () => {
    const none = await fetch(`${h.app.httpUrl}/dashboard`);
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toContain("Basic");
    const wrong = await fetch(`${h.app.httpUrl}/dashboard`, {
      headers: { authorization: basic("admin", "guess") },
    });
    expect(wrong.status).toBe(401);
    const page = await fetch(`${h.app.httpUrl}/dashboard`, {
      headers: { authorization: basic("admin", BOARD_PASSWORD) },
    });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("<html");
    const api = await fetch(`${h.app.httpUrl}/dashboard/api/queues`, {
      headers: { authorization: basic("admin", BOARD_PASSWORD) },
    });
    expect(JSON.stringify(await api.json())).toContain("deliver");
  });

  it("only shows queues and jobs: adding, emptying or retrying is refused even with the password", async () => {
    const t = deliveryTools(h);
    const auth = { authorization: basic("admin", BOARD_PASSWORD), "content-type": "application/json" };
    const before = await t.queues.deliver.getJobCounts();
    const add = await fetch(`${h.app.httpUrl}/dashboard/api/queues/deliver/add`, {
      method: "POST",
      headers: auth,
      body: JSON.stringify({ name: "deliver", data: { seq: 1, chatIds: [30_999] }, options: {} }),
    });
    expect(add.status).toBe(405);
    for (const path of ["deliver/empty", "deliver/retry/failed", "deliver/clean/failed", "pause"]) {
      const write = await fetch(`${h.app.httpUrl}/dashboard/api/queues/${path}`, {
        method: "PUT",
        headers: auth,
        body: "{}",
      });
      expect(write.status, path).toBe(405);
    }
    expect(await t.queues.deliver.getJobCounts()).toEqual(before);
    expect(await t.queues.deliver.isPaused()).toBe(false);
    const api = await fetch(`${h.app.httpUrl}/dashboard/api/queues`, { headers: auth });
    const board = (await api.json()) as { queues: { readOnlyMode: boolean }[] };
    expect(board.queues.every((q) => q.readOnlyMode)).toBe(true);
    await t.queues.close();
  });
});

describe("health when Redis is down", () => {
  it("answers 503 while Redis is unreachable, and 200 again once it is back", async () => {
    const redis = await PrivateRedis.start();
    const fake = await FakeBotApi.start();
    const own = await startHarness("http-redis-down", {
      role: "bot",
      fake,
      env: { REDIS_URL: redis.url, INGEST_TOKEN: TOKEN },
    });
    try {
      await redis.kill();
      const down = await fetch(`${own.app.httpUrl}/healthz`);
      expect(down.status).toBe(503);
      expect((await down.json()).status).toBe("unavailable");
      const ingest = await fetch(`${own.app.httpUrl}/articles`, {
        method: "POST",
        headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
        body: JSON.stringify(articleInput()),
      });
      expect(ingest.status).toBe(503);
      expect(ingest.headers.get("retry-after")).toBe("5");
      await redis.launch();
      await eventually(
        async () => (await fetch(`${own.app.httpUrl}/healthz`)).status === 200,
        15_000,
        "healthz after Redis came back",
      );
    } finally {
      await own.stop();
      await redis.stop();
    }
  });
});
