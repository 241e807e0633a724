import { badRequest } from "./api-error.ts";
import { BOT_USER, type ChatState } from "./chat-state.ts";
import { canonical } from "./message-text.ts";
import { chatIdOf, type Payload } from "./request-payload.ts";
import type { Handler } from "./send-methods.ts";
import type { UpdateQueue } from "./update-queue.ts";

/** The bot's profile as Telegram keeps it: commands per scope and language, descriptions per language. */
class BotProfile {
  private readonly commands = new Map<string, unknown>();
  /** By field and language code ("" for the default). */
  private readonly texts = new Map<string, string>();

  private static commandsKey(p: Payload): string {
    return `${canonical(p.scope ?? { type: "default" })}|${String(p.language_code ?? "")}`;
  }

  setCommands(p: Payload): true {
    if (!Array.isArray(p.commands)) throw badRequest("can't parse BotCommand array");
    this.commands.set(BotProfile.commandsKey(p), p.commands);
    return true;
  }

  deleteCommands(p: Payload): true {
    this.commands.delete(BotProfile.commandsKey(p));
    return true;
  }

  getCommands(p: Payload): unknown {
    return this.commands.get(BotProfile.commandsKey(p)) ?? [];
  }

  // An empty text removes the one for that language (readers of it then see the default's).
  setText(field: string, limit: number, p: Payload): true {
    const text = String(p[field] ?? "");
    if (text.length > limit) throw badRequest(`${field} is too long`);
    const key = `${field}|${String(p.language_code ?? "")}`;
    if (text === "") this.texts.delete(key);
    else this.texts.set(key, text);
    return true;
  }

  text(field: string, p: Payload): string {
    return this.texts.get(`${field}|${String(p.language_code ?? "")}`) ?? "";
  }
}

const acknowledge = (p: Payload): true => {
  chatIdOf(p);
  return true;
};

/** Everything but messages: the bot itself, its webhook and profile, and what it asks of chats. */
export function botMethods(chats: ChatState, updates: UpdateQueue): Record<string, Handler> {
  const profile = new BotProfile();
  return {
    getUpdates: () => [],
    getMe: () => ({ ...BOT_USER }),
    getWebhookInfo: () => ({ url: "", has_custom_certificate: false, pending_update_count: updates.pending }),
    deleteWebhook: (p) => {
      if (p.drop_pending_updates === true) updates.dropPending();
      return true;
    },
    setWebhook: () => true,
    logOut: () => true,
    close: () => true,
    setMyCommands: (p) => profile.setCommands(p),
    deleteMyCommands: (p) => profile.deleteCommands(p),
    getMyCommands: (p) => profile.getCommands(p),
    setMyDescription: (p) => profile.setText("description", 512, p),
    setMyShortDescription: (p) => profile.setText("short_description", 120, p),
    getMyDescription: (p) => ({ description: profile.text("description", p) }),
    getMyShortDescription: (p) => ({ short_description: profile.text("short_description", p) }),
    setMyName: () => true,
    setChatMenuButton: () => true,
    answerCallbackQuery: (p) => {
      if (p.callback_query_id === undefined)
        throw badRequest("query is too old and response timeout expired or query ID is invalid");
      return true;
    },
    sendChatAction: (p) => {
      chatIdOf(p);
      if (!p.action) throw badRequest("action is empty");
      return true;
    },
    leaveChat: acknowledge,
    getChat: (p) => {
      const name =
        typeof p.chat_id === "string" && p.chat_id.startsWith("@") ? p.chat_id.slice(1) : undefined;
      const byName = name === undefined ? undefined : chats.findByUsername(name);
      if (name !== undefined && !byName) throw badRequest("chat not found");
      const id = byName?.id ?? chatIdOf(p);
      return { ...chats.chatObject(id), accent_color_id: 0, max_reaction_count: 11 };
    },
    getChatMember: (p) => {
      const chatId = chatIdOf(p);
      const userId = Number(p.user_id);
      if (!Number.isSafeInteger(userId) || userId <= 0) throw badRequest("invalid user_id specified");
      return chats.memberObject(chatId, userId);
    },
  };
}
