import type { Update } from "grammy/types";
import { BOT_USER, type ChatState, type FakeChat, type FakeUser, type MemberStatus } from "./chat-state.ts";
import { type MessageStore, type SentMessage, unixNow } from "./message-store.ts";
import type { UpdateQueue } from "./update-queue.ts";

/** What users do in Telegram, turned into the updates the bot receives. */
export class UserActions {
  constructor(
    private readonly chats: ChatState,
    private readonly store: MessageStore,
    private readonly updates: UpdateQueue,
  ) {}

  message(
    from: FakeUser,
    text: string,
    chat: FakeChat | undefined,
    threadId?: number,
    extra: object = {},
  ): Update {
    this.chats.addUser(from);
    const target = chat ?? { id: from.id, type: "private" as const };
    this.chats.userWrote(target);
    const messageId = this.store.allocateId(target.id);
    this.store.rememberUserMessage(target.id, messageId, text);
    const command = /^\/\S+/.exec(text)?.[0];
    return this.updates.push({
      message: {
        message_id: messageId,
        from: this.chats.userObject(from.id),
        chat: this.chats.chatObject(target.id),
        date: unixNow(),
        text,
        ...(command ? { entities: [{ type: "bot_command", offset: 0, length: command.length }] } : {}),
        ...(threadId !== undefined ? { message_thread_id: threadId, is_topic_message: true } : {}),
        ...extra,
      },
    });
  }

  replyTo(from: FakeUser, to: SentMessage, text: string): Update {
    const current = this.store.find(to.chat_id, to.message_id);
    if (!current || current.deleted)
      throw new Error(`replyTo: message ${to.message_id} in chat ${to.chat_id} is gone`);
    return this.message(from, text, this.chats.chat(to.chat_id), current.message_thread_id, {
      reply_to_message: this.store.messageObject(current),
    });
  }

  tapButton(from: FakeUser, message: SentMessage, data: string): Update {
    this.chats.addUser(from);
    const current = this.store.find(message.chat_id, message.message_id);
    if (!current || current.deleted) {
      throw new Error(`tapButton: message ${message.message_id} in chat ${message.chat_id} is gone`);
    }
    const buttons: { callback_data?: string }[] = (current.reply_markup?.inline_keyboard ?? []).flat();
    if (!buttons.some((b) => b.callback_data === data)) {
      const available = buttons.map((b) => b.callback_data).filter(Boolean);
      throw new Error(
        `tapButton: no button with data ${JSON.stringify(data)}; the message has ${JSON.stringify(available)}`,
      );
    }
    return this.updates.push({
      callback_query: {
        id: `cbq-${this.updates.nextId}`,
        from: this.chats.userObject(from.id),
        message: this.store.messageObject(current),
        chat_instance: `ci-${current.chat_id}`,
        data,
      },
    });
  }

  forwardChannelPost(from: FakeUser, channel: FakeChat): Update {
    this.chats.addUser(from);
    this.chats.addChat(channel);
    const messageId = this.store.allocateId(from.id);
    this.store.rememberUserMessage(from.id, messageId, "A post of the channel");
    const origin = {
      type: "channel",
      chat: this.chats.chatObject(channel.id),
      message_id: this.store.allocateId(channel.id),
      date: unixNow(),
    };
    return this.updates.push({
      message: {
        message_id: messageId,
        from: this.chats.userObject(from.id),
        chat: this.chats.chatObject(from.id),
        date: unixNow(),
        text: "A post of the channel",
        forward_origin: origin,
      },
    });
  }

  setBotStatus(chatId: number, status: MemberStatus | "kicked", by: FakeUser): Update {
    this.chats.addUser(by);
    const old = this.chats.setBotStatus(chatId, status);
    const bot = this.chats.userObject(BOT_USER.id);
    return this.updates.push({
      my_chat_member: {
        chat: this.chats.chatObject(chatId),
        from: this.chats.userObject(by.id),
        date: unixNow(),
        old_chat_member: { status: old, user: bot },
        new_chat_member: status === "kicked" ? { status, user: bot, until_date: 0 } : { status, user: bot },
      },
    });
  }
}
