import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BOT_USER,
  type FakeChat,
  type FakeUser,
  makeGroup,
  makeUser,
} from "../../src/bench/fake-bot-api/chat-state.ts";
import type { SentMessage } from "../../src/bench/fake-bot-api/message-store.ts";
import { DEFAULT_FOREIGN_AGENT_LABEL } from "../../src/domain/label.ts";
import { ChatStore } from "../../src/store/chat-store.ts";
import { redisKeys } from "../../src/store/keys.ts";
import { SubscriptionStore } from "../../src/store/subscription-store.ts";
import { buttonData, buttonTexts, type Harness, startHarness } from "../support/bot-harness.ts";

const LABEL_HTML = `<b>${DEFAULT_FOREIGN_AGENT_LABEL.replaceAll("&", "&amp;")}</b>`;
const ADMINS_ONLY_TOAST = "Only the group's admins can use these buttons";

let h: Harness;
let chats: ChatStore;
let subs: SubscriptionStore;

beforeAll(async () => {
  h = await startHarness("groups");
  const keys = redisKeys(h.config.redisPrefix);
  chats = new ChatStore(h.redis, keys);
  subs = new SubscriptionStore(h.redis, keys);
});

afterAll(async () => {
  await h.stop();
});

const ADMIN = makeUser(9301, { first_name: "Aminat", language_code: "en" });
const MEMBER = makeUser(9302, { first_name: "Murad", language_code: "en" });

let groups = 0;
/** A new group where ADMIN is an administrator and MEMBER is not. */
function newGroup(): FakeChat {
  groups += 1;
  const group = makeGroup(-1_009_300_000 - groups, { type: "supergroup", title: "Kavkaz Readers" });
  h.fake.addChat(group);
  h.fake.setChatMemberStatus(group.id, ADMIN.id, "administrator");
  return group;
}

/** The answer to ADMIN's /id: no other update gets it. */
const isAdminsId = (m: SentMessage) => m.text?.includes(`Your Telegram user id: ${ADMIN.id}.`) === true;

/**
 * Sends the updates, then /id from the group's admin, and returns what the bot posted in the
 * group before its answer to that. Updates of one chat are handled in order, so that is all they got.
 */
async function postedFor(group: FakeChat, send: () => void): Promise<SentMessage[]> {
  const before = h.fake.messagesTo(group.id).length;
  send();
  h.fake.sendText(ADMIN, "/id", group);
  const posted = await h.fake.waitFor(() => {
    const got = h.fake.messagesTo(group.id).slice(before);
    return got.some(isAdminsId) ? got : undefined;
  });
  return posted.slice(
    0,
    posted.findIndex((m) => isAdminsId(m)),
  );
}

async function say(user: FakeUser, text: string, group: FakeChat): Promise<SentMessage> {
  const before = h.fake.messagesTo(group.id).length;
  h.fake.sendText(user, text, group);
  return h.fake.waitFor(() => h.fake.messagesTo(group.id)[before]);
}

const current = (chatId: number, messageId: number) => {
  const m = h.fake.messagesTo(chatId).find((x) => x.message_id === messageId);
  if (!m) throw new Error("message vanished");
  return m;
};

/** Taps a button of a message as `user` and waits for the bot's answer to that tap. */
async function tap(user: FakeUser, message: SentMessage, label: string | RegExp) {
  const answersBefore = h.fake.calls.filter((c) => c.method === "answerCallbackQuery").length;
  const update = h.fake.tapButton(
    user,
    current(message.chat_id, message.message_id),
    buttonData(message, label),
  );
  const query = (update as { callback_query: { id: string } }).callback_query.id;
  return h.fake.waitFor(() =>
    h.fake.calls
      .filter((c) => c.method === "answerCallbackQuery")
      .slice(answersBefore)
      .find((c) => c.payload.callback_query_id === query),
  );
}

/** The bot's next message in the group after `send`, whatever it is. */
async function nextIn(group: FakeChat, send: () => void): Promise<SentMessage> {
  const before = h.fake.messagesTo(group.id).length;
  send();
  return h.fake.waitFor(() => h.fake.messagesTo(group.id)[before]);
}

describe("the bot in a group", () => {
  it("greets a group it is added to, label first: the group's admins set it up with /start or the menu under the greeting", async () => {
    const group = newGroup();
    h.fake.setChatMemberStatus(group.id, BOT_USER.id, "left");
    const hello = await nextIn(group, () => h.fake.setBotStatus(group.id, "member", ADMIN));
    expect(hello.text?.startsWith(LABEL_HTML)).toBe(true);
    expect(hello.text).toContain("Hello, Kavkaz Readers!");
    expect(hello.text).toContain("Only the group's admins can set me up");
    expect(hello.text).toContain("/start");
    expect(buttonTexts(hello)).toEqual(expect.arrayContaining(["📰 Topics", "🗺 Regions"]));
    // The menu under the greeting works for an admin.
    await tap(ADMIN, hello, "Topics");
    await h.fake.waitFor(() => buttonTexts(current(group.id, hello.message_id)).includes("Elections"));
    await tap(ADMIN, current(group.id, hello.message_id), "Elections");
    expect(await subs.slugsOf(group.id, ["elections"])).toEqual(["elections"]);
  });

  it("greets in Russian a group a Russian speaker adds it to", async () => {
    const group = newGroup();
    h.fake.setChatMemberStatus(group.id, BOT_USER.id, "left");
    const adder = makeUser(9303, { language_code: "ru" });
    const hello = await nextIn(group, () => h.fake.setBotStatus(group.id, "member", adder));
    expect(hello.text?.startsWith(LABEL_HTML)).toBe(true);
    expect(hello.text).toContain("Настроить меня могут только администраторы группы");
    expect(buttonTexts(hello)).toEqual(expect.arrayContaining(["📰 Темы", "🗺 Регионы"]));
  });

  it("says no second hello when it is made an admin of a group it is already in", async () => {
    const group = newGroup();
    h.fake.setChatMemberStatus(group.id, BOT_USER.id, "left");
    await nextIn(group, () => h.fake.setBotStatus(group.id, "member", ADMIN));
    expect(await postedFor(group, () => h.fake.setBotStatus(group.id, "administrator", ADMIN))).toEqual([]);
  });

  it("posts nothing in a group for a member's commands: no help, news, menu, id or refusal, and changes nothing", async () => {
    const group = newGroup();
    await say(ADMIN, "/start", group);
    const commands = [
      "/help",
      `/help@${BOT_USER.username}`,
      "/id",
      "/latest",
      "/latest chechnya",
      "/start",
      "/start ecology",
      "/topics",
      "/regions",
      "/my",
      "/language",
      "/settings",
      "/filter",
      "/filter -football",
      "/mute 8h",
      "/timezone Tbilisi",
      "/stop",
      "/here",
      "/channel",
      "/cancel",
    ];
    const posted = await postedFor(group, () => {
      for (const command of commands) h.fake.sendText(MEMBER, command, group);
    });
    expect(posted.map((m) => m.text)).toEqual([]);
    expect(await subs.slugsOf(group.id, ["ecology"])).toEqual([]);
    expect(await chats.get(group.id)).toMatchObject({ active: true, timeZone: "Europe/Moscow" });
    expect((await chats.get(group.id))?.options).toBeUndefined();
  });

  it("answers a member's tap on any button of the group's menus with a toast only, and leaves the menu on its screen", async () => {
    const group = newGroup();
    const menu = await say(ADMIN, "/start", group);
    const settings = await say(ADMIN, "/settings", group);
    const menuBefore = { ...current(group.id, menu.message_id) };
    const settingsBefore = { ...current(group.id, settings.message_id) };
    for (const [message, label] of [
      [menu, "Topics"],
      [menu, "Regions"],
      [menu, "The group's subscriptions"],
      [menu, "Language"],
      [settings, "Mode"],
      [settings, "Quiet hours"],
      [settings, "Breaking at once"],
    ] as const)
      expect((await tap(MEMBER, message, label)).payload.text, label).toBe(ADMINS_ONLY_TOAST);
    expect(await postedFor(group, () => undefined)).toEqual([]);
    expect(current(group.id, menu.message_id)).toMatchObject({
      edits: menuBefore.edits,
      text: menuBefore.text,
      reply_markup: menuBefore.reply_markup,
    });
    expect(current(group.id, settings.message_id)).toMatchObject({
      edits: settingsBefore.edits,
      reply_markup: settingsBefore.reply_markup,
    });

    // An admin opens Topics; a member's tap on an item there changes nothing and gets the toast.
    await tap(ADMIN, menu, "Topics");
    await h.fake.waitFor(() => buttonTexts(current(group.id, menu.message_id)).includes("Elections"));
    expect((await tap(MEMBER, current(group.id, menu.message_id), "Elections")).payload.text).toBe(
      ADMINS_ONLY_TOAST,
    );
    expect(await subs.slugsOf(group.id, ["elections"])).toEqual([]);
    expect((await chats.get(group.id))?.options).toBeUndefined();
  });

  it("asks a group for a typed digest time with a reply forced on the admin who tapped, and takes their reply to it", async () => {
    const group = newGroup();
    const settings = await say(ADMIN, "/settings", group);
    await tap(ADMIN, settings, "Mode");
    await h.fake.waitFor(() => buttonTexts(current(group.id, settings.message_id)).includes("✏️ Other time"));
    const ask = await nextIn(
      group,
      () => void tap(ADMIN, current(group.id, settings.message_id), "Other time"),
    );
    expect(ask.text?.startsWith(LABEL_HTML)).toBe(true);
    expect(ask.text).toContain("Send the digest time, like 8:30");
    // The admin is mentioned, so that `selective` shows the reply field to them alone.
    expect(ask.text).toContain(`<a href="tg://user?id=${ADMIN.id}">Aminat</a>`);
    expect(ask.reply_markup).toMatchObject({ force_reply: true, selective: true });

    // A member's reply and the admin's message that is not a reply are not answers.
    const ignored = await postedFor(group, () => {
      h.fake.replyTo(MEMBER, ask, "9:00");
      h.fake.sendText(ADMIN, "7:00", group);
    });
    expect(ignored).toEqual([]);

    // A wrong answer is told what is wrong, in a reply to it that forces the next reply again.
    const reply = h.fake.replyTo(ADMIN, ask, "25:00") as { message: { message_id: number } };
    const wrong = await h.fake.waitFor(() =>
      h.fake.messagesTo(group.id).find((m) => m.text?.includes("I can't read that time")),
    );
    expect(wrong.reply_markup).toMatchObject({ force_reply: true, selective: true });
    const sent = h.fake.calls.find(
      (c) => c.method === "sendMessage" && String(c.payload.text).includes("I can't read that time"),
    );
    expect(sent?.payload.reply_parameters).toMatchObject({ message_id: reply.message.message_id });

    const done = await nextIn(group, () => h.fake.replyTo(ADMIN, wrong, "18:00"));
    expect(done.text).toContain("Done: a digest at 6:00 PM");
    expect((await chats.get(group.id))?.options).toMatchObject({ mode: "digest", digestTimes: [18 * 60] });
  });

  it("asks a group for typed quiet hours with a forced reply and takes the admin's reply to the question", async () => {
    const group = newGroup();
    const settings = await say(ADMIN, "/settings", group);
    await tap(ADMIN, settings, "Quiet hours");
    await h.fake.waitFor(() =>
      buttonTexts(current(group.id, settings.message_id)).includes("✏️ Your own hours"),
    );
    const ask = await nextIn(
      group,
      () => void tap(ADMIN, current(group.id, settings.message_id), "Your own hours"),
    );
    expect(ask.text).toContain("Send the quiet hours, like 23:00-07:00");
    expect(ask.reply_markup).toMatchObject({ force_reply: true, selective: true });
    const done = await nextIn(group, () => h.fake.replyTo(ADMIN, ask, "23:30-6:45"));
    expect(done.text).toContain("Done: quiet hours 11:30 PM–6:45 AM");
    expect((await chats.get(group.id))?.options).toMatchObject({
      quiet: { from: 23 * 60 + 30, to: 6 * 60 + 45 },
    });
  });
});
