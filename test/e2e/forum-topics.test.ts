import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type FakeChat,
  type FakeUser,
  makeGroup,
  makeUser,
} from "../../src/bench/fake-bot-api/chat-state.ts";
import type { SentMessage } from "../../src/bench/fake-bot-api/message-store.ts";
import { DEFAULT_FOREIGN_AGENT_LABEL } from "../../src/domain/label.ts";
import { type Harness, startHarness } from "../support/bot-harness.ts";
import { articleInput, deliveryTools } from "../support/delivery-harness.ts";

let h: Harness;
let t: ReturnType<typeof deliveryTools>;

beforeAll(async () => {
  h = await startHarness("forum-topics", { role: "all", env: { SEND_RATE: "1000" } });
  t = deliveryTools(h);
});

afterAll(async () => {
  await t.queues.close();
  await h.stop();
});

const ADMIN = makeUser(8201, { language_code: "en" });
const MEMBER = makeUser(8202, { language_code: "en" });
// Each forum follows a region of its own: an article then waits for no other forum's pace (one
// message per 3 s in a group).
const REGIONS = ["chechnya", "dagestan", "ingushetia", "adygea", "kalmykia", "georgia", "armenia"];
const regionOf = new Map<number, string>();

/** A forum supergroup whose admin is ADMIN, following a region in English, with one topic. */
async function forum(): Promise<{ group: FakeChat; news: number }> {
  const n = regionOf.size;
  const group = makeGroup(-1_008_200_000 - n, { type: "supergroup", is_forum: true, title: "Forum" });
  const region = REGIONS[n] ?? "north-caucasus";
  regionOf.set(group.id, region);
  h.fake.setChatMemberStatus(group.id, ADMIN.id, "administrator");
  await say(ADMIN, `/start ${region}`, group);
  return { group, news: h.fake.createTopic(group.id) };
}

/** `user` writes `text` in the group, inside topic `threadId` if given; resolves with the bot's next message there. */
async function say(user: FakeUser, text: string, group: FakeChat, threadId?: number): Promise<SentMessage> {
  const before = h.fake.messagesTo(group.id).length;
  h.fake.sendText(user, text, group, threadId);
  return h.fake.waitFor(() => h.fake.messagesTo(group.id)[before]);
}

/** Publishes an article to the group's region and returns its alert in `group`. */
async function alertIn(group: FakeChat, headline: string): Promise<SentMessage> {
  await t.publishAndWait(articleInput({ headline, lang: "en", regions: [regionOf.get(group.id) ?? ""] }));
  const alert = h.fake.messagesTo(group.id).find((m) => m.text?.startsWith(`<b>${headline}</b>`));
  if (!alert) throw new Error(`no alert “${headline}” in ${group.id}`);
  return alert;
}

const goneNotices = (group: FakeChat) =>
  h.fake.messagesTo(group.id).filter((m) => m.text?.includes("was closed or deleted"));

describe("forum topics", () => {
  it("sends a forum group's alerts to the topic where an admin said /here, label under the headline", async () => {
    const { group, news } = await forum();
    const reply = await say(ADMIN, "/here", group, news);
    expect(reply.message_thread_id).toBe(news);
    expect(reply.text).toContain("Alerts for “Forum” will come to this topic");
    expect((await t.chats.get(group.id))?.threadId).toBe(news);
    const alert = await alertIn(group, "Topic headline");
    expect(alert.message_thread_id).toBe(news);
    expect(alert.text?.split("\n")[1]).toContain(DEFAULT_FOREIGN_AGENT_LABEL);
  });

  it("lets only the group's admins choose the topic, and answers a member's /here with nothing", async () => {
    const { group, news } = await forum();
    const other = h.fake.createTopic(group.id);
    await say(ADMIN, "/here", group, news);
    // Updates of one chat are handled in order: the admin's /help is answered next, as the
    // member's /here gets no answer at all.
    h.fake.sendText(MEMBER, "/here", group, other);
    expect((await say(ADMIN, "/help", group)).text).toContain("/topics: follow or drop topics");
    expect((await t.chats.get(group.id))?.threadId).toBe(news);
  });

  it("takes a /start sent inside a topic as the choice of that topic", async () => {
    const { group, news } = await forum();
    const welcome = await say(ADMIN, "/start", group, news);
    expect(welcome.text).toContain("Alerts for “Forum” will come to this topic");
    expect((await t.chats.get(group.id))?.threadId).toBe(news);
  });

  it("moves the alerts back to General with /here sent in General", async () => {
    const { group, news } = await forum();
    await say(ADMIN, "/here", group, news);
    const back = await say(ADMIN, "/here", group);
    expect(back.message_thread_id).toBeUndefined();
    expect(back.text).toContain("Alerts for “Forum” will come to General");
    expect((await t.chats.get(group.id))?.threadId).toBeUndefined();
    expect((await alertIn(group, "Back in General")).message_thread_id).toBeUndefined();
  });

  it("falls back to General when the topic is deleted, and tells the group there once", async () => {
    const { group, news } = await forum();
    await say(ADMIN, "/here", group, news);
    h.fake.deleteTopic(group.id, news);
    const first = await alertIn(group, "After the topic went");
    expect(first.message_thread_id).toBeUndefined();
    expect((await t.chats.get(group.id))?.threadId).toBeUndefined();
    const second = await alertIn(group, "And the next one");
    expect(second.message_thread_id).toBeUndefined();
    const notices = goneNotices(group);
    expect(notices).toHaveLength(1);
    expect(notices[0]?.message_thread_id).toBeUndefined();
    // The notice comes before the alert it explains.
    expect(notices[0]?.message_id).toBeLessThan(first.message_id);
  });

  it("falls back to General when the topic is closed", async () => {
    const { group, news } = await forum();
    await say(ADMIN, "/here", group, news);
    h.fake.closeTopic(group.id, news);
    expect((await alertIn(group, "Closed topic")).message_thread_id).toBeUndefined();
    expect(goneNotices(group)).toHaveLength(1);
  });

  it("explains /here in a chat without topics and changes nothing", async () => {
    const group = makeGroup(-1_008_200_900, { title: "Plain group" });
    h.fake.setChatMemberStatus(group.id, ADMIN.id, "administrator");
    const reply = await say(ADMIN, "/here", group);
    expect(reply.text).toContain("This chat has none: alerts come right here");
    expect(await t.chats.get(group.id)).toBeUndefined();
  });
});
