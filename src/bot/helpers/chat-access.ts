import { GrammyError } from "grammy";
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

/** The chat that menus, toggles and /my act on: the chat itself, or the channel it edits. */
export interface ManagedChat {
  id: number;
  settings: ChatSettings | undefined;
  /** Set while a private chat edits a connected channel. */
  channel?: { title: string };
  /** A channel this private chat edited until now, when its person turned out no longer its admin. */
  dropped?: string;
}

/**
 * One answer per update for a question several handlers of the update ask (a tap may ask twice:
 * the check, then ensureChat), Telegram once; `forget` drops it when the update changes the answer.
 */
function oncePerUpdate<T>(ask: (ctx: BotContext) => Promise<T>) {
  const answers = new WeakMap<BotContext, Promise<T>>();
  const get = (ctx: BotContext): Promise<T> => {
    let answer = answers.get(ctx);
    if (!answer) {
      answer = ask(ctx);
      answers.set(ctx, answer);
    }
    return answer;
  };
  return Object.assign(get, { forget: (ctx: BotContext) => answers.delete(ctx) });
}

/**
 * The chat being edited. A private chat may edit a channel its person connected (/channel); while
 * Telegram says they are still an admin of it, that channel is returned, else the private chat
 * (and the switch is undone, with `dropped` saying which channel it was).
 */
export const managedChat = oncePerUpdate(resolveManagedChat);

async function resolveManagedChat(ctx: BotContext): Promise<ManagedChat> {
  const chat = ctx.chat;
  if (!chat) throw new Error("managedChat needs an update from a chat");
  const own: ManagedChat = { id: chat.id, settings: ctx.chatSettings };
  const channelId = chat.type === "private" ? ctx.session.managing : undefined;
  const user = ctx.from?.id;
  if (channelId === undefined || user === undefined) return own;
  const [settings, titles] = await Promise.all([
    ctx.stores.chats.get(channelId),
    ctx.stores.chats.userChannels(user),
  ]);
  const title = titles.get(channelId);
  if (settings?.kind === "channel" && title !== undefined && (await mayEditChannel(ctx, settings, user)))
    return { id: channelId, settings, channel: { title } };
  ctx.session.managing = undefined;
  return { ...own, dropped: title ?? String(channelId) };
}

/** Makes the private chat edit `channelId` from now on, or itself with undefined. */
export function switchManagedChat(ctx: BotContext, channelId: number | undefined): void {
  ctx.session.managing = channelId;
  managedChat.forget(ctx);
}

/** How long Telegram's word that someone administers a channel is trusted while they tap through menus. */
const ADMIN_TRUST_MS = 30_000;
const ADMIN_CACHE_MAX = 10_000;
const adminAnswers = new Map<string, { at: number; admin: boolean | "unknown" }>();

/**
 * Whether Telegram says `userId` administers `chatId` (its creator counts); "unknown" when
 * Telegram will not say, as when the bot is no longer in the channel. `fresh` skips the cache:
 * connecting and switching always ask.
 */
export async function isChatAdmin(
  ctx: BotContext,
  chatId: number,
  userId: number,
  fresh = false,
): Promise<boolean | "unknown"> {
  const key = `${chatId}:${userId}`;
  const cached = adminAnswers.get(key);
  if (!fresh && cached && performance.now() - cached.at < ADMIN_TRUST_MS) return cached.admin;
  let admin: boolean | "unknown";
  try {
    const member = await ctx.api.getChatMember(chatId, userId);
    admin = member.status === "creator" || member.status === "administrator";
  } catch (error) {
    if (!(error instanceof GrammyError)) throw error;
    admin = "unknown";
  }
  if (adminAnswers.size >= ADMIN_CACHE_MAX) adminAnswers.clear();
  adminAnswers.set(key, { at: performance.now(), admin });
  return admin;
}

/**
 * An admin of the channel may edit it. When Telegram cannot tell (the bot lost its rights there),
 * the person who connected it still may, to tidy it up or disconnect it.
 */
export async function mayEditChannel(
  ctx: BotContext,
  channel: ChatSettings,
  userId: number,
  fresh = false,
): Promise<boolean> {
  const admin = await isChatAdmin(ctx, channel.id, userId, fresh);
  return admin === "unknown" ? channel.connectedBy === userId : admin;
}

/**
 * A short mark of the chat being edited, carried by the buttons that change it, so that a button
 * of a menu shown for another chat changes nothing (see isForManagedChat).
 */
export async function managedChatMark(ctx: BotContext): Promise<string> {
  return ((((await managedChat(ctx)).id % 36 ** 4) + 36 ** 4) % 36 ** 4).toString(36);
}

/** Whether a tapped button's mark is of the chat being edited now. */
export async function isForManagedChat(ctx: BotContext, mark: string | undefined): Promise<boolean> {
  return mark === (await managedChatMark(ctx));
}

/**
 * The first line of a menu's text while a private chat edits a channel (which one, and how to go
 * back), or once the switch was undone; empty otherwise.
 */
export async function editingHeader(ctx: BotContext): Promise<string> {
  const managed = await managedChat(ctx);
  if (managed.channel) return `${ctx.t("reach-editing", { title: managed.channel.title })}\n`;
  if (managed.dropped !== undefined) return `${ctx.t("reach-editing-dropped", { title: managed.dropped })}\n`;
  return "";
}

/** A menu's text under the header of the chat being edited. */
export async function headed(ctx: BotContext, key: string): Promise<string> {
  return `${await editingHeader(ctx)}${ctx.t(key)}`;
}

/** Saves changed settings of the chat being edited; the interface follows a private chat's own language. */
export async function saveManagedChat(ctx: BotContext, settings: ChatSettings): Promise<void> {
  const managed = await managedChat(ctx);
  await ctx.stores.chats.save(settings);
  managed.settings = settings;
  if (managed.channel) return;
  ctx.chatSettings = settings;
  await ctx.i18n.renegotiateLocale();
}

/**
 * The settings of the chat being edited: a channel's as connected; the chat's own created on first
 * contact and reactivated if it had blocked the bot. In a group only an admin's action creates
 * them, so that a member's language never becomes the group's: for anyone else the settings a new
 * group would get are returned, and not saved.
 */
export async function ensureChat(ctx: BotContext): Promise<ChatSettings> {
  const chat = ctx.chat;
  if (!chat) throw new Error("ensureChat needs an update from a chat");
  const managed = await managedChat(ctx);
  // A channel comes back only by connecting it again, when the bot's rights there are checked.
  if (managed.channel && managed.settings) return managed.settings;
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
  managed.settings = settings;
  return settings;
}

/**
 * Drops every subscription of a chat and its settings; the chat goes on the stop list, so that an
 * older backup does not subscribe it again (remembered even when there was nothing to forget).
 */
export async function forgetChat(stores: BotContext["stores"], chatId: number): Promise<void> {
  await stores.stopList.add(chatId, new Date());
  const catalog = await stores.catalog.all();
  await stores.subscriptions.removeAll(
    chatId,
    catalog.map((e) => e.slug),
  );
  await stores.chats.delete(chatId);
}

/** In groups only admins change subscriptions; in private chats the user always may. */
export const canManageChat = oncePerUpdate(askWhetherManager);

async function askWhetherManager(ctx: BotContext): Promise<boolean> {
  const chat = ctx.chat;
  if (!chat || chat.type === "private") return true;
  // A tap is a person's, whoever sent the message it is under: grammY's senderChat reads that
  // message, and under the bot's own post in a channel it is the channel, for every tapper.
  const tap = ctx.callbackQuery;
  if (tap) return isAdmin(ctx, chat.id, tap.from.id);
  if (ctx.from?.id === GROUP_ANONYMOUS_BOT || ctx.senderChat?.id === chat.id) return true;
  // Someone writing as a channel is not a member Telegram can tell us the rights of.
  if (ctx.senderChat) return false;
  if (!ctx.from) return false;
  return isAdmin(ctx, chat.id, ctx.from.id);
}

async function isAdmin(ctx: BotContext, chatId: number, userId: number): Promise<boolean> {
  const member = await ctx.api.getChatMember(chatId, userId);
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
