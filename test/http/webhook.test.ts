import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "../support/bot-harness.ts";

const SECRET = "webhook-secret_for-tests";
let h: Harness;

beforeAll(async () => {
  h = await startHarness("webhook", {
    role: "bot",
    env: { WEBHOOK_URL: "https://bot.example.org/telegram/hook", WEBHOOK_SECRET: SECRET },
  });
});
afterAll(async () => {
  await h.stop();
});

const update = (id: number, text: string) => ({
  update_id: id,
  message: {
    message_id: id,
    date: Math.floor(Date.now() / 1000),
    chat: { id: 62_001, type: "private", first_name: "Reader" },
    from: { id: 62_001, is_bot: false, first_name: "Reader", language_code: "en" },
    text,
    entities: text.startsWith("/")
      ? [{ type: "bot_command", offset: 0, length: text.split(" ")[0]?.length ?? 0 }]
      : [],
  },
});

const deliver = (body: unknown, secret?: string) =>
  fetch(`${h.app.httpUrl}/telegram/hook`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(secret ? { "x-telegram-bot-api-secret-token": secret } : {}),
    },
    body: JSON.stringify(body),
  });

describe("webhook mode", () => {
  it("registers the webhook with its secret instead of polling", () => {
    const set = h.fake.calls.find((c) => c.method === "setWebhook");
    expect(set?.payload).toMatchObject({
      url: "https://bot.example.org/telegram/hook",
      secret_token: SECRET,
    });
    expect(h.fake.calls.some((c) => c.method === "getUpdates")).toBe(false);
  });

  it("handles an update that carries the secret", async () => {
    const response = await deliver(update(1, "/help"), SECRET);
    expect(response.status).toBe(200);
    const reply = await h.fake.waitFor(() => h.fake.lastMessageTo(62_001));
    expect(reply.text).toContain("/topics: follow or drop topics");
  });

  it("refuses an update without the secret or with a wrong one, and does nothing", async () => {
    const before = h.fake.messagesTo(62_001).length;
    expect((await deliver(update(2, "/help"))).status).toBe(401);
    expect((await deliver(update(3, "/help"), "guess")).status).toBe(401);
    await new Promise((r) => setTimeout(r, 200));
    expect(h.fake.messagesTo(62_001)).toHaveLength(before);
  });
});
