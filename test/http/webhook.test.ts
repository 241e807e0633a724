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

const update = (id: number, text: string, chatId = 62_001) => ({
  update_id: id,
  message: {
    message_id: id,
    date: Math.floor(Date.now() / 1000),
    chat: { id: chatId, type: "private", first_name: "Reader" },
    from: { id: chatId, is_bot: false, first_name: "Reader", language_code: "en" },
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

const sendsTo = (chatId: number) =>
  h.fake.calls.filter((c) => c.method === "sendMessage" && c.payload.chat_id === chatId);

describe("webhook mode", () => {
  it("registers the webhook with its secret instead of polling", async () => {
    const set = await h.fake.waitFor(() => h.fake.calls.find((c) => c.method === "setWebhook"));
    expect(set.payload).toMatchObject({
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
    // A later update with the secret is answered: had the refused ones been handled, their replies came first.
    expect((await deliver(update(4, "/help"), SECRET)).status).toBe(200);
    await h.fake.waitFor(() => h.fake.messagesTo(62_001).length > before);
    expect(h.fake.messagesTo(62_001)).toHaveLength(before + 1);
  });

  it("answers an update Telegram delivers twice only once", async () => {
    const chatId = 62_001;
    const before = h.fake.messagesTo(chatId).length;
    const twice = update(10, "/help");
    const [first, second] = await Promise.all([deliver(twice, SECRET), deliver(twice, SECRET)]);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect((await deliver(twice, SECRET)).status).toBe(200);
    // The next update of the chat is answered after any repeat of the first would have been.
    expect((await deliver(update(11, "/id"), SECRET)).status).toBe(200);
    await h.fake.waitFor(() =>
      h.fake.messagesTo(chatId).some((m) => m.text?.includes("Your Telegram user id")),
    );
    expect(h.fake.messagesTo(chatId)).toHaveLength(before + 2);
  });

  it("confirms an update still being answered after Telegram's 10 s wait, so Telegram does not send it again", async () => {
    const chatId = 62_002;
    h.fake.inject({ method: "sendMessage", chatId, delayMs: 11_000 });
    const response = await deliver(update(20, "/help", chatId), SECRET);
    expect(response.status).toBe(200);
    // Confirmed while the reply was still on its way: Telegram had not answered it yet (it holds
    // it 11 s), so the confirmation did not wait for the handler to finish.
    expect(sendsTo(chatId).map((c) => c.status)).toEqual([0]);
    const reply = await h.fake.waitFor(() => h.fake.lastMessageTo(chatId), 5000);
    expect(reply.text).toContain("/topics: follow or drop topics");
    expect(h.fake.messagesTo(chatId)).toHaveLength(1);
  }, 20_000);

  it("does not hold an update to wait out flood control longer than 5 s", async () => {
    const chatId = 62_003;
    h.fake.inject({ method: "sendMessage", chatId, error: { code: 429, retryAfter: 8 } });
    const started = Date.now();
    const response = await deliver(update(30, "/help", chatId), SECRET);
    expect(response.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(5000);
  }, 20_000);
});
