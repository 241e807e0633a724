import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BOT_USER, type FakeChat, makeGroup, makeUser } from "../../src/bench/fake-bot-api/chat-state.ts";
import type { SentMessage } from "../../src/bench/fake-bot-api/message-store.ts";
import { statusJobId } from "../../src/delivery/queues.ts";
import { scanKeys } from "../../src/store/redis.ts";
import { type Harness, startHarness } from "../support/bot-harness.ts";
import { articleInput, deliveryTools } from "../support/delivery-harness.ts";
import { eventually } from "../support/eventually.ts";
import { dataOf, driver } from "../support/newsroom-driver.ts";

const ADMIN = 8_870_001;
const REGION = "chechnya";

let h: Harness;
let t: ReturnType<typeof deliveryTools>;

beforeAll(async () => {
  h = await startHarness("reactions", { role: "all", env: { SEND_RATE: "1000", ADMIN_IDS: String(ADMIN) } });
  t = deliveryTools(h);
});

afterAll(async () => {
  await t.queues.close();
  await h.stop();
});

const readers = [makeUser(8_870_101), makeUser(8_870_102)];
/** Members of the group and of the channel: people who are no chat of the bot's. */
const members = [8_870_201, 8_870_202, 8_870_203, 8_870_204, 8_870_205].map((id) => makeUser(id));
const group = makeGroup(-1_008_870_300);
const channel: FakeChat = { id: -1_008_870_400, type: "channel", title: "Reactions Daily" };

/** Every key of the app (not BullMQ's) with what it holds, as text. */
async function dumpKeys(): Promise<Map<string, string>> {
  const keys: string[] = [];
  for await (const batch of scanKeys(h.redis, `${h.config.redisPrefix}:*`)) keys.push(...batch);
  const dump = new Map<string, string>();
  for (const key of keys.filter((k) => !k.includes(":bull:"))) {
    const type = await h.redis.type(key);
    const value =
      type === "string"
        ? ((await h.redis.getBuffer(key))?.toString("latin1") ?? "")
        : type === "hash"
          ? JSON.stringify(await h.redis.hgetall(key))
          : type === "set"
            ? (await h.redis.smembers(key)).join(",")
            : type === "zset"
              ? (await h.redis.zrange(key, "0", "-1")).join(",")
              : type === "list"
                ? (await h.redis.lrange(key, 0, -1)).join(",")
                : type === "stream"
                  ? JSON.stringify(await h.redis.xrange(key, "-", "+"))
                  : "";
    dump.set(key, `${key} ${value}`);
  }
  return dump;
}

const keysNaming = (dump: Map<string, string>, id: number) =>
  [...dump].filter(([, text]) => text.includes(String(id))).map(([key]) => key);

const alertIn = (chatId: number): SentMessage => {
  const alert = h.fake.lastMessageTo(chatId);
  if (!alert) throw new Error(`no alert in ${chatId}`);
  return alert;
};

describe("readers' reactions, summed per article", () => {
  it("sums private chats, a group and a channel on the status message, /recent and /stats, keeping no reader", async () => {
    h.fake.addChat(group);
    h.fake.setChatMemberStatus(group.id, BOT_USER.id, "administrator");
    h.fake.addChat(channel);
    for (const reader of readers) await t.subscriber(reader.id, [REGION]);
    await t.subscriber(group.id, [REGION]);
    await t.subscriber(channel.id, [REGION], { kind: "channel" });
    const { seq } = await t.publishAndWait(articleInput({ regions: [REGION], headline: "Reacted to" }));
    // A second article: its alerts are the newer ones each lookup passes first.
    await t.publishAndWait(articleInput({ regions: [REGION], headline: "Newer one" }));
    const alerts = await Promise.all(
      [readers[0], readers[1]].map(async (r) => {
        const all = h.fake.messagesTo(r?.id ?? 0);
        return all.find((m) => m.text?.includes("Reacted to")) ?? alertIn(r?.id ?? 0);
      }),
    );
    const groupAlert = h.fake.messagesTo(group.id).find((m) => m.text?.includes("Reacted to"));
    const channelAlert = h.fake.messagesTo(channel.id).find((m) => m.text?.includes("Reacted to"));
    if (!groupAlert || !channelAlert || !alerts[0] || !alerts[1]) throw new Error("alerts missing");

    const admin = driver(h, makeUser(ADMIN, { language_code: "en" }));
    const list = await admin.say("/recent");
    await admin.tapData(list, dataOf(list, "2"));
    const card = await admin.expectMessage("“Reacted to” — id");
    // The card's own job has made its edit and ended: what follows must be reactions' refreshes.
    await eventually(
      async () => (await t.queues.status.getJob(statusJobId(seq, ADMIN, card.message_id))) === undefined,
      15_000,
      "the card's job ended",
    );
    const before = await dumpKeys();

    const [r1, r2] = readers as [(typeof readers)[0], (typeof readers)[0]];
    const [m1, m2, m3, m4, m5] = members as [typeof r1, typeof r1, typeof r1, typeof r1, typeof r1];
    h.fake.react(r1, alerts[0], ["👍"]);
    h.fake.react(r2, alerts[1], ["👍"]);
    h.fake.react(r2, alerts[1], ["😢"]); // changed
    h.fake.react(m1, groupAlert, ["🔥"]);
    h.fake.react(m2, groupAlert, ["👍", "🔥"]);
    h.fake.react(m2, groupAlert, []); // taken back
    h.fake.react(m3, channelAlert, ["👍"]);
    h.fake.react(m4, channelAlert, ["👍", "🔥"]);
    h.fake.react(m5, channelAlert, ["😢"]);
    h.fake.react(m4, channelAlert, ["🔥"]); // a channel's counts change too

    // 👍 r1 + m3 = 2; 🔥 m1 + m4 = 2; 😢 r2 + m5 = 2.
    const line = "👍 2 · 🔥 2 · 😢 2";
    await admin.expectEdited(card, `Reactions: ${line}`, 20_000);
    expect(await t.reactions.totals(seq)).toEqual({ "👍": 2, "🔥": 2, "😢": 2 });

    const recent = await admin.say("/recent");
    expect(recent.text).toMatch(new RegExp(`Reacted to.*· ${line}`));
    expect(recent.text).not.toMatch(/Newer one.*👍/);
    const stats = await admin.sayAndExpect("/stats", "Most reactions, 7 days:");
    expect(stats.text).toContain(`1. Reacted to: ${line}`);

    // Nothing names a member who reacted; a reader's id is where it was before they reacted.
    const after = await dumpKeys();
    for (const member of members) expect(keysNaming(after, member.id), `user ${member.id}`).toEqual([]);
    for (const reader of readers)
      expect(keysNaming(after, reader.id).sort(), `reader ${reader.id}`).toEqual(
        keysNaming(before, reader.id).sort(),
      );
    for (const key of keysNaming(after, r1.id))
      expect(after.get(key), `${key} changed`).toBe(before.get(key));
  }, 60_000);
});
