import { Api } from "grammy";
import { afterEach, describe, expect, it } from "vitest";
import { FakeBotApi } from "../../../src/bench/fake-bot-api/fake-bot-api.ts";
import { apiError, post } from "../../support/bot-api-answer.ts";

describe.each([
  ["full", false],
  ["lean", true],
])("the fake Bot API's rate limit and send report, %s", (_mode, lean) => {
  let fake: FakeBotApi | undefined;
  afterEach(async () => {
    await fake?.stop();
    fake = undefined;
  });

  it("answers 429 with retry_after 1 beyond the configured rate, slack included", async () => {
    fake = await FakeBotApi.start({ lean, rateLimit: { perSecond: 5, slack: 0.2 } });
    const client = new Api("123:abc", { apiRoot: fake.apiRoot });
    for (let i = 0; i < 6; i++) await client.sendMessage(70 + i, `m${i}`);
    const err = await apiError(client.sendMessage(80, "one too many"));
    expect(err.error_code).toBe(429);
    expect(err.description).toBe("Too Many Requests: retry after 1");
    expect(err.parameters.retry_after).toBe(1);
    expect(fake.rateLimited429s).toBe(1);
  });

  it("refuses concurrent sends above rate plus slack within a second and reports what it accepted", async () => {
    fake = await FakeBotApi.start({ lean, rateLimit: { perSecond: 4, slack: 0.5 } });
    const root = fake.apiRoot;
    const answers = await Promise.all(
      Array.from({ length: 9 }, (_, i) => post(root, "sendMessage", { chat_id: 2000 + i, text: "x" })),
    );
    const limited = answers.filter((a) => a.status === 429);
    expect(answers.filter((a) => a.status === 200)).toHaveLength(6);
    expect(limited).toHaveLength(3);
    expect(limited[0]?.json).toMatchObject({ ok: false, error_code: 429, parameters: { retry_after: 1 } });
    expect(fake.report()).toMatchObject({ accepted: 6, rateLimited429s: 3, busiestSecond: 6 });
  });

  it("counts each chat's sends, so the bench sees duplicates and misses", async () => {
    fake = await FakeBotApi.start({ lean });
    await post(fake.apiRoot, "sendMessage", { chat_id: 1001, text: "a" });
    await post(fake.apiRoot, "sendMessage", { chat_id: 1001, text: "b" });
    await post(fake.apiRoot, "sendPhoto", { chat_id: 1002, photo: "https://x.test/p.jpg" });
    const report = fake.report();
    expect(report.accepted).toBe(3);
    expect(new Map(report.perChatCounts)).toEqual(
      new Map([
        [1001, 2],
        [1002, 1],
      ]),
    );
    expect(report.lastAt).toBeGreaterThanOrEqual(report.firstAt);
    expect(report.busiestSecond).toBeGreaterThanOrEqual(1);
    expect(report.rateLimited429s).toBe(0);
  });
});
