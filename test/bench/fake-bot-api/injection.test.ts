import { Api, HttpError } from "grammy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeBotApi } from "../../../src/bench/fake-bot-api/fake-bot-api.ts";
import { apiError } from "../../support/bot-api-answer.ts";

const TOKEN = "123:abc";

describe("the fake Bot API's injected faults", () => {
  let fake: FakeBotApi;
  let api: Api;

  beforeAll(async () => {
    fake = await FakeBotApi.start();
    api = new Api(TOKEN, { apiRoot: fake.apiRoot });
  });
  afterAll(async () => {
    await fake.stop();
  });

  it("injects 429 with retry_after and records the rejected call", async () => {
    fake.inject({ chatId: 50, error: { code: 429, retryAfter: 7 } });
    const err = await apiError(api.sendMessage(50, "hi"));
    expect(err.error_code).toBe(429);
    expect(err.description).toBe("Too Many Requests: retry after 7");
    expect(err.parameters.retry_after).toBe(7);
    expect(fake.calls.at(-1)).toMatchObject({ method: "sendMessage", status: 429, payload: { chat_id: 50 } });
    expect(fake.messagesTo(50)).toEqual([]);
    await api.sendMessage(50, "rule consumed");
    expect(fake.messagesTo(50)).toHaveLength(1);
  });

  it("applies an injected 500 `times` times, then recovers", async () => {
    fake.inject({ method: "sendMessage", chatId: 51, times: 2, error: { code: 500 } });
    expect((await apiError(api.sendMessage(51, "a"))).error_code).toBe(500);
    expect((await apiError(api.sendMessage(51, "b"))).error_code).toBe(500);
    await expect(api.sendMessage(51, "c")).resolves.toMatchObject({ text: "c" });
  });

  it("applies a rule without a method to sends only", async () => {
    fake.inject({ chatId: 56, error: { code: 403 } });
    await expect(api.sendChatAction(56, "typing")).resolves.toBe(true);
    const err = await apiError(api.sendMessage(56, "x"));
    expect(err.description).toBe("Forbidden: bot was blocked by the user");
  });

  it("delays the answer by delayMs but still delivers the message", async () => {
    fake.inject({ chatId: 55, delayMs: 300 });
    const started = Date.now();
    await api.sendMessage(55, "slow");
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);

    // A client that gives up first sees a failure although Telegram delivered.
    fake.inject({ chatId: 55, delayMs: 400 });
    const impatient = new Api(TOKEN, { apiRoot: fake.apiRoot, timeoutSeconds: 0.1 });
    await expect(impatient.sendMessage(55, "timed out")).rejects.toBeInstanceOf(HttpError);
    const delivered = await fake.waitForMessage(55, (m) => m.text === "timed out", 2000);
    expect(delivered.method).toBe("sendMessage");
  });
});
