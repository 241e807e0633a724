import type { Language } from "../../domain/catalog.ts";
import { type ChatSettings, chatKindOf, newChat } from "../../domain/chat.ts";
import type { BotContext } from "../context.ts";

/** Telegram sends this user as the author of messages from anonymous group admins. */
const GROUP_ANONYMOUS_BOT = 1087968824;

function guessLanguage(ctx: BotContext): Language {
  const code = ctx.from?.language_code?.slice(0, 2);
  return code === "ru" || code === "en" ? code : ctx.config.defaultLanguage;
}

/** The chat's settings, created on first contact and reactivated if it had blocked the bot. */
export async function ensureChat(ctx: BotContext): Promise<ChatSettings> {
  const chat = ctx.chat;
  if (!chat) throw new Error("ensureChat needs an update from a chat");
  let settings = ctx.chatSettings;
  if (!settings) {
    settings = newChat(chat.id, chatKindOf(chat.type), guessLanguage(ctx), ctx.config.defaultTimeZone);
    await ctx.stores.chats.save(settings);
  } else if (!settings.active) {
    settings = { ...settings, active: true };
    await ctx.stores.chats.save(settings);
  }
  ctx.chatSettings = settings;
  return settings;
}

/** In groups only admins change subscriptions; in private chats the user always may. */
export async function canManageChat(ctx: BotContext): Promise<boolean> {
  const chat = ctx.chat;
  if (!chat || chat.type === "private") return true;
  if (ctx.from?.id === GROUP_ANONYMOUS_BOT || ctx.senderChat?.id === chat.id) return true;
  // Someone writing as a channel is not a member Telegram can tell us the rights of.
  if (ctx.senderChat) return false;
  if (!ctx.from) return false;
  const member = await ctx.api.getChatMember(chat.id, ctx.from.id);
  return member.status === "creator" || member.status === "administrator";
}
