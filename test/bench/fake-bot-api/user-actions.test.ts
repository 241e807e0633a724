import { Api, Bot } from "grammy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeGroup, makeUser } from "../../../src/bench/fake-bot-api/chat-state.ts";
import { FakeBotApi } from "../../../src/bench/fake-bot-api/fake-bot-api.ts";

const TOKEN = "123:abc";

describe("FakeBotApi driving a real grammY Bot", () => {
  let fake: FakeBotApi;
  let bot: Bot;
  let running: Promise<void>;
  let pollingError: unknown;

  beforeAll(async () => {
    fake = await FakeBotApi.start();
    bot = new Bot(TOKEN, { client: { apiRoot: fake.apiRoot } });
    bot.command("start", (ctx) => ctx.reply(`started with "${ctx.match}"`));
    bot.callbackQuery("more", async (ctx) => {
      await ctx.answerCallbackQuery();
      await ctx.editMessageText("more news", { reply_markup: { inline_keyboard: [] } });
    });
    bot.on("message:text", (ctx) =>
      ctx.reply(`echo: ${ctx.message.text}`, {
        reply_markup: { inline_keyboard: [[{ text: "More", callback_data: "more" }]] },
      }),
    );
    // bot.start settles only once stopped; a rejection before that would otherwise go unhandled.
    running = bot.start().catch((err: unknown) => {
      pollingError = err;
    });
  });
  afterAll(async () => {
    if (bot.isRunning()) await bot.stop();
    await running;
    await fake.stop();
  });

  it("delivers a text message to the bot and records its reply", async () => {
    const user = makeUser(200);
    fake.sendText(user, "hello");
    const reply = await fake.waitForMessage(user.id);
    expect(reply.text).toBe("echo: hello");
  });

  it("marks commands with a bot_command entity so bot.command matches", async () => {
    const user = makeUser(201);
    const update = fake.sendText(user, "/start abc");
    expect(update.message?.entities).toEqual([{ type: "bot_command", offset: 0, length: 6 }]);
    const reply = await fake.waitForMessage(user.id);
    expect(reply.text).toBe('started with "abc"');
  });

  it("delivers button taps as callback queries on the message the bot sent", async () => {
    const user = makeUser(202);
    fake.sendText(user, "news");
    const menu = await fake.waitForMessage(user.id, (m) => m.text === "echo: news");
    fake.tapButton(user, menu, "more");
    const edited = await fake.waitForMessage(user.id, (m) => m.edits === 1);
    expect(edited).toMatchObject({ message_id: menu.message_id, text: "more news" });
    await fake.waitFor(() => fake.calls.some((c) => c.method === "answerCallbackQuery"));
    expect(() => fake.tapButton(user, menu, "missing")).toThrow(/no button/);
  });

  it("delivers updates in group chats", async () => {
    const group = makeGroup(-300);
    fake.sendText(makeUser(203), "group hello", group);
    const reply = await fake.waitForMessage(group.id);
    expect(reply.text).toBe("echo: group hello");
  });

  it("confirms handled updates with offset when the bot stops", async () => {
    const user = makeUser(204);
    const last = fake.sendText(user, "last one");
    await fake.waitForMessage(user.id);
    await bot.stop();
    await running;
    const polls = fake.calls.filter((c) => c.method === "getUpdates");
    expect(polls.at(-1)?.payload.offset).toBe(last.update_id + 1);
    // The poll grammY aborted on stop counts as abandoned, not as a competing bot instance.
    expect(polls.map((c) => c.status)).not.toContain(409);
    expect(pollingError).toBeUndefined();
    const api = new Api(TOKEN, { apiRoot: fake.apiRoot });
    expect(await api.getUpdates()).toEqual([]);
  });
});
