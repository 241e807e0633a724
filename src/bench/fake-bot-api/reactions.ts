import type { ReactionType, Update } from "grammy/types";
import { BOT_USER, type ChatState, type FakeUser } from "./chat-state.ts";
import { type MessageStore, type SentMessage, unixNow } from "./message-store.ts";
import type { UpdateQueue } from "./update-queue.ts";

/** A reaction by its emoji, or as Telegram describes it (custom emoji, paid). */
export type FakeReaction = string | ReactionType;

const asReaction = (r: FakeReaction): ReactionType =>
  typeof r === "string" ? ({ type: "emoji", emoji: r } as ReactionType) : r;

const reactionKey = (r: ReactionType): string =>
  r.type === "emoji" ? r.emoji : r.type === "custom_emoji" ? `custom:${r.custom_emoji_id}` : "paid";

/**
 * Users' reactions to the bot's messages, as Telegram reports them: in a private chat, and in a
 * group where the bot is an admin, each change of one user (message_reaction, with the old and
 * the new list); in a channel, where reactions are anonymous, the message's counts
 * (message_reaction_count). In a group where the bot is no admin, Telegram tells the bot nothing.
 */
export class FakeReactions {
  /** "chat:message" → user id → that user's reactions now. */
  private readonly current = new Map<string, Map<number, ReactionType[]>>();

  constructor(
    private readonly chats: ChatState,
    private readonly store: MessageStore,
    private readonly updates: UpdateQueue,
  ) {}

  /** `from` sets their reactions to `message` (an empty list takes them back); the update, if any. */
  react(from: FakeUser, message: SentMessage, reactions: readonly FakeReaction[]): Update | undefined {
    const target = this.store.find(message.chat_id, message.message_id);
    if (!target || target.deleted)
      throw new Error(`react: message ${message.message_id} in chat ${message.chat_id} is gone`);
    this.chats.addUser(from);
    const key = `${target.chat_id}:${target.message_id}`;
    const byUser = this.current.get(key) ?? new Map<number, ReactionType[]>();
    this.current.set(key, byUser);
    const before = byUser.get(from.id) ?? [];
    const after = reactions.map(asReaction);
    byUser.set(from.id, after);
    const type = this.chats.chatType(target.chat_id);
    const base = {
      chat: this.chats.chatObject(target.chat_id),
      message_id: target.message_id,
      date: unixNow(),
    };
    if (type === "channel")
      return this.updates.push({ message_reaction_count: { ...base, reactions: this.counts(byUser) } });
    if (type !== "private" && !this.botIsAdmin(target.chat_id)) return undefined;
    return this.updates.push({
      message_reaction: {
        ...base,
        user: this.chats.userObject(from.id),
        old_reaction: before,
        new_reaction: after,
      },
    });
  }

  private botIsAdmin(chatId: number): boolean {
    const status = this.chats.memberObject(chatId, BOT_USER.id).status;
    return status === "administrator" || status === "creator";
  }

  /** Every user's reactions to one message, counted by reaction, most first as Telegram lists them. */
  private counts(byUser: Map<number, ReactionType[]>): { type: ReactionType; total_count: number }[] {
    const counts = new Map<string, { type: ReactionType; total_count: number }>();
    for (const reactions of byUser.values())
      for (const reaction of reactions) {
        const k = reactionKey(reaction);
        const count = counts.get(k) ?? { type: reaction, total_count: 0 };
        count.total_count++;
        counts.set(k, count);
      }
    return [...counts.values()].sort((a, b) => b.total_count - a.total_count);
  }
}
