import { type Api, Context } from "grammy";
import type { Chat, Message, Update, User, UserFromGetMe } from "grammy/types";
import { describe, expect, it } from "vitest";
import type { BotContext } from "../../../src/bot/context.ts";
import { canManageChat } from "../../../src/bot/helpers/chat-access.ts";

const me = {
  id: 42,
  is_bot: true,
  first_name: "Newsbell",
  username: "newsbell_bot",
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
  has_topics_enabled: false,
  allows_users_to_create_topics: false,
} as UserFromGetMe;
const channel: Chat.ChannelChat = { id: -1_001_000_000_001, type: "channel", title: "Kavkaz Digest" };
const group: Chat.SupergroupChat = { id: -1_001_000_000_002, type: "supergroup", title: "Readers" };
const admin: User = { id: 7001, is_bot: false, first_name: "Admin" };
const member: User = { id: 7002, is_bot: false, first_name: "Member" };
/** Telegram's author of an anonymous group admin's messages. */
const anonymousAdmin: User = { id: 1087968824, is_bot: true, first_name: "Group" };

/** A message in a group: Telegram's types keep channel posts apart. */
type GroupMessage = Update["message"] & object;

/** A grammY context over the update, whose getChatMember knows only `admin` as an administrator. */
function contextOf(update: Update): { ctx: BotContext; asked: number[] } {
  const asked: number[] = [];
  const api = {
    getChatMember: async (_chatId: number, userId: number) => {
      asked.push(userId);
      return { status: userId === admin.id ? "administrator" : "member", user: { id: userId } };
    },
  } as unknown as Api;
  return { ctx: new Context(update, api, me) as unknown as BotContext, asked };
}

/** The bot's own post in a channel: Telegram gives it the channel as sender_chat. */
const botPostIn = (chat: Chat.ChannelChat): Message =>
  ({ message_id: 10, date: 0, chat, sender_chat: chat, text: "⚙️ Settings" }) as Message;

const tap = (from: User, message: Message): Update => ({
  update_id: 1,
  callback_query: { id: "q1", from, chat_instance: "c", message, data: "settings" },
});

describe("canManageChat on a button tap", () => {
  it("refuses a member's tap under the bot's post in a channel, though the post's sender_chat is the channel", async () => {
    const { ctx, asked } = contextOf(tap(member, botPostIn(channel)));
    expect(await canManageChat(ctx)).toBe(false);
    expect(asked).toEqual([member.id]);
  });

  it("lets an admin's tap under the bot's post in a channel through, after asking Telegram about the tapper", async () => {
    const { ctx, asked } = contextOf(tap(admin, botPostIn(channel)));
    expect(await canManageChat(ctx)).toBe(true);
    expect(asked).toEqual([admin.id]);
  });

  it("refuses a member's tap under an anonymous admin's message in a group", async () => {
    const message = {
      message_id: 11,
      date: 0,
      chat: group,
      from: anonymousAdmin,
      sender_chat: group,
      text: "/settings",
    } as Message;
    const { ctx } = contextOf(tap(member, message));
    expect(await canManageChat(ctx)).toBe(false);
  });
});

describe("canManageChat on a message", () => {
  it("takes a group's message sent as the group itself (an anonymous admin) as an admin's, without asking", async () => {
    const message = {
      message_id: 12,
      date: 0,
      chat: group,
      from: anonymousAdmin,
      sender_chat: group,
      text: "/settings",
    } as GroupMessage;
    const { ctx, asked } = contextOf({ update_id: 2, message });
    expect(await canManageChat(ctx)).toBe(true);
    expect(asked).toEqual([]);
  });

  it("asks Telegram about a group member who writes as themselves", async () => {
    const message = { message_id: 13, date: 0, chat: group, from: member, text: "/settings" } as GroupMessage;
    const { ctx, asked } = contextOf({ update_id: 3, message });
    expect(await canManageChat(ctx)).toBe(false);
    expect(asked).toEqual([member.id]);
  });
});
