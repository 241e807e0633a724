import { Api } from "grammy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeGroup, makeUser } from "../../../src/bench/fake-bot-api/chat-state.ts";
import { FakeBotApi } from "../../../src/bench/fake-bot-api/fake-bot-api.ts";
import { apiError } from "../../support/bot-api-answer.ts";

describe("the fake Bot API's chats and members", () => {
  let fake: FakeBotApi;
  let api: Api;

  beforeAll(async () => {
    fake = await FakeBotApi.start();
    api = new Api("123:abc", { apiRoot: fake.apiRoot });
  });
  afterAll(async () => {
    await fake.stop();
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

  it("unblocks a private chat whose user writes to the bot again", async () => {
    fake.blockChat(57);
    fake.sendText(makeUser(57), "/start");
    await expect(api.sendMessage(57, "welcome back")).resolves.toMatchObject({ text: "welcome back" });
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

  it("answers getChatMember from setChatMemberStatus, defaulting to member", async () => {
    const group = makeGroup(-60);
    expect((await api.getChatMember(group.id, 7)).status).toBe("member");
    fake.setChatMemberStatus(group.id, 7, "administrator");
    const admin = await api.getChatMember(group.id, 7);
    expect(admin).toMatchObject({ status: "administrator", user: { id: 7, is_bot: false } });
  });

  it("refuses sends to a closed or deleted forum topic and takes them in an open one", async () => {
    fake.addChat(makeGroup(-1000000000061, { is_forum: true }));
    const open = fake.createTopic(-1000000000061);
    const closed = fake.createTopic(-1000000000061);
    fake.closeTopic(-1000000000061, closed);
    const sent = await api.sendMessage(-1000000000061, "in topic", { message_thread_id: open });
    expect(sent).toMatchObject({ message_thread_id: open, is_topic_message: true });
    const err = await apiError(api.sendMessage(-1000000000061, "x", { message_thread_id: closed }));
    expect(err.description).toBe("Bad Request: TOPIC_CLOSED");
    fake.deleteTopic(-1000000000061, open);
    const gone = await apiError(api.sendMessage(-1000000000061, "x", { message_thread_id: open }));
    expect(gone.description).toBe("Bad Request: message thread not found");
  });
});
