import { afterEach, describe, expect, it } from "vitest";
import { type FakeBotApi, startFakeBotApi } from "../../src/bench/fake-bot-api.ts";
import { FakeBotApiProcess } from "../../src/bench/fake-bot-api-process.ts";

interface Answer {
  status: number;
  body: { ok: boolean; result?: Record<string, unknown>; error_code?: number; description?: string } & {
    parameters?: { retry_after?: number };
  };
}

async function call(
  apiRoot: string,
  method: string,
  body: unknown,
  type = "application/json",
): Promise<Answer> {
  const res = await fetch(`${apiRoot}/bot123:BENCH/${method}`, {
    method: "POST",
    headers: { "content-type": type },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Answer["body"] };
}

describe("the bench's fake Bot API", () => {
  let fake: FakeBotApi | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  it("numbers messages per chat and counts each chat's sends, so the bench sees duplicates and misses", async () => {
    fake = await startFakeBotApi();
    const first = await call(fake.apiRoot, "sendMessage", { chat_id: 1001, text: "a" });
    const second = await call(fake.apiRoot, "sendMessage", { chat_id: 1001, text: "b" });
    const other = await call(fake.apiRoot, "sendPhoto", { chat_id: 1002, photo: "https://x.test/p.jpg" });
    expect(first.body.result?.message_id).toBe(1);
    expect(second.body.result?.message_id).toBe(2);
    expect(other.body.result?.message_id).toBe(1);
    expect(other.body.result?.photo).toHaveLength(2);
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
  });

  it("answers 429 with retry_after to sends above rate plus slack within a second, as Telegram does", async () => {
    fake = await startFakeBotApi({ rateLimit: { perSecond: 4, slack: 0.5 } });
    const root = fake.apiRoot;
    const answers = await Promise.all(
      Array.from({ length: 9 }, (_, i) => call(root, "sendMessage", { chat_id: 2000 + i, text: "x" })),
    );
    const limited = answers.filter((a) => a.status === 429);
    expect(answers.filter((a) => a.status === 200)).toHaveLength(6);
    expect(limited).toHaveLength(3);
    expect(limited[0]?.body).toMatchObject({ ok: false, error_code: 429, parameters: { retry_after: 1 } });
    const report = fake.report();
    expect(report).toMatchObject({ accepted: 6, rateLimited429s: 3, busiestSecond: 6 });
  });

  it("answers bad requests with Telegram's error shape and keeps serving", async () => {
    fake = await startFakeBotApi();
    const root = fake.apiRoot;
    expect(await call(root, "sendMessage", { text: "no chat" })).toMatchObject({
      status: 400,
      body: { ok: false, description: "Bad Request: chat_id is empty" },
    });
    expect((await call(root, "sendMessage", "{not json")).status).toBe(400);
    expect((await call(root, "sendMessage", "a=b", "application/x-www-form-urlencoded")).status).toBe(400);
    expect((await call(root, "banChatMember", { chat_id: 1 })).status).toBe(404);
    expect((await call(root, "getMe", {})).body.result).toMatchObject({ is_bot: true });
    expect(fake.report().accepted).toBe(0);
  });
});

describe("FakeBotApiProcess", () => {
  it("runs the fake in a process of its own, so the bench's CPU and RSS are the product's alone", async () => {
    const fake = await FakeBotApiProcess.start({ rateLimit: { perSecond: 100 } });
    try {
      expect(fake.pid).toBeDefined();
      expect(fake.pid).not.toBe(process.pid);
      expect((await call(fake.apiRoot, "sendMessage", { chat_id: 7, text: "x" })).status).toBe(200);
      const report = await fake.report();
      expect(report.accepted).toBe(1);
      expect(report.perChatCounts).toEqual([[7, 1]]);
    } finally {
      await fake.stop();
    }
    await expect(fetch(`${fake.apiRoot}/bot1:x/getMe`)).rejects.toThrow();
  });
});
