import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeGroup, makeUser } from "../../src/bench/fake-bot-api/chat-state.ts";
import { DEFAULT_FOREIGN_AGENT_LABEL } from "../../src/domain/label.ts";
import { CatalogStore } from "../../src/store/catalog-store.ts";
import { ChatStore } from "../../src/store/chat-store.ts";
import { redisKeys } from "../../src/store/keys.ts";
import { StopList } from "../../src/store/stop-list.ts";
import { SubscriptionStore } from "../../src/store/subscription-store.ts";
import {
  buttonData,
  buttonTexts,
  englishUser,
  type Harness,
  russianUser,
  startHarness,
} from "../support/bot-harness.ts";
import { eventually } from "../support/eventually.ts";

const LABEL_HTML = `<b>${DEFAULT_FOREIGN_AGENT_LABEL.replaceAll("&", "&amp;")}</b>`;

let h: Harness;
let catalog: CatalogStore;
let chats: ChatStore;
let subs: SubscriptionStore;
let stopList: StopList;

beforeAll(async () => {
  h = await startHarness("subscriber-bot");
  const keys = redisKeys(h.config.redisPrefix);
  catalog = new CatalogStore(h.redis, keys);
  chats = new ChatStore(h.redis, keys);
  subs = new SubscriptionStore(h.redis, keys);
  stopList = new StopList(h.redis, keys);
});

afterAll(async () => {
  await h.stop();
});

async function say(user: ReturnType<typeof makeUser>, text: string, chat?: ReturnType<typeof makeGroup>) {
  const chatId = chat?.id ?? user.id;
  const before = h.fake.messagesTo(chatId).length;
  h.fake.sendText(user, text, chat);
  return h.fake.waitFor(() => h.fake.messagesTo(chatId)[before]);
}

async function tap(
  user: ReturnType<typeof makeUser>,
  chatId: number,
  messageId: number,
  label: string | RegExp,
) {
  const message = h.fake.messagesTo(chatId).find((m) => m.message_id === messageId);
  if (!message) throw new Error(`no message ${messageId} in chat ${chatId}`);
  const answersBefore = h.fake.calls.filter((c) => c.method === "answerCallbackQuery").length;
  const update = h.fake.tapButton(user, message, buttonData(message, label));
  const query = (update as { callback_query: { id: string } }).callback_query.id;
  return h.fake.waitFor(() =>
    h.fake.calls
      .filter((c) => c.method === "answerCallbackQuery")
      .slice(answersBefore)
      .find((c) => c.payload.callback_query_id === query),
  );
}

/** Every slug of the catalogue, archived ones too, that the chat follows. */
const followed = async (chatId: number) =>
  subs.slugsOf(
    chatId,
    (await catalog.all()).map((e) => e.slug),
  );

const current = (chatId: number, messageId: number) => {
  const m = h.fake.messagesTo(chatId).find((x) => x.message_id === messageId);
  if (!m) throw new Error("message vanished");
  return m;
};

describe("the subscriber bot", () => {
  it("publishes its command list in Russian and English", async () => {
    const calls = await h.fake.waitFor(() => {
      const found = h.fake.calls.filter((c) => c.method === "setMyCommands");
      return found.length >= 3 ? found : undefined;
    });
    const english = calls.find((c) => c.payload.language_code === "en");
    expect(JSON.stringify(english?.payload.commands)).toContain("Follow or drop topics");
    const russian = calls.find((c) => c.payload.language_code === "ru");
    expect(JSON.stringify(russian?.payload.commands)).toContain("Подписки на темы");
  });

  it("welcomes a new user in their language, label first, with buttons to subscribe", async () => {
    const user = makeUser(7001, { language_code: "ru" });
    const welcome = await say(user, "/start");
    expect(welcome.text?.startsWith(LABEL_HTML)).toBe(true);
    expect(welcome.text).toContain("Здравствуйте");
    expect(buttonTexts(welcome)).toEqual(expect.arrayContaining(["📰 Темы", "🗺 Регионы"]));
    expect(await chats.get(user.id)).toMatchObject({
      lang: "ru",
      editions: "ru",
      active: true,
      timeZone: "Europe/Moscow",
    });
  });

  it("subscribes in one tap from a /start deep link and says so", async () => {
    const user = makeUser(7002, { language_code: "en" });
    const reply = await say(user, "/start chechnya");
    expect(reply.text).toContain("You are subscribed to “Chechnya”");
    expect(await subs.slugsOf(user.id, ["chechnya", "dagestan"])).toEqual(["chechnya"]);
    const again = await say(user, "/start chechnya");
    expect(again.text).toContain("You already follow “Chechnya”");
    expect((await subs.counts()).get("chechnya")).toBe(1);
  });

  it("answers an unknown or malformed deep link helpfully and subscribes to nothing", async () => {
    const user = makeUser(7003, { language_code: "en" });
    const unknown = await say(user, "/start no-such-topic");
    expect(unknown.text).toContain("I don't know “no-such-topic”");
    expect(buttonTexts(unknown)).toContain("📰 Topics");
    const junk = await say(user, "/start <b>&amp;\u0000💥</b>");
    expect(junk.text).toContain("&lt;b&gt;&amp;amp;");
    expect(await followed(user.id)).toEqual([]);
  });

  it("tells a deep-link visitor when a topic is archived", async () => {
    const entry = await catalog.get("peacekeeping");
    if (!entry) throw new Error("seed missing");
    await catalog.put({ ...entry, state: "archived" });
    const user = makeUser(7004, { language_code: "ru" });
    const reply = await say(user, "/start peacekeeping");
    expect(reply.text).toContain("«Миротворцы» больше не обновляется");
    expect(await subs.slugsOf(user.id, ["peacekeeping"])).toEqual([]);
    await catalog.put(entry);
  });

  it("toggles topics on and off from the /topics menu", async () => {
    const user = makeUser(7005, { language_code: "en" });
    const menu = await say(user, "/topics");
    expect(menu.text).toContain("Topics: tap to subscribe");
    const answer = await tap(user, user.id, menu.message_id, "Elections");
    expect(answer.payload.text).toBe("Subscribed: Elections");
    await h.fake.waitFor(() => buttonTexts(current(user.id, menu.message_id)).includes("✅ Elections"));
    expect(await subs.slugsOf(user.id, ["elections"])).toEqual(["elections"]);
    const off = await tap(user, user.id, menu.message_id, "✅ Elections");
    expect(off.payload.text).toBe("Unsubscribed: Elections");
    await h.fake.waitFor(() => buttonTexts(current(user.id, menu.message_id)).includes("Elections"));
    expect(await subs.slugsOf(user.id, ["elections"])).toEqual([]);
  });

  it("pages through the regions and subscribes from the second page", async () => {
    const user = makeUser(7006, { language_code: "en" });
    const menu = await say(user, "/regions");
    expect(buttonTexts(menu)).toContain("1 / 2");
    const rows = menu.reply_markup?.inline_keyboard as unknown[][];
    expect(rows.every((row) => row.length > 0)).toBe(true);
    expect(buttonTexts(menu)).not.toContain("Volgograd Region");
    await tap(user, user.id, menu.message_id, "▶");
    await h.fake.waitFor(() => buttonTexts(current(user.id, menu.message_id)).includes("2 / 2"));
    await tap(user, user.id, menu.message_id, "Volgograd Region");
    expect(await subs.slugsOf(user.id, ["volgograd"])).toEqual(["volgograd"]);
  });

  it("answers a tap on a button whose topic was archived since, and refreshes the menu", async () => {
    const user = makeUser(7007, { language_code: "en" });
    const menu = await say(user, "/topics");
    const entry = await catalog.get("religion");
    if (!entry) throw new Error("seed missing");
    await catalog.put({ ...entry, state: "archived" });
    try {
      const answer = await tap(user, user.id, menu.message_id, "Religion");
      expect([
        "The list has changed; here is the current one",
        "This item is no longer in the list",
      ]).toContain(answer.payload.text);
      await h.fake.waitFor(() => !buttonTexts(current(user.id, menu.message_id)).includes("Religion"));
      expect(await subs.slugsOf(user.id, ["religion"])).toEqual([]);
    } finally {
      await catalog.put(entry);
    }
  });

  it("lists subscriptions with /my, by kind, in the chat's language", async () => {
    const user = makeUser(7008, { language_code: "ru" });
    await say(user, "/start dagestan");
    await say(user, "/start ecology");
    const my = await say(user, "/my");
    expect(my.text).toContain("Темы: Экология");
    expect(my.text).toContain("Регионы: Дагестан");
    expect(my.text).toContain("часовой пояс: Europe/Moscow");
  });

  it("says plainly that nothing is followed yet", async () => {
    const my = await say(makeUser(7009, { language_code: "en" }), "/my");
    expect(my.text).toContain("You don't follow anything yet");
  });

  it("switches the language and the edition from /language", async () => {
    const user = makeUser(7010, { language_code: "ru" });
    const menu = await say(user, "/language");
    const answer = await tap(user, user.id, menu.message_id, "English");
    expect(answer.payload.text).toBe("Language: English");
    await h.fake.waitFor(() => current(user.id, menu.message_id).text?.includes("Choose the language"));
    expect(await chats.get(user.id)).toMatchObject({ lang: "en", editions: "en" });
    const bothOn = await tap(user, user.id, menu.message_id, "Both editions");
    expect(bothOn.payload.text).toBe("Editions: Russian and English");
    expect(await chats.get(user.id)).toMatchObject({ lang: "en", editions: "both" });
    await h.fake.waitFor(() => buttonTexts(current(user.id, menu.message_id)).some((b) => b.startsWith("☑")));
    const bothOff = await tap(user, user.id, menu.message_id, "Both editions");
    expect(bothOff.payload.text).toBe("Edition: English only");
    expect(await chats.get(user.id)).toMatchObject({ lang: "en", editions: "en" });
    await tap(user, user.id, menu.message_id, "Both editions");
    const help = await say(user, "/help");
    expect(help.text).toContain("/topics: follow or drop topics");
  });

  it("forgets everything on /stop, and /start brings the user back", async () => {
    const user = makeUser(7011, { language_code: "en" });
    await say(user, "/start courts");
    await say(user, "/start armenia");
    const bye = await say(user, "/stop");
    expect(bye.text).toContain("you are unsubscribed from everything");
    expect(await chats.get(user.id)).toBeUndefined();
    expect(await followed(user.id)).toEqual([]);
    expect((await subs.counts()).get("courts")).toBe(0);
    expect(await h.redis.exists(`${h.config.redisPrefix}:session:${user.id}`)).toBe(0);
    const hello = await say(user, "/start");
    expect(hello.text).toContain("Hello!");
  });

  it("answers junk of every kind without an error", async () => {
    const user = makeUser(7012, { language_code: "en" });
    expect((await say(user, "hello there")).text).toContain("I only understand commands and buttons");
    expect((await say(user, "/frobnicate")).text).toContain("I don't know that command");
    expect((await say(user, "x".repeat(4096))).text).toContain("I only understand");
    expect((await say(user, "<script>&nbsp;")).text).toContain("I only understand");
    const before = h.fake.calls.length;
    h.fake.queueUpdate({
      callback_query: {
        id: "junk-1",
        from: user,
        chat_instance: "1",
        data: "garbage/that/is/not/ours",
        message: { message_id: 1, date: 0, chat: { id: user.id, type: "private" } },
      },
    });
    const answer = await h.fake.waitFor(() =>
      h.fake.calls.slice(before).find((c) => c.method === "answerCallbackQuery"),
    );
    expect(answer.payload.text).toBe("This button no longer works. Send /start for a fresh menu.");
  });

  it("lets only a group's admins change the group's subscriptions, and answers a member there with nothing", async () => {
    const group = makeGroup(-100777);
    const member = makeUser(7013, { language_code: "en" });
    const admin = makeUser(7014, { language_code: "en" });
    h.fake.setChatMemberStatus(group.id, admin.id, "administrator");
    // Updates of one chat are handled in order, so the reply to the admin's /help is the next
    // message if the member got none.
    h.fake.sendText(member, "/start ecology", group);
    expect((await say(admin, "/help", group)).text).toContain("/topics: follow or drop topics");
    expect(await subs.slugsOf(group.id, ["ecology"])).toEqual([]);
    const accepted = await say(admin, "/start ecology", group);
    expect(accepted.text).toContain("subscribed to “Nature and ecology”");
    expect(await subs.slugsOf(group.id, ["ecology"])).toEqual(["ecology"]);
    h.fake.sendText(member, "just chatting", group);
    h.fake.sendText(member, "/help", group);
    expect((await say(admin, "/help", group)).text).toContain("/topics: follow or drop topics");
  });

  it("moves a group's subscriptions as soon as Telegram says it became a supergroup", async () => {
    const admin = makeUser(7016, { language_code: "en" });
    const group = makeGroup(-100_900);
    h.fake.setChatMemberStatus(group.id, admin.id, "administrator");
    await say(admin, "/start protests", group);
    h.fake.queueUpdate({
      message: {
        message_id: 99,
        date: 1,
        chat: { id: group.id, type: "group", title: "g" },
        from: admin,
        migrate_to_chat_id: -1_000_100_900,
      },
    });
    await eventually(
      async () => (await subs.slugsOf(-1_000_100_900, ["protests"])).length === 1,
      3000,
      "subscriptions moved",
    );
    expect(await subs.slugsOf(group.id, ["protests"])).toEqual([]);
    expect(await chats.get(-1_000_100_900)).toMatchObject({ active: true });
  });

  it("stops alerting a user who blocked the bot until they /start again", async () => {
    const user = makeUser(7015, { language_code: "en" });
    await say(user, "/start georgia");
    h.fake.queueUpdate({
      my_chat_member: {
        chat: { id: user.id, type: "private", first_name: "Reader" },
        from: user,
        date: 1,
        old_chat_member: { status: "member", user: { id: 999000, is_bot: true, first_name: "newsbell" } },
        new_chat_member: {
          status: "kicked",
          until_date: 0,
          user: { id: 999000, is_bot: true, first_name: "newsbell" },
        },
      },
    });
    await eventually(async () => (await chats.get(user.id))?.active === false, 3000, "deactivation");
    await say(user, "/start");
    expect((await chats.get(user.id))?.active).toBe(true);
    expect(await subs.slugsOf(user.id, ["georgia"])).toEqual(["georgia"]);
  });

  it("quotes an unknown deep link cut at whole characters, never half an emoji", async () => {
    const user = makeUser(7020, { language_code: "en" });
    const reply = await say(user, `/start ${"a".repeat(63)}😀tail`);
    expect(reply.text).toContain(`“${"a".repeat(63)}😀”`);
    expect(reply.text).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  it("reads a deep link's slug in any case", async () => {
    const user = makeUser(7021, { language_code: "en" });
    const reply = await say(user, "/start Chechnya");
    expect(reply.text).toContain("You are subscribed to “Chechnya”");
    expect(await subs.slugsOf(user.id, ["chechnya"])).toEqual(["chechnya"]);
  });

  it("opens the menu at the page that shows the item a deep link followed, with its ✅", async () => {
    const user = makeUser(7022, { language_code: "ru" });
    const reply = await say(user, "/start chechnya");
    expect(reply.text).toContain("Вы подписаны на «Чечня»");
    expect(buttonTexts(reply)).toContain("✅ Чечня");
    expect(buttonTexts(reply)).toContain("2 / 2");
  });

  it("tells the reader how to subscribe with the buttons the welcome really has", async () => {
    const en = await say(makeUser(7023, { language_code: "en" }), "/start");
    expect(en.text).toContain("Open Topics or Regions below and tap an item to follow it");
    const ru = await say(makeUser(7024, { language_code: "ru" }), "/start");
    expect(ru.text).toContain("Откройте «Темы» или «Регионы» ниже и нажмите на пункт");
  });

  it("tells a reader who follows something where their subscriptions are, and welcomes no one back", async () => {
    const user = makeUser(7025, { language_code: "en" });
    await say(user, "/start");
    const again = await say(user, "/start");
    expect(again.text).toContain("Hello!");
    expect(again.text).not.toContain("already follow");
    await say(user, "/start courts");
    const back = await say(user, "/start");
    expect(back.text).toContain(
      "Hello! You already follow news from the Caucasian Knot: see “⭐ My subscriptions”.",
    );
  });

  it("does not welcome back someone new who followed a region before their first /start", async () => {
    const user = makeUser(7929, { language_code: "ru" });
    const menu = await say(user, "/regions");
    await tap(user, user.id, menu.message_id, "Абхазия");
    const first = await say(user, "/start");
    expect(first.text).not.toContain("С возвращением");
    expect(first.text).toContain("Вы уже подписаны");
  });

  it("names the group's subscriptions on the group's menu button, not «Мои подписки»", async () => {
    const group = makeGroup(-100_980, { title: "Читатели" });
    const admin = makeUser(7930, { language_code: "ru" });
    h.fake.setChatMemberStatus(group.id, admin.id, "administrator");
    const welcome = await say(admin, "/start", group);
    expect(buttonTexts(welcome)).toContain("⭐ Подписки группы");
    expect(buttonTexts(welcome)).not.toContain("⭐ Мои подписки");
    expect(buttonTexts(await say(admin, "/start"))).toContain("⭐ Мои подписки");
  });

  it("lets a group member's /start change nothing and say nothing, so their language never becomes the group's", async () => {
    const group = makeGroup(-100_778, { title: "Kavkaz Readers" });
    const member = makeUser(7026, { language_code: "ru" });
    const admin = makeUser(7027, { language_code: "en" });
    h.fake.setChatMemberStatus(group.id, admin.id, "administrator");
    h.fake.sendText(member, "/start", group);
    h.fake.sendText(member, "/topics", group);
    // The admin's /help is answered next: the member's commands got nothing.
    expect((await say(admin, "/help", group)).text).toContain("/topics: follow or drop topics");
    expect(await chats.get(group.id)).toBeUndefined();
    expect((await say(admin, "/start", group)).text).toContain("Hello!");
    expect(await chats.get(group.id)).toMatchObject({ lang: "en", kind: "group" });
  });

  it("names the group, not the reader, in a group's texts", async () => {
    const group = makeGroup(-100_779, { title: "Kavkaz Readers" });
    const admin = makeUser(7028, { language_code: "en" });
    h.fake.setChatMemberStatus(group.id, admin.id, "administrator");
    const welcome = await say(admin, "/start", group);
    expect(welcome.text).toContain("to “Kavkaz Readers”");
    expect((await say(admin, "/my", group)).text).toContain("“Kavkaz Readers” doesn't follow anything yet");
    const subscribed = await say(admin, "/start ecology", group);
    expect(subscribed.text).toContain("“Kavkaz Readers” is subscribed to “Nature and ecology”");
    expect((await say(admin, "/start ecology", group)).text).toContain(
      "“Kavkaz Readers” already follows “Nature and ecology”",
    );
    expect((await say(admin, "/my", group)).text).toContain("“Kavkaz Readers” follows:");
    expect((await say(admin, "/start", group)).text).toContain(
      "Hello! “Kavkaz Readers” already follows news from the Caucasian Knot: see “⭐ The group's subscriptions”.",
    );
    expect((await say(admin, "/stop", group)).text).toContain(
      "“Kavkaz Readers” is unsubscribed from everything",
    );
  });

  it("answers a member's tap in a group with a toast, not an alert box", async () => {
    const group = makeGroup(-100_780);
    const member = makeUser(7029, { language_code: "en" });
    const admin = makeUser(7030, { language_code: "en" });
    h.fake.setChatMemberStatus(group.id, admin.id, "administrator");
    const menu = await say(admin, "/topics", group);
    const answer = await tap(member, group.id, menu.message_id, "Elections");
    expect(answer.payload).toEqual({
      callback_query_id: answer.payload.callback_query_id,
      text: "Only the group's admins can use these buttons",
    });
    expect(await subs.slugsOf(group.id, ["elections"])).toEqual([]);
  });

  it("remembers who said /stop, so an older backup does not subscribe them again, until they /start", async () => {
    const user = makeUser(7031, { language_code: "en" });
    await say(user, "/start courts");
    const onList = async () => (await stopList.stoppedAmong([user.id])).has(user.id);
    expect(await onList()).toBe(false);
    const before = Date.now();
    await say(user, "/stop");
    expect(await onList()).toBe(true);
    const stoppedAt = await h.redis.hget(redisKeys(h.config.redisPrefix).stoppedChats, String(user.id));
    expect(Date.parse(stoppedAt ?? "")).toBeGreaterThanOrEqual(before - 1000);
    await say(user, "/start");
    expect(await onList()).toBe(false);
  });

  it("answers a Russian user in Russian and an English user in English", async () => {
    expect((await say(russianUser, "/help")).text).toContain("/topics: подписаться на темы или отписаться");
    expect((await say(englishUser, "/help")).text).toContain("/topics: follow or drop topics");
  });
});

describe("the order of the catalogue in the menus", () => {
  it("shows the regions the newsroom's readers follow most on the first page: Чечня, not on page 2", async () => {
    const user = makeUser(8801, { language_code: "ru" });
    const firstPage = async () => buttonTexts(await say(user, "/regions"));
    expect(await firstPage()).not.toContain("Чечня");
    const readers = Array.from({ length: 12 }, (_, i) => 8_810_000 + i);
    try {
      for (const chatId of readers) await subs.subscribe(chatId, "chechnya");
      expect(await firstPage()).toContain("Чечня");
    } finally {
      for (const chatId of readers) await subs.unsubscribe(chatId, "chechnya");
    }
  });
});
