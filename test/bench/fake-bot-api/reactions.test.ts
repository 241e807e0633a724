import { Api } from "grammy";
import type { Update } from "grammy/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BOT_USER, makeGroup, makeUser } from "../../../src/bench/fake-bot-api/chat-state.ts";
import { FakeBotApi } from "../../../src/bench/fake-bot-api/fake-bot-api.ts";

const TOKEN = "123:abc";
const REACTION_UPDATES = ["message_reaction", "message_reaction_count"] as const;

let fake: FakeBotApi;
let api: Api;

beforeAll(async () => {
  fake = await FakeBotApi.start();
  api = new Api(TOKEN, { apiRoot: fake.apiRoot });
});

afterAll(async () => {
  await fake.stop();
});

/** The updates waiting, as a bot that asked for reactions gets them; then confirmed. */
async function take(allowed: readonly string[] = REACTION_UPDATES): Promise<Update[]> {
  const updates = await api.getUpdates({ allowed_updates: allowed as never });
  const last = updates.at(-1);
  if (last) await api.getUpdates({ offset: last.update_id + 1, allowed_updates: allowed as never });
  return updates;
}

const sendTo = async (chatId: number) => {
  const sent = await api.sendMessage(chatId, "alert");
  return fake.messagesTo(chatId).find((m) => m.message_id === sent.message_id) ?? fail();
};
const fail = (): never => {
  throw new Error("sent message not kept");
};

describe("readers' reactions in the fake Bot API", () => {
  it("reports a private chat reader's changes with the old and the new reactions", async () => {
    const reader = makeUser(401);
    const alert = await sendTo(reader.id);
    fake.react(reader, alert, ["👍"]);
    fake.react(reader, alert, ["🔥", { type: "custom_emoji", custom_emoji_id: "42" }]);
    fake.react(reader, alert, []);
    const updates = await take();
    expect(updates.map((u) => u.message_reaction)).toMatchObject([
      { chat: { id: reader.id }, message_id: alert.message_id, user: { id: reader.id }, old_reaction: [] },
      { old_reaction: [{ type: "emoji", emoji: "👍" }] },
      { new_reaction: [] },
    ]);
    expect(updates[1]?.message_reaction?.new_reaction).toEqual([
      { type: "emoji", emoji: "🔥" },
      { type: "custom_emoji", custom_emoji_id: "42" },
    ]);
  });

  it("reports group members' changes only where the bot is an admin", async () => {
    const open = makeGroup(-4_001);
    const adminOf = makeGroup(-4_002);
    fake.addChat(open);
    fake.addChat(adminOf);
    fake.setChatMemberStatus(adminOf.id, BOT_USER.id, "administrator");
    const [inOpen, inAdmin] = [await sendTo(open.id), await sendTo(adminOf.id)];
    expect(fake.react(makeUser(402), inOpen, ["👍"])).toBeUndefined();
    fake.react(makeUser(403), inAdmin, ["😢"]);
    const updates = await take();
    expect(updates).toHaveLength(1);
    expect(updates[0]?.message_reaction).toMatchObject({ chat: { id: adminOf.id }, user: { id: 403 } });
  });

  it("reports a channel message's counts, with no user, as its readers change them", async () => {
    const channel = { id: -1_004_003, type: "channel" as const, title: "Daily" };
    fake.addChat(channel);
    const post = await sendTo(channel.id);
    fake.react(makeUser(404), post, ["👍"]);
    fake.react(makeUser(405), post, ["👍", "🔥"]);
    fake.react(makeUser(404), post, ["🔥"]);
    const updates = await take();
    expect(updates.map((u) => u.message_reaction_count?.reactions)).toEqual([
      [{ type: { type: "emoji", emoji: "👍" }, total_count: 1 }],
      [
        { type: { type: "emoji", emoji: "👍" }, total_count: 2 },
        { type: { type: "emoji", emoji: "🔥" }, total_count: 1 },
      ],
      [
        { type: { type: "emoji", emoji: "🔥" }, total_count: 2 },
        { type: { type: "emoji", emoji: "👍" }, total_count: 1 },
      ],
    ]);
    expect(JSON.stringify(updates)).not.toContain('"user"');
  });

  it("withholds reactions from a bot that did not ask for them, as Telegram does", async () => {
    const reader = makeUser(406);
    fake.react(reader, await sendTo(reader.id), ["👍"]);
    expect(await take(["message"])).toEqual([]);
    expect(await take()).toHaveLength(1);
  });
});
