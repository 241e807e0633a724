import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BOT_USER, type FakeChat, type FakeUser, makeUser } from "../../src/bench/fake-bot-api/chat-state.ts";
import { DEFAULT_FOREIGN_AGENT_LABEL } from "../../src/domain/label.ts";
import { buttonTexts, type Harness, startHarness } from "../support/bot-harness.ts";
import { articleInput, deliveryTools } from "../support/delivery-harness.ts";
import { eventually } from "../support/eventually.ts";
import { dataOf, driver } from "../support/newsroom-driver.ts";

let h: Harness;
let t: ReturnType<typeof deliveryTools>;

beforeAll(async () => {
  h = await startHarness("channels", { role: "all", env: { SEND_RATE: "1000" } });
  t = deliveryTools(h);
});

afterAll(async () => {
  await t.queues.close();
  await h.stop();
});

let nextChannel = 1;

/** A channel where the bot is an administrator that can post, and `owner` its creator. */
function channelOf(owner: FakeUser, title: string, opts: { username?: string; botAdmin?: boolean } = {}) {
  const chat: FakeChat = {
    id: -1_008_100_000 - nextChannel++,
    type: "channel",
    title,
    ...(opts.username ? { username: opts.username } : {}),
  };
  h.fake.addChat(chat);
  h.fake.setChatMemberStatus(chat.id, owner.id, "creator");
  if (opts.botAdmin !== false) h.fake.setChatMemberStatus(chat.id, BOT_USER.id, "administrator");
  return chat;
}

/** Connects `channel` from `owner`'s private chat by its id, as `/channel add -100…` does. */
async function connect(owner: FakeUser, channel: FakeChat) {
  const d = driver(h, owner);
  await d.sayAndExpect(`/channel add ${channel.id}`, new RegExp(`[«“]${channel.title}[»”]`));
  await eventually(async () => (await t.chats.get(channel.id))?.active === true, 3000, "channel connected");
  return d;
}

const lostNotices = (owner: FakeUser, title: string) =>
  h.fake
    .messagesTo(owner.id)
    .filter((m) => m.text?.includes(`I can no longer post in the channel “${title}”`));

describe("channels as subscribers, managed from a private chat", () => {
  it("connects a channel by its @name when both the bot and the person administer it", async () => {
    const owner = makeUser(8101, { language_code: "en" });
    const channel = channelOf(owner, "Kavkaz Daily", { username: "kavkaz_daily" });
    const d = driver(h, owner);
    const reply = await d.sayAndExpect("/channel add @kavkaz_daily", "Connected “Kavkaz Daily”");
    expect(reply.text).toContain("✏️ Editing the channel “Kavkaz Daily”");
    expect(buttonTexts(reply)).toContain("📰 Topics");
    expect(await t.chats.get(channel.id)).toMatchObject({
      kind: "channel",
      active: true,
      connectedBy: owner.id,
      lang: "en",
    });
  });

  it("connects a channel from any of its posts forwarded to the bot", async () => {
    const owner = makeUser(8102, { language_code: "en" });
    const channel = channelOf(owner, "Closed Feed");
    const d = driver(h, owner);
    h.fake.forwardChannelPost(owner, channel);
    await d.expectMessage("Connected “Closed Feed”");
    expect(await t.chats.get(channel.id)).toMatchObject({ kind: "channel", connectedBy: owner.id });
  });

  it("refuses when the person is not an admin, when the bot is not, and an unknown @name", async () => {
    const owner = makeUser(8103, { language_code: "en" });
    const stranger = makeUser(8104, { language_code: "en" });
    const channel = channelOf(owner, "Not Yours", { username: "not_yours" });
    const refused = await driver(h, stranger).sayAndExpect("/channel add @not_yours", "Not Yours");
    expect(refused.text).toContain("Only an administrator of “Not Yours” can connect it");
    const botless = channelOf(owner, "No Bot Here", { username: "no_bot_here", botAdmin: false });
    const d = driver(h, owner);
    const noBot = await d.sayAndExpect("/channel add @no_bot_here", "No Bot Here");
    expect(noBot.text).toContain("I am not an administrator of “No Bot Here”");
    expect((await d.say("/channel add @nobody_such")).text).toContain("I can't find “@nobody_such”");
    expect(await t.chats.get(channel.id)).toBeUndefined();
    expect(await t.chats.get(botless.id)).toBeUndefined();
  });

  it("edits the channel's topics, language and /my from the private chat, never the private chat's own", async () => {
    const owner = makeUser(8105, { language_code: "en" });
    const channel = channelOf(owner, "Topics Channel");
    const d = await connect(owner, channel);
    const topics = await d.sayAndExpect("/topics", "Topics: tap to subscribe");
    expect(topics.text).toContain("Editing the channel “Topics Channel”");
    const answer = await d.tapData(topics, dataOf(topics, "Elections"));
    expect(answer.payload.text).toBe("Subscribed: Elections");
    expect(await t.subscriptions.slugsOf(channel.id, ["elections"])).toEqual(["elections"]);
    expect(await t.subscriptions.slugsOf(owner.id, ["elections"])).toEqual([]);
    await h.fake.waitFor(() => buttonTexts(d.current(topics)).includes("✅ Elections"));

    const my = await d.sayAndExpect("/my", "“Topics Channel” follows:");
    expect(my.text).toContain("Topics: Elections");

    const language = await d.sayAndExpect("/language", "Choose the language");
    expect(language.text).toContain("Editing the channel “Topics Channel”");
    const switched = await d.tapData(language, dataOf(language, "Русский"));
    expect(switched.payload.text).toBe("Channel language: Russian");
    expect(await t.chats.get(channel.id)).toMatchObject({ lang: "ru", editions: "ru" });
    // The private chat keeps speaking the person's language.
    expect((await d.say("/my")).text).toContain("Language: Russian");
    expect((await t.chats.get(owner.id))?.lang).not.toBe("ru");
  });

  it("lists the connected channels with /channel and switches between them and the private chat", async () => {
    const owner = makeUser(8106, { language_code: "en" });
    const first = channelOf(owner, "First Channel");
    const second = channelOf(owner, "Second Channel");
    await connect(owner, first);
    const d = await connect(owner, second);
    const oldMenu = await d.sayAndExpect("/topics", "Editing the channel “Second Channel”");

    const list = await d.sayAndExpect("/channel", "Tap a chat");
    expect(buttonTexts(list)).toEqual(["💬 This chat", "📣 First Channel", "● 📣 Second Channel"]);
    const toFirst = await d.tapData(list, dataOf(list, "First Channel"));
    expect(toFirst.payload.text).toBe("Now editing “First Channel”");
    await d.expectEdited(list, "Editing the channel “First Channel”");
    expect((await d.say("/my")).text).toContain("“First Channel” doesn't follow anything yet");

    const again = await d.sayAndExpect("/channel", "Tap a chat");
    await d.tapData(again, dataOf(again, "This chat"));
    const own = await d.sayAndExpect("/topics", "Topics: tap to subscribe");
    expect(own.text).not.toContain("Editing the channel");
    await d.tapData(own, dataOf(own, "Courts"));
    expect(await t.subscriptions.slugsOf(owner.id, ["courts"])).toEqual(["courts"]);

    // A menu shown while the second channel was edited subscribes nothing now.
    const stale = await d.tapData(oldMenu, dataOf(oldMenu, "Religion"));
    expect(stale.payload.text).toBe("This menu was for another chat; here it is for the one you edit now");
    // The menu said "Topics: tap to subscribe" before too: wait for the redrawn one, without the channel's header.
    const redrawn = await d.expectEdited(
      oldMenu,
      /^(?![\s\S]*Second Channel)[\s\S]*Topics: tap to subscribe/,
    );
    expect(redrawn.text).toContain("Topics: tap to subscribe");
    for (const chatId of [owner.id, first.id, second.id])
      expect(await t.subscriptions.slugsOf(chatId, ["religion"])).toEqual([]);
  });

  it("won't switch to a channel whose admin the person no longer is", async () => {
    const owner = makeUser(8107, { language_code: "en" });
    const channel = channelOf(owner, "Demoted");
    const d = await connect(owner, channel);
    await d.sayAndExpect("/start", "editing this chat again");
    h.fake.setChatMemberStatus(channel.id, owner.id, "member");
    const list = await d.sayAndExpect("/channel", "Tap a chat");
    const answer = await d.tapData(list, dataOf(list, "Demoted"));
    expect(answer.payload.text).toBe("Telegram doesn't list you as an admin of “Demoted”");
    expect((await d.say("/my")).text).not.toContain("Demoted");
  });

  it("posts an article in the channel with the label under the headline, as in any alert", async () => {
    const owner = makeUser(8108, { language_code: "ru" });
    const channel = channelOf(owner, "Новости Кавказа");
    await connect(owner, channel);
    await t.subscriptions.subscribe(channel.id, "chechnya");
    const { stats } = await t.publishAndWait(
      articleInput({ headline: "Channel headline", regions: ["chechnya"] }),
    );
    expect(stats.sent).toBe(1);
    const post = h.fake.messagesTo(channel.id).find((m) => m.text?.includes("Channel headline"));
    const lines = post?.text?.split("\n") ?? [];
    expect(lines[0]).toBe("<b>Channel headline</b>");
    expect(lines[1]).toContain(DEFAULT_FOREIGN_AGENT_LABEL);
  });

  it("makes a channel inactive when Telegram refuses a post with 403, and tells its connector once", async () => {
    const owner = makeUser(8109, { language_code: "en" });
    const channel = channelOf(owner, "Kicked Out");
    await connect(owner, channel);
    await t.subscriptions.subscribe(channel.id, "dagestan");
    h.fake.blockChat(channel.id);
    await t.publishAndWait(articleInput({ lang: "en", regions: ["dagestan"] }));
    expect((await t.chats.get(channel.id))?.active).toBe(false);
    await h.fake.waitFor(() => lostNotices(owner, "Kicked Out").length === 1);
    // Telegram's my_chat_member about the same loss, and a later article, tell nobody again.
    h.fake.setBotStatus(channel.id, "left", owner);
    const { stats } = await t.publishAndWait(articleInput({ lang: "en", regions: ["dagestan"] }));
    expect(stats.sent).toBe(0);
    await driver(h, owner).say("/help");
    expect(lostNotices(owner, "Kicked Out")).toHaveLength(1);
  });

  it("makes a channel inactive when the bot is removed from it, tells its connector, and comes back when connected again", async () => {
    const owner = makeUser(8110, { language_code: "en" });
    const channel = channelOf(owner, "Removed Bot", { username: "removed_bot" });
    await connect(owner, channel);
    h.fake.setBotStatus(channel.id, "kicked", owner);
    await eventually(
      async () => (await t.chats.get(channel.id))?.active === false,
      3000,
      "channel deactivated",
    );
    await h.fake.waitFor(() => lostNotices(owner, "Removed Bot").length === 1);
    const notice = lostNotices(owner, "Removed Bot")[0];
    expect(
      notice?.text?.startsWith(`<b>${DEFAULT_FOREIGN_AGENT_LABEL}`) || notice?.entities?.length,
    ).toBeTruthy();
    const list = await driver(h, owner).sayAndExpect("/channel", "Tap a chat");
    expect(buttonTexts(list)).toContain("● ⏸ Removed Bot (I can't post there)");

    h.fake.setBotStatus(channel.id, "administrator", owner);
    await connect(owner, channel);
    expect(await t.chats.get(channel.id)).toMatchObject({ active: true, connectedBy: owner.id });
    // A new loss is a new notice.
    h.fake.setBotStatus(channel.id, "left", owner);
    await h.fake.waitFor(() => lostNotices(owner, "Removed Bot").length === 2);
  });

  it("disconnects the channel being edited with /channel remove, forgetting its subscriptions", async () => {
    const owner = makeUser(8111, { language_code: "en" });
    const channel = channelOf(owner, "Going Away");
    const d = await connect(owner, channel);
    await t.subscriptions.subscribe(channel.id, "ecology");
    const removed = await d.sayAndExpect("/channel remove", "Disconnected “Going Away”");
    expect(removed.text).toContain("You are editing this chat again");
    expect(await t.chats.get(channel.id)).toBeUndefined();
    expect(await t.subscriptions.slugsOf(channel.id, ["ecology"])).toEqual([]);
    const list = await d.sayAndExpect("/channel", "Tap a chat");
    expect(buttonTexts(list)).toEqual(["● 💬 This chat"]);
    expect((await d.say("/channel remove")).text).toContain("No channel is being edited");
  });

  it("connects channels only in the private chat", async () => {
    const owner = makeUser(8112, { language_code: "en" });
    const group = { id: -1_008_100_900, type: "supergroup" as const, title: "A Group" };
    // A group's admin is told; anyone else in a group is answered nothing.
    h.fake.setChatMemberStatus(group.id, owner.id, "administrator");
    h.fake.sendText(owner, "/channel add @kavkaz_daily", group);
    const reply = await h.fake.waitFor(() => h.fake.messagesTo(group.id)[0]);
    expect(reply.text).toContain("Channels are connected and edited in the private chat with me.");
  });
});
