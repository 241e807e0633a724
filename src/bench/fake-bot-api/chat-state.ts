import { ApiError, badRequest } from "./api-error.ts";

export interface FakeUser {
  id: number;
  first_name: string;
  language_code?: string;
  username?: string;
}
export interface FakeChat {
  id: number;
  type: "private" | "group" | "supergroup" | "channel";
  title?: string;
  /** A public chat's @username, without the @. */
  username?: string;
  /** A supergroup with topics. */
  is_forum?: boolean;
}
export type MemberStatus = "creator" | "administrator" | "member" | "left";

export const BOT_USER = {
  id: 999000,
  is_bot: true,
  first_name: "newsbell",
  username: "newsbell_test_bot",
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
} as const;

export function makeUser(id: number, overrides: Partial<FakeUser> = {}): FakeUser {
  return { id, first_name: `User${id}`, ...overrides };
}

export function makeGroup(id: number, overrides: Partial<FakeChat> = {}): FakeChat {
  // Supergroup ids are the -100… range; anything else negative is a basic group.
  return { id, type: id <= -1_000_000_000_000 ? "supergroup" : "group", title: `Group ${id}`, ...overrides };
}

const ADMIN_RIGHTS = {
  can_be_edited: false,
  is_anonymous: false,
  can_manage_chat: true,
  can_delete_messages: true,
  can_manage_video_chats: false,
  can_restrict_members: true,
  can_promote_members: false,
  can_change_info: true,
  can_invite_users: true,
  can_post_stories: false,
  can_edit_stories: false,
  can_delete_stories: false,
};

/** The users and chats Telegram knows, and what stands between the bot and each chat. */
export class ChatState {
  private readonly chats = new Map<number, FakeChat>();
  private readonly users = new Map<number, FakeUser>();
  private readonly blocked = new Set<number>();
  private readonly forgotten = new Set<number>();
  private readonly migrated = new Map<number, number>();
  private readonly members = new Map<string, MemberStatus>();
  /** The bot's right to pin, where a test set it; elsewhere an admin bot may pin (pin-methods.ts). */
  private readonly pinRights = new Map<number, boolean>();
  /** Each forum's topics by thread id; a deleted topic is gone from here. */
  private readonly topics = new Map<number, Map<number, "open" | "closed">>();

  addUser(user: FakeUser): void {
    this.users.set(user.id, user);
  }

  addChat(chat: FakeChat): void {
    this.chats.set(chat.id, chat);
  }

  chat(chatId: number): FakeChat | undefined {
    return this.chats.get(chatId);
  }

  findByUsername(username: string): FakeChat | undefined {
    return [...this.chats.values()].find((c) => c.username === username);
  }

  /** A user writing to the bot in private has (re)started it, which is how Telegram unblocks a bot. */
  userWrote(chat: FakeChat): void {
    this.chats.set(chat.id, chat);
    if (chat.type !== "private") return;
    this.blocked.delete(chat.id);
    this.forgotten.delete(chat.id);
  }

  block(chatId: number): void {
    this.blocked.add(chatId);
  }

  forget(chatId: number): void {
    this.forgotten.add(chatId);
  }

  migrate(oldId: number, newId: number): void {
    this.migrated.set(oldId, newId);
    this.chats.set(newId, {
      id: newId,
      type: "supergroup",
      title: this.chats.get(oldId)?.title ?? `Group ${newId}`,
    });
  }

  setMemberStatus(chatId: number, userId: number, status: MemberStatus): void {
    this.members.set(`${chatId}:${userId}`, status);
  }

  /** The bot's own membership changes; answers what it was. A bot that left or was kicked gets 403s. */
  setBotStatus(chatId: number, status: MemberStatus | "kicked"): MemberStatus {
    const key = `${chatId}:${BOT_USER.id}`;
    const old = this.members.get(key) ?? "member";
    if (status === "kicked" || status === "left") this.blocked.add(chatId);
    else this.blocked.delete(chatId);
    // A bot that left keeps its last status on record; a kicked one is recorded as gone.
    if (status !== "left") this.members.set(key, status === "kicked" ? "left" : status);
    return old;
  }

  /** Gives or takes the bot's right to pin (a group's "Pin messages", a channel's "Edit messages"). */
  setBotCanPin(chatId: number, can: boolean): void {
    this.pinRights.set(chatId, can);
  }

  /** Anyone may pin in a private chat; in a group or channel an admin bot may, unless a test took the right. */
  botCanPin(chatId: number): boolean {
    if (this.chatType(chatId) === "private") return true;
    const status = this.members.get(`${chatId}:${BOT_USER.id}`);
    return this.pinRights.get(chatId) ?? (status === "administrator" || status === "creator");
  }

  openTopic(chatId: number, threadId: number): void {
    const topics = this.topics.get(chatId) ?? new Map<number, "open" | "closed">();
    topics.set(threadId, "open");
    this.topics.set(chatId, topics);
  }

  closeTopic(chatId: number, threadId: number): void {
    this.topics.get(chatId)?.set(threadId, "closed");
  }

  deleteTopic(chatId: number, threadId: number): void {
    this.topics.get(chatId)?.delete(threadId);
  }

  /** Throws what Telegram answers a call in a forgotten, migrated or blocked chat, or a gone topic. */
  check(method: string, chatId: number, threadId: unknown, isSend: boolean): void {
    if (this.forgotten.has(chatId)) throw badRequest("chat not found");
    const newId = this.migrated.get(chatId);
    if (newId !== undefined) {
      throw new ApiError(400, "Bad Request: group chat was upgraded to a supergroup chat", {
        migrate_to_chat_id: newId,
      });
    }
    if (isSend && threadId !== undefined && this.chats.get(chatId)?.is_forum) {
      const topic = this.topics.get(chatId)?.get(Number(threadId));
      if (topic === undefined) throw badRequest("message thread not found");
      if (topic === "closed") throw badRequest("TOPIC_CLOSED");
    }
    // Telegram still describes a chat the bot was removed from; it only refuses to act in it.
    if (this.blocked.has(chatId) && method !== "getChat" && method !== "getChatMember") {
      const type = this.chatType(chatId);
      const why =
        type === "private"
          ? "bot was blocked by the user"
          : type === "channel"
            ? "bot is not a member of the channel chat"
            : `bot was kicked from the ${type} chat`;
      throw new ApiError(403, `Forbidden: ${why}`);
    }
  }

  chatType(chatId: number): FakeChat["type"] {
    return this.chats.get(chatId)?.type ?? (chatId > 0 ? "private" : makeGroup(chatId).type);
  }

  userObject(userId: number): Record<string, unknown> {
    if (userId === BOT_USER.id)
      return { id: BOT_USER.id, is_bot: true, first_name: BOT_USER.first_name, username: BOT_USER.username };
    const u = this.users.get(userId) ?? makeUser(userId);
    return { is_bot: false, ...u };
  }

  chatObject(chatId: number): Record<string, unknown> {
    const type = this.chatType(chatId);
    if (type === "private") {
      const { first_name, username } = this.users.get(chatId) ?? makeUser(chatId);
      return { id: chatId, type, first_name, ...(username ? { username } : {}) };
    }
    const chat = this.chats.get(chatId);
    return {
      id: chatId,
      type,
      title: chat?.title ?? `Group ${chatId}`,
      ...(chat?.username ? { username: chat.username } : {}),
      ...(chat?.is_forum ? { is_forum: true } : {}),
    };
  }

  /** getChatMember's answer: `member` unless a test said otherwise. */
  memberObject(chatId: number, userId: number): Record<string, unknown> {
    const status = this.members.get(`${chatId}:${userId}`) ?? "member";
    const user = this.userObject(userId);
    if (status === "creator") return { status, user, is_anonymous: false };
    if (status !== "administrator") return { status, user };
    const channel = this.chatType(chatId) === "channel";
    const pins = userId === BOT_USER.id ? this.botCanPin(chatId) : true;
    return {
      status,
      user,
      ...ADMIN_RIGHTS,
      ...(channel ? { can_post_messages: true, can_edit_messages: pins } : { can_pin_messages: pins }),
    };
  }
}
