import type { Language } from "../../domain/catalog.ts";
import { type ChatSettings, chatKindOf, newChat } from "../../domain/chat.ts";
import type { BotContext } from "../context.ts";

/** Telegram sends this user as the author of messages from anonymous group admins. */
const GROUP_ANONYMOUS_BOT = 1087968824;

type LanguageHints = Pick<BotContext, "chatSettings" | "from" | "config">;

function guessLanguage(ctx: LanguageHints): Language {
  const code = ctx.from?.language_code?.slice(0, 2);
  return code === "ru" || code === "en" ? code : ctx.config.defaultLanguage;
}

/** The language to name things in: the chat's once it has settings, else the sender's. */
export function readerLanguage(ctx: LanguageHints): Language {
  return ctx.chatSettings?.lang ?? guessLanguage(ctx);
}

/**
 * The chat's settings, created on first contact and reactivated if it had blocked the bot. In a
 * group only an admin's action creates them, so that a member's language never becomes the
 * group's: for anyone else the settings a new group would get are returned, and not saved.
 */
export async function ensureChat(ctx: BotContext): Promise<ChatSettings> {
  const chat = ctx.chat;
  if (!chat) throw new Error("ensureChat needs an update from a chat");
  let settings = ctx.chatSettings;
  if (!settings) {
    settings = newChat(chat.id, chatKindOf(chat.type), guessLanguage(ctx), ctx.config.defaultTimeZone);
    if (!(await canManageChat(ctx))) return settings;
    await ctx.stores.chats.save(settings);
    // Whoever makes the chat again has come back: an import may bring it back from now on.
    await ctx.stores.stopList.remove(chat.id);
  } else if (!settings.active) {
    settings = { ...settings, active: true };
    await ctx.stores.chats.save(settings);
  }
  ctx.chatSettings = settings;
  return settings;
}

// One answer per update: a tap can ask twice (the check, then ensureChat), Telegram once.
const managerAnswers = new WeakMap<BotContext, Promise<boolean>>();

/** In groups only admins change subscriptions; in private chats the user always may. */
export function canManageChat(ctx: BotContext): Promise<boolean> {
  let answer = managerAnswers.get(ctx);
  if (!answer) {
    answer = askWhetherManager(ctx);
    managerAnswers.set(ctx, answer);
  }
  return answer;
}

async function askWhetherManager(ctx: BotContext): Promise<boolean> {
  const chat = ctx.chat;
  if (!chat || chat.type === "private") return true;
  if (ctx.from?.id === GROUP_ANONYMOUS_BOT || ctx.senderChat?.id === chat.id) return true;
  // Someone writing as a channel is not a member Telegram can tell us the rights of.
  if (ctx.senderChat) return false;
  if (!ctx.from) return false;
  const member = await ctx.api.getChatMember(chat.id, ctx.from.id);
  return member.status === "creator" || member.status === "administrator";
}

/**
 * Variables for texts that speak to the reader in a private chat and name the group in a group
 * (`$chat` is "private" or "group", `$title` the group's title).
 */
export function audience(ctx: BotContext): { chat: "private" | "group"; title: string } {
  const chat = ctx.chat;
  if (chat?.type === "group" || chat?.type === "supergroup") return { chat: "group", title: chat.title };
  return { chat: "private", title: "" };
}
