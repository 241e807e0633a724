import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BOT_USER, type FakeChat, makeGroup, makeUser } from "../../src/bench/fake-bot-api/chat-state.ts";
import type { SentMessage } from "../../src/bench/fake-bot-api/message-store.ts";
import { revisionJobId, unpinJobId } from "../../src/delivery/queues.ts";
import { defaultReaderOptions } from "../../src/domain/reader-options.ts";
import { buttonData, buttonTexts, type Harness, startHarness } from "../support/bot-harness.ts";
import { articleInput, deliveryTools } from "../support/delivery-harness.ts";
import { eventually } from "../support/eventually.ts";
import { dataOf, driver } from "../support/newsroom-driver.ts";

let h: Harness;
let t: ReturnType<typeof deliveryTools>;

beforeAll(async () => {
  h = await startHarness("pins", { role: "all", env: { SEND_RATE: "1000" } });
  t = deliveryTools(h);
  t.queues.pins.on("error", () => undefined);
  t.queues.revisions.on("error", () => undefined);
});

afterAll(async () => {
  await t.queues.close();
  await h.stop();
});

const ADMIN = makeUser(9701, { first_name: "Zarema", language_code: "en" });
/** A group (or a channel) waits 3 s between the bot's calls there: a pin comes that long after its alert. */
const PIN_WAIT_MS = 15_000;

let nextChat = 1;
/** A group where ADMIN is an administrator, and the bot too (so it may pin) unless `botAdmin` is false. */
function newGroup(opts: { botAdmin?: boolean } = {}): FakeChat {
  const group = makeGroup(-1_009_700_000 - nextChat++, { type: "supergroup", title: "Pinned Readers" });
  h.fake.addChat(group);
  h.fake.setChatMemberStatus(group.id, ADMIN.id, "administrator");
  if (opts.botAdmin !== false) h.fake.setChatMemberStatus(group.id, BOT_USER.id, "administrator");
  return group;
}

/** A group that follows `region` and pins breaking news (or not), set up as an admin's /settings would. */
async function follower(group: FakeChat, region: string, pin: boolean) {
  await t.subscriber(group.id, [region], {
    kind: "group",
    lang: "en",
    editions: "both",
    options: { ...defaultReaderOptions(), pinBreaking: pin },
  });
}

/** The article's alert in the chat, once delivery is over. */
async function publishTo(chatId: number, region: string, breaking: boolean): Promise<SentMessage> {
  const headline = `${breaking ? "Breaking" : "Regular"} ${region} ${nextChat++}`;
  await t.publishAndWait(articleInput({ regions: [region], headline, breaking, lang: "en" }));
  const alert = h.fake.messagesTo(chatId).find((m) => m.text?.includes(headline));
  if (!alert) throw new Error(`no alert "${headline}" in ${chatId}`);
  return alert;
}

const pinned = (chatId: number, messageId: number) => h.fake.pinnedIn(chatId).includes(messageId);
/** The bot's record of its pin in the chat, once written (just after Telegram's answer) or forgotten. */
const recordIs = (chatId: number, messageId: number | undefined) =>
  eventually(
    async () => (await t.pins.current(chatId))?.messageId === messageId,
    5000,
    `pin record of ${chatId} is ${messageId}`,
  );
const pinCalls = (chatId: number) =>
  h.fake.calls.filter((c) => c.method === "pinChatMessage" && c.payload.chat_id === chatId);

async function promoteUnpin(chatId: number, messageId: number): Promise<void> {
  // Queued right after the pin is recorded and the one before it unpinned.
  await eventually(
    async () => (await t.queues.pins.getJob(unpinJobId(chatId, messageId))) !== undefined,
    5000,
    "unpin job queued",
  );
  const job = await t.queues.pins.getJob(unpinJobId(chatId, messageId));
  if (!job) throw new Error("no unpin job");
  expect(await job.isDelayed()).toBe(true);
  expect(job.opts.delay).toBe(12 * 3600 * 1000);
  await job.promote();
}

async function revise(seq: number, kind: "correct" | "retract"): Promise<void> {
  const revision = await t.revisions.startRevision(seq, kind, DateTime.utc().toISO() ?? "");
  await t.queues.revisions.add(
    kind,
    { seq, revision, editor: { chatId: ADMIN.id, userId: ADMIN.id, lang: "en" }, quiet: true },
    { jobId: revisionJobId(seq, revision) },
  );
  await eventually(
    async () => (await t.revisions.revisionFigures(seq, revision))?.finishedAt !== undefined,
    PIN_WAIT_MS,
    `${kind} of ${seq} finished`,
  );
}

describe("pinned breaking news in groups and channels", () => {
  it("is off until a group's admin turns it on in /settings, which a private chat does not offer", async () => {
    const group = newGroup();
    const settings = await driver(h, ADMIN).sayAndExpect("/settings", "How the news reaches you");
    expect(buttonTexts(settings).some((b) => b.includes("Pin breaking news"))).toBe(false);

    const before = h.fake.messagesTo(group.id).length;
    h.fake.sendText(ADMIN, "/settings", group);
    const menu = await h.fake.waitFor(() => h.fake.messagesTo(group.id)[before]);
    expect(menu.text).toContain("📌 Breaking news: not pinned");
    expect(buttonTexts(menu)).toContain("☐ 📌 Pin breaking news");
    await t.subscriptions.subscribe(group.id, "chechnya");
    h.fake.tapButton(ADMIN, menu, buttonData(menu, "Pin breaking news"));
    await eventually(
      async () => (await t.chats.get(group.id))?.options?.pinBreaking === true,
      5000,
      "pinning turned on",
    );
    const toast = await h.fake.waitFor(() =>
      h.fake.calls.find(
        (c) => c.method === "answerCallbackQuery" && String(c.payload.text).includes("pinned here for 12 h"),
      ),
    );
    expect(toast).toBeDefined();
    await h.fake.waitFor(() =>
      h.fake.messagesTo(group.id).find((m) => m.text?.includes("📌 Breaking news: pinned without a sound")),
    );
  });

  it("pins a group's breaking alert silently, replaces it with the next one, and unpins it after PIN_HOURS", async () => {
    const group = newGroup();
    await follower(group, "ingushetia", true);
    const first = await publishTo(group.id, "ingushetia", true);
    await h.fake.waitFor(() => pinned(group.id, first.message_id), PIN_WAIT_MS);
    expect(pinCalls(group.id).map((c) => c.payload)).toEqual([
      { chat_id: group.id, message_id: first.message_id, disable_notification: true },
    ]);

    const second = await publishTo(group.id, "ingushetia", true);
    await h.fake.waitFor(() => h.fake.pinnedIn(group.id).join() === String(second.message_id), PIN_WAIT_MS);
    // The first one's unpin, due later, finds it is no longer the bot's pin and leaves the chat alone.
    const unpinsBefore = h.fake.calls.filter((c) => c.method === "unpinChatMessage").length;
    await promoteUnpin(group.id, first.message_id);
    await promoteUnpin(group.id, second.message_id);
    await h.fake.waitFor(() => h.fake.pinnedIn(group.id).length === 0, PIN_WAIT_MS);
    await recordIs(group.id, undefined);
    const unpins = h.fake.calls.filter((c) => c.method === "unpinChatMessage").slice(unpinsBefore);
    expect(unpins.map((c) => c.payload)).toEqual([{ chat_id: group.id, message_id: second.message_id }]);
  });

  it("keeps the pin through a correction and unpins it at a retraction", async () => {
    const group = newGroup();
    await follower(group, "kabardino-balkaria", true);
    const alert = await publishTo(group.id, "kabardino-balkaria", true);
    await h.fake.waitFor(() => pinned(group.id, alert.message_id), PIN_WAIT_MS);
    await recordIs(group.id, alert.message_id);
    const seq = (await t.pins.current(group.id))?.seq ?? 0;
    await revise(seq, "correct");
    expect(h.fake.pinnedIn(group.id)).toEqual([alert.message_id]);
    await revise(seq, "retract");
    expect(h.fake.pinnedIn(group.id)).toEqual([]);
    expect(
      h.fake.calls.some((c) => c.method === "unpinChatMessage" && c.payload.message_id === alert.message_id),
    ).toBe(true);
    await recordIs(group.id, undefined);
  });

  it("never pins a regular alert, nor any alert in a group that did not turn pinning on", async () => {
    const pinning = newGroup();
    const plain = newGroup();
    await follower(pinning, "adygea", true);
    await follower(plain, "krasnodar", false);
    await publishTo(pinning.id, "adygea", false);
    await publishTo(plain.id, "krasnodar", true);
    // The one breaking alert to the group that pins is the sign that every pin job has run.
    const breaking = await publishTo(pinning.id, "adygea", true);
    await h.fake.waitFor(() => pinned(pinning.id, breaking.message_id), PIN_WAIT_MS);
    expect(h.fake.pinnedIn(pinning.id)).toEqual([breaking.message_id]);
    expect(pinCalls(pinning.id)).toHaveLength(1);
    expect(pinCalls(plain.id)).toHaveLength(0);
    expect(await t.pins.current(plain.id)).toBeUndefined();
  });

  it("tells a group where the bot may not pin how to grant the right, once, and keeps its alerts and the setting", async () => {
    const group = newGroup({ botAdmin: false });
    await follower(group, "north-ossetia", true);
    const told = (): SentMessage[] =>
      h.fake.messagesTo(group.id).filter((m) => m.text?.includes("I can't pin breaking news here"));
    await publishTo(group.id, "north-ossetia", true);
    await h.fake.waitFor(() => told().length === 1, PIN_WAIT_MS);
    expect(told()[0]?.text).toContain("“Pin messages”");
    const second = await publishTo(group.id, "north-ossetia", true);
    await h.fake.waitFor(() => pinCalls(group.id).length === 2, PIN_WAIT_MS);
    expect(h.fake.pinnedIn(group.id)).toEqual([]);
    expect(second.text).toContain("Breaking");
    expect((await t.chats.get(group.id))?.options?.pinBreaking).toBe(true);
    // Once an admin grants the right, the next one is pinned.
    h.fake.setBotCanPin(group.id, true);
    const third = await publishTo(group.id, "north-ossetia", true);
    await h.fake.waitFor(() => pinned(group.id, third.message_id), PIN_WAIT_MS);
    expect(told()).toHaveLength(1);
  });

  it("lets a channel's owner turn pinning on from the private chat, and tells them there when the bot lacks the right", async () => {
    const owner = makeUser(9702, { language_code: "en" });
    const channel: FakeChat = { id: -1_009_799_001, type: "channel", title: "Pin Channel" };
    h.fake.addChat(channel);
    h.fake.setChatMemberStatus(channel.id, owner.id, "creator");
    h.fake.setChatMemberStatus(channel.id, BOT_USER.id, "administrator");
    h.fake.setBotCanPin(channel.id, false);
    const d = driver(h, owner);
    await d.sayAndExpect(`/channel add ${channel.id}`, "“Pin Channel”");
    const settings = await d.sayAndExpect("/settings", "Editing the channel “Pin Channel”");
    await d.tapData(settings, dataOf(settings, /Pin breaking news/));
    expect((await t.chats.get(channel.id))?.options?.pinBreaking).toBe(true);
    await t.subscriptions.subscribe(channel.id, "stavropol");
    await publishTo(channel.id, "stavropol", true);
    const notice = await d.expectMessage(
      "I can't pin breaking news in the channel “Pin Channel”",
      PIN_WAIT_MS,
    );
    expect(notice.text).toContain("“Edit messages of others”");
    expect(h.fake.messagesTo(channel.id).some((m) => m.text?.includes("pin"))).toBe(false);
  });
});
