import { Api, Bot, GrammyError, HttpError, InputFile } from "grammy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeTelegram, makeGroup, makeUser, parseHtml } from "./fake-telegram.ts";

const TOKEN = "123:abc";

async function apiError(promise: Promise<unknown>): Promise<GrammyError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof GrammyError) return err;
    throw err;
  }
  throw new Error("expected the call to fail with a GrammyError");
}

async function post(fake: FakeTelegram, method: string, body: string, contentType: string) {
  const res = await fetch(`${fake.apiRoot}/bot${TOKEN}/${method}`, {
    method: "POST",
    headers: { "content-type": contentType },
    body,
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

describe("FakeTelegram as seen through grammY's Api", () => {
  let fake: FakeTelegram;
  let api: Api;

  beforeAll(async () => {
    fake = await FakeTelegram.start();
    api = new Api(TOKEN, { apiRoot: fake.apiRoot });
  });
  afterAll(async () => {
    await fake.stop();
  });

  it("answers getMe with the test bot user", async () => {
    const me = await api.getMe();
    expect(me).toMatchObject({
      id: 999000,
      is_bot: true,
      username: "newsbell_test_bot",
      can_join_groups: true,
    });
  });

  it("answers an unknown method with 404 'method not found'", async () => {
    const res = await post(fake, "sendTelepathy", "{}", "application/json");
    expect(res).toEqual({
      status: 404,
      json: { ok: false, error_code: 404, description: "Not Found: method not found" },
    });
  });

  it("answers garbage JSON with 400 and keeps serving", async () => {
    const res = await post(fake, "sendMessage", "{not json", "application/json");
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ ok: false, error_code: 400 });
    await expect(api.getMe()).resolves.toMatchObject({ id: 999000 });
  });

  it("requires chat_id and non-empty text like Telegram", async () => {
    const noChat = await post(fake, "sendMessage", JSON.stringify({ text: "hi" }), "application/json");
    expect(noChat.json.description).toBe("Bad Request: chat_id is empty");
    const err = await apiError(api.sendMessage(10, "  "));
    expect(err.error_code).toBe(400);
    expect(err.description).toBe("Bad Request: message text is empty");
  });

  it("parses application/x-www-form-urlencoded bodies, including JSON-valued fields", async () => {
    const markup = JSON.stringify({ inline_keyboard: [[{ text: "Go", callback_data: "go" }]] });
    const body = new URLSearchParams({ chat_id: "11", text: "form", reply_markup: markup }).toString();
    const res = await post(fake, "sendMessage", body, "application/x-www-form-urlencoded");
    expect(res.status).toBe(200);
    expect(fake.calls.at(-1)?.payload).toEqual({
      chat_id: 11,
      text: "form",
      reply_markup: { inline_keyboard: [[{ text: "Go", callback_data: "go" }]] },
    });
    expect(fake.lastMessageTo(11)?.reply_markup.inline_keyboard[0][0].callback_data).toBe("go");
  });

  it("parses multipart uploads: a photo with a caption and a keyboard", async () => {
    const keyboard = { inline_keyboard: [[{ text: "Read", url: "https://example.org" }]] };
    const sent = await api.sendPhoto(12, new InputFile(Buffer.from("x"), "x.jpg"), {
      caption: "A <b>photo</b>",
      parse_mode: "HTML",
      reply_markup: keyboard,
    });
    expect(sent.caption).toBe("A photo");
    expect(sent.caption_entities).toEqual([{ type: "bold", offset: 2, length: 5 }]);
    const call = fake.calls.at(-1);
    expect(call?.method).toBe("sendPhoto");
    expect(call?.payload.chat_id).toBe(12);
    expect(call?.payload.caption).toBe("A <b>photo</b>");
    expect(call?.payload.reply_markup).toEqual(keyboard);
    const attach = String(call?.payload.photo);
    expect(attach).toMatch(/^attach:\/\//);
    expect(call?.payload[attach.slice("attach://".length)]).toEqual({ filename: "x.jpg", size: 1 });
    expect(fake.lastMessageTo(12)).toMatchObject({
      method: "sendPhoto",
      caption: "A <b>photo</b>",
      edits: 0,
    });
  });

  it("gives every chat its own increasing message ids", async () => {
    const a1 = await api.sendMessage(21, "one");
    const a2 = await api.sendMessage(21, "two");
    const b1 = await api.sendMessage(22, "other chat");
    expect([a1.message_id, a2.message_id, b1.message_id]).toEqual([1, 2, 1]);
    expect(a1.chat).toEqual({ id: 21, type: "private", first_name: "User21" });
  });

  it("counts HTML length after entity parsing, so tags and &amp; do not count", async () => {
    const visible4096 = `<b>${"a".repeat(4000)}</b>${"&amp;".repeat(96)}`;
    const ok = await api.sendMessage(30, visible4096, { parse_mode: "HTML" });
    expect(ok.text).toHaveLength(4096);
    expect(ok.entities).toEqual([{ type: "bold", offset: 0, length: 4000 }]);
    const err = await apiError(api.sendMessage(30, `${visible4096}&#33;`, { parse_mode: "HTML" }));
    expect(err.description).toBe("Bad Request: message is too long");
  });

  it("counts UTF-16 code units, as Telegram does", () => {
    expect(parseHtml("&#128512;<i>é</i>").text).toHaveLength(3);
  });

  it("rejects a plain message over 4096 characters and a caption over 1024", async () => {
    const long = await apiError(api.sendMessage(31, "x".repeat(4097)));
    expect(long.description).toBe("Bad Request: message is too long");
    const caption = await apiError(api.sendPhoto(31, "file-id", { caption: "y".repeat(1025) }));
    expect(caption.description).toBe("Bad Request: message caption is too long");
    expect(fake.messagesTo(31)).toEqual([]);
  });

  it.each([
    ["an unclosed tag", "<b>bold", /Can't find end tag corresponding to start tag "b"/],
    [
      "mismatched tags",
      "<b><i>x</b></i>",
      /Unmatched end tag at byte offset 7, expected "<\/i>", found "<\/b>"/,
    ],
    ["a bare <", "1 < 2", /Unsupported start tag "" at byte offset 2/],
    ["a bare &", "Tom & Jerry", /Unsupported HTML entity at byte offset 4/],
    ["an unknown tag", "<script>x</script>", /Unsupported start tag "script"/],
  ])("rejects malformed HTML: %s", async (_name, html, why) => {
    const err = await apiError(api.sendMessage(32, html, { parse_mode: "HTML" }));
    expect(err.error_code).toBe(400);
    expect(err.description).toMatch(/^Bad Request: can't parse entities: /);
    expect(err.description).toMatch(why);
  });

  it("edits text and keyboard, counts edits, and refuses a no-op edit", async () => {
    const keyboard = { inline_keyboard: [[{ text: "A", callback_data: "a" }]] };
    const sent = await api.sendMessage(40, "<b>v1</b>", { parse_mode: "HTML", reply_markup: keyboard });
    const edited = await api.editMessageText(40, sent.message_id, "<b>v2</b>", {
      parse_mode: "HTML",
      reply_markup: keyboard,
    });
    expect(edited).toMatchObject({ text: "v2", entities: [{ type: "bold", offset: 0, length: 2 }] });
    expect(fake.lastMessageTo(40)).toMatchObject({ text: "<b>v2</b>", edits: 1, reply_markup: keyboard });

    const same = await apiError(
      api.editMessageText(40, sent.message_id, "<b>v2</b>", { parse_mode: "HTML", reply_markup: keyboard }),
    );
    expect(same.description).toMatch(/^Bad Request: message is not modified: specified new message content/);

    await api.editMessageReplyMarkup(40, sent.message_id, {
      reply_markup: { inline_keyboard: [[{ text: "B", callback_data: "b" }]] },
    });
    expect(fake.lastMessageTo(40)?.reply_markup.inline_keyboard[0][0].text).toBe("B");
    expect(fake.lastMessageTo(40)?.edits).toBe(2);
  });

  it("drops the inline keyboard when editMessageText omits reply_markup", async () => {
    const sent = await api.sendMessage(41, "pick", {
      reply_markup: { inline_keyboard: [[{ text: "A", callback_data: "a" }]] },
    });
    await api.editMessageText(41, sent.message_id, "picked");
    expect(fake.lastMessageTo(41)?.reply_markup).toBeUndefined();
  });

  it("treats an empty inline keyboard as no keyboard, so removing it twice is not modified", async () => {
    const sent = await api.sendMessage(45, "pick", {
      reply_markup: { inline_keyboard: [[{ text: "A", callback_data: "a" }]] },
    });
    await api.editMessageReplyMarkup(45, sent.message_id, { reply_markup: { inline_keyboard: [] } });
    expect(fake.lastMessageTo(45)?.reply_markup).toBeUndefined();
    const again = await apiError(api.editMessageReplyMarkup(45, sent.message_id));
    expect(again.description).toMatch(/^Bad Request: message is not modified/);
  });

  it("refuses to edit a message that does not exist", async () => {
    const err = await apiError(api.editMessageText(42, 777, "nope"));
    expect(err.description).toBe("Bad Request: message to edit not found");
  });

  it("marks deleted messages and refuses to delete or edit them again", async () => {
    const first = await api.sendMessage(43, "first");
    const second = await api.sendMessage(43, "second");
    await expect(api.deleteMessage(43, second.message_id)).resolves.toBe(true);
    expect(fake.messagesTo(43).map((m) => [m.text, m.deleted ?? false])).toEqual([
      ["first", false],
      ["second", true],
    ]);
    expect(fake.lastMessageTo(43)?.message_id).toBe(first.message_id);
    expect((await apiError(api.deleteMessage(43, second.message_id))).description).toBe(
      "Bad Request: message to delete not found",
    );
    expect((await apiError(api.editMessageText(43, second.message_id, "x"))).description).toBe(
      "Bad Request: message to edit not found",
    );
  });

  it("sends media groups with a caption per item", async () => {
    const sent = await api.sendMediaGroup(44, [
      { type: "photo", media: "id-1", caption: "<i>one</i>", parse_mode: "HTML" },
      { type: "photo", media: "id-2" },
    ]);
    expect(sent.map((m) => m.message_id)).toEqual([1, 2]);
    expect(sent[0]?.caption).toBe("one");
    expect(fake.messagesTo(44).map((m) => m.caption)).toEqual(["<i>one</i>", undefined]);
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

  it("answers 403 for a chat whose user blocked the bot, for sends, edits and chat actions", async () => {
    const sent = await api.sendMessage(52, "before");
    fake.blockChat(52);
    const send = await apiError(api.sendMessage(52, "after"));
    expect(send.error_code).toBe(403);
    expect(send.description).toBe("Forbidden: bot was blocked by the user");
    expect((await apiError(api.editMessageText(52, sent.message_id, "x"))).error_code).toBe(403);
    expect((await apiError(api.sendChatAction(52, "typing"))).error_code).toBe(403);
  });

  it("answers a migrated group with migrate_to_chat_id", async () => {
    fake.migrateChat(-53, -1000000000053);
    const err = await apiError(api.sendMessage(-53, "hello group"));
    expect(err.error_code).toBe(400);
    expect(err.description).toBe("Bad Request: group chat was upgraded to a supergroup chat");
    expect(err.parameters.migrate_to_chat_id).toBe(-1000000000053);
    const moved = await api.sendMessage(-1000000000053, "hello supergroup");
    expect(moved.chat.type).toBe("supergroup");
  });

  it("answers 'chat not found' for a forgotten chat", async () => {
    fake.forgetChat(54);
    expect((await apiError(api.sendMessage(54, "x"))).description).toBe("Bad Request: chat not found");
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

  it("answers getChatMember from setChatMemberStatus, defaulting to member", async () => {
    const group = makeGroup(-60);
    expect((await api.getChatMember(group.id, 7)).status).toBe("member");
    fake.setChatMemberStatus(group.id, 7, "administrator");
    const admin = await api.getChatMember(group.id, 7);
    expect(admin).toMatchObject({ status: "administrator", user: { id: 7, is_bot: false } });
  });

  it("remembers commands per scope and language", async () => {
    await api.setMyCommands([{ command: "start", description: "Start" }], { language_code: "ru" });
    expect(await api.getMyCommands({ language_code: "ru" })).toEqual([
      { command: "start", description: "Start" },
    ]);
    expect(await api.getMyCommands()).toEqual([]);
  });

  it("rejects a wrong token with 401 when a token is configured", async () => {
    const strict = await FakeTelegram.start({ token: "1:right" });
    try {
      const err = await apiError(new Api("1:wrong", { apiRoot: strict.apiRoot }).getMe());
      expect(err.error_code).toBe(401);
      expect(err.description).toBe("Unauthorized");
      await expect(new Api("1:right", { apiRoot: strict.apiRoot }).getMe()).resolves.toBeTruthy();
    } finally {
      await strict.stop();
    }
  });

  it("answers 429 with retry_after 1 beyond the configured rate, slack included", async () => {
    const limited = await FakeTelegram.start({ rateLimit: { perSecond: 5, slack: 0.2 } });
    try {
      const client = new Api(TOKEN, { apiRoot: limited.apiRoot });
      for (let i = 0; i < 6; i++) await client.sendMessage(70 + i, `m${i}`);
      const err = await apiError(client.sendMessage(80, "one too many"));
      expect(err.error_code).toBe(429);
      expect(err.parameters.retry_after).toBe(1);
      expect(limited.rateLimited429s).toBe(1);
    } finally {
      await limited.stop();
    }
  });
});

describe("FakeTelegram getUpdates", () => {
  let fake: FakeTelegram;
  let api: Api;

  beforeAll(async () => {
    fake = await FakeTelegram.start({ longPollCapMs: 1000 });
    api = new Api(TOKEN, { apiRoot: fake.apiRoot });
  });
  afterAll(async () => {
    await fake.stop();
  });

  it("keeps returning updates until an offset confirms them", async () => {
    const user = makeUser(100);
    const a = fake.sendText(user, "one");
    const b = fake.sendText(user, "two");
    expect(b.update_id).toBe(a.update_id + 1);
    expect((await api.getUpdates()).map((u) => u.message?.text)).toEqual(["one", "two"]);
    expect((await api.getUpdates({ limit: 1 })).map((u) => u.message?.text)).toEqual(["one"]);
    expect((await api.getUpdates({ offset: b.update_id })).map((u) => u.message?.text)).toEqual(["two"]);
    expect(await api.getUpdates({ offset: b.update_id + 1 })).toEqual([]);
    expect(await api.getUpdates()).toEqual([]);
  });

  it("holds a long poll until an update is queued", async () => {
    const started = Date.now();
    const poll = api.getUpdates({ timeout: 30 });
    await fake.waitFor(() => fake.calls.some((c) => c.method === "getUpdates" && c.status === 0));
    const queued = fake.sendText(makeUser(101), "wake up");
    const updates = await poll;
    expect(updates.map((u) => u.update_id)).toEqual([queued.update_id]);
    expect(Date.now() - started).toBeLessThan(900);
    await api.getUpdates({ offset: queued.update_id + 1 });
  });

  it("ends an idle long poll with an empty result after the timeout", async () => {
    const started = Date.now();
    expect(await api.getUpdates({ timeout: 1 })).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it("answers the older of two concurrent long polls with 409 Conflict", async () => {
    const older = apiError(api.getUpdates({ timeout: 30 }));
    await fake.waitFor(() => fake.calls.some((c) => c.method === "getUpdates" && c.status === 0));
    await expect(api.getUpdates({ timeout: 0 })).resolves.toEqual([]);
    const err = await older;
    expect(err.error_code).toBe(409);
    expect(err.description).toMatch(/^Conflict: terminated by other getUpdates request/);
  });

  it("withholds update types outside allowed_updates", async () => {
    const msg = fake.sendText(makeUser(102), "text");
    const reaction = fake.queueUpdate({ message_reaction: { chat: { id: 102, type: "private" } } });
    expect((await api.getUpdates({ allowed_updates: ["message_reaction"] })).map((u) => u.update_id)).toEqual(
      [reaction.update_id],
    );
    expect((await api.getUpdates({ allowed_updates: [] })).map((u) => u.update_id)).toEqual([msg.update_id]);
    await api.getUpdates({ offset: reaction.update_id + 1 });
  });

  it("ends pending long polls with an empty result on stop", async () => {
    const other = await FakeTelegram.start();
    const poll = new Api(TOKEN, { apiRoot: other.apiRoot }).getUpdates({ timeout: 30 });
    await other.waitFor(() => other.calls.length > 0 && other.calls[0]?.status === 0);
    await other.stop();
    await expect(poll).resolves.toEqual([]);
  });
});

describe("FakeTelegram driving a real grammY Bot", () => {
  let fake: FakeTelegram;
  let bot: Bot;
  let running: Promise<void>;
  let pollingError: unknown;

  beforeAll(async () => {
    fake = await FakeTelegram.start();
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
