import { badRequest } from "./api-error.ts";
import type { ChatState } from "./chat-state.ts";
import type { MessageStore } from "./message-store.ts";
import { chatIdOf, type Payload } from "./request-payload.ts";
import type { Handler } from "./send-methods.ts";

const NO_RIGHT = "not enough rights to manage pinned messages in the chat";

/**
 * The pinned messages of each chat, newest last, as Telegram keeps them: several may be pinned,
 * a deleted message is pinned no more, and pinning needs the bot's right in a group or channel.
 */
export class PinBoard {
  private readonly pinned = new Map<number, number[]>();

  constructor(
    private readonly store: MessageStore,
    private readonly chats: ChatState,
  ) {}

  /** The ids of the messages pinned in the chat now, oldest pin first. */
  pinnedIn(chatId: number): number[] {
    return (this.pinned.get(chatId) ?? []).filter((id) => {
      const m = this.store.find(chatId, id);
      return m === undefined || !m.deleted;
    });
  }

  methods(): Record<string, Handler> {
    return {
      pinChatMessage: (p) => this.pin(p),
      unpinChatMessage: (p) => this.unpin(p),
      unpinAllChatMessages: (p) => {
        const chatId = this.rightful(p);
        this.pinned.delete(chatId);
        return true;
      },
    };
  }

  /** The chat of a pin call, once the bot's right there is checked. */
  private rightful(p: Payload): number {
    const chatId = chatIdOf(p);
    if (!this.chats.botCanPin(chatId)) throw badRequest(NO_RIGHT);
    return chatId;
  }

  private pin(p: Payload): true {
    const chatId = this.rightful(p);
    const id = Number(p.message_id);
    const m = this.store.find(chatId, id);
    if (!m || m.deleted) throw badRequest("message to pin not found");
    this.pinned.set(chatId, [...this.pinnedIn(chatId).filter((x) => x !== id), id]);
    return true;
  }

  /** With message_id that message (pinned or not, as Telegram answers true), without it the newest pin. */
  private unpin(p: Payload): true {
    const chatId = this.rightful(p);
    const now = this.pinnedIn(chatId);
    if (p.message_id === undefined) {
      if (now.length === 0) throw badRequest("CHAT_NOT_MODIFIED");
      this.pinned.set(chatId, now.slice(0, -1));
      return true;
    }
    const id = Number(p.message_id);
    const m = this.store.find(chatId, id);
    if (!m || m.deleted) throw badRequest("message to unpin not found");
    this.pinned.set(
      chatId,
      now.filter((x) => x !== id),
    );
    return true;
  }
}
