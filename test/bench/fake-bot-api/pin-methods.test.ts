import { Api } from "grammy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BOT_USER, makeGroup } from "../../../src/bench/fake-bot-api/chat-state.ts";
import { FakeBotApi } from "../../../src/bench/fake-bot-api/fake-bot-api.ts";
import { apiError } from "../../support/bot-api-answer.ts";

describe("the fake Bot API's pinned messages", () => {
  let fake: FakeBotApi;
  let api: Api;
  let nextGroup = 1;

  beforeAll(async () => {
    fake = await FakeBotApi.start();
    api = new Api("123:abc", { apiRoot: fake.apiRoot });
  });
  afterAll(async () => {
    await fake.stop();
  });

  /** A group where the bot is an administrator, and so may pin. */
  function adminGroup(): number {
    const group = makeGroup(-1_007_700_000 - nextGroup++, { type: "supergroup" });
    fake.addChat(group);
    fake.setChatMemberStatus(group.id, BOT_USER.id, "administrator");
    return group.id;
  }

  it("keeps the pins of a chat, several at once, newest last, and unpins the one named", async () => {
    const chatId = adminGroup();
    const a = await api.sendMessage(chatId, "a");
    const b = await api.sendMessage(chatId, "b");
    expect(await api.pinChatMessage(chatId, a.message_id, { disable_notification: true })).toBe(true);
    await api.pinChatMessage(chatId, b.message_id);
    expect(fake.pinnedIn(chatId)).toEqual([a.message_id, b.message_id]);
    await api.unpinChatMessage(chatId, a.message_id);
    expect(fake.pinnedIn(chatId)).toEqual([b.message_id]);
    // Unpinning a message that is not pinned changes nothing, and Telegram says true.
    expect(await api.unpinChatMessage(chatId, a.message_id)).toBe(true);
    expect(fake.calls.find((c) => c.method === "pinChatMessage")?.payload.disable_notification).toBe(true);
  });

  it("forgets the pin of a deleted message, and refuses to pin one that is gone", async () => {
    const chatId = adminGroup();
    const a = await api.sendMessage(chatId, "a");
    await api.pinChatMessage(chatId, a.message_id);
    await api.deleteMessage(chatId, a.message_id);
    expect(fake.pinnedIn(chatId)).toEqual([]);
    const error = await apiError(api.pinChatMessage(chatId, a.message_id));
    expect([error.error_code, error.description]).toEqual([400, "Bad Request: message to pin not found"]);
  });

  it("refuses a bot without the right as Telegram does, in a group where it is a member or had the right taken", async () => {
    const member = makeGroup(-1_007_799_001, { type: "supergroup" });
    fake.addChat(member);
    const m = await api.sendMessage(member.id, "m");
    const refused = await apiError(api.pinChatMessage(member.id, m.message_id));
    expect([refused.error_code, refused.description]).toEqual([
      400,
      "Bad Request: not enough rights to manage pinned messages in the chat",
    ]);
    const chatId = adminGroup();
    const a = await api.sendMessage(chatId, "a");
    expect((await api.getChatMember(chatId, BOT_USER.id)) as { can_pin_messages?: boolean }).toMatchObject({
      can_pin_messages: true,
    });
    fake.setBotCanPin(chatId, false);
    expect((await apiError(api.pinChatMessage(chatId, a.message_id))).error_code).toBe(400);
    expect((await api.getChatMember(chatId, BOT_USER.id)) as { can_pin_messages?: boolean }).toMatchObject({
      can_pin_messages: false,
    });
    expect(fake.pinnedIn(chatId)).toEqual([]);
    // A private chat needs no right.
    const p = await api.sendMessage(4242, "p");
    expect(await api.pinChatMessage(4242, p.message_id)).toBe(true);
  });
});
