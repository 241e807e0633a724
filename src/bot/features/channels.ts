import { Composer, GrammyError } from "grammy";
import type { Chat } from "grammy/types";
import { newChat } from "../../domain/chat.ts";
import type { BotContext } from "../context.ts";
import {
  editingHeader,
  forgetChat,
  isChatAdmin,
  managedChat,
  readerLanguage,
  switchManagedChat,
} from "../helpers/chat-access.ts";
import type { Menus } from "../menus/main-menu.ts";

/** What `/channel add` takes: @name, a t.me link, or the numeric id. */
function channelRef(text: string): string | number | undefined {
  const link = /^(?:https?:\/\/)?t\.me\/([A-Za-z][A-Za-z0-9_]{3,31})\/?$/i.exec(text);
  if (link) return `@${link[1]}`;
  if (/^@?[A-Za-z][A-Za-z0-9_]{3,31}$/.test(text)) return text.startsWith("@") ? text : `@${text}`;
  if (/^-\d{1,16}$/.test(text)) return Number(text);
  return undefined;
}

function titleOf(chat: Chat): string {
  if ("title" in chat && chat.title) return chat.title;
  return "first_name" in chat && chat.first_name ? chat.first_name : String(chat.id);
}

type BotRights = "can-post" | "cannot-post" | "not-admin";

async function botRights(ctx: BotContext, channelId: number): Promise<BotRights> {
  try {
    const member = await ctx.api.getChatMember(channelId, ctx.me.id);
    if (member.status !== "administrator") return "not-admin";
    return member.can_post_messages === false ? "cannot-post" : "can-post";
  } catch (error) {
    if (error instanceof GrammyError) return "not-admin";
    throw error;
  }
}

/**
 * Connects a channel for the person in this private chat, once Telegram confirms that the bot may
 * post there and that the person administers it, and makes it the chat being edited.
 */
async function connect(ctx: BotContext, channel: Chat, menus: Menus): Promise<void> {
  const user = ctx.from?.id;
  if (user === undefined) return;
  const title = titleOf(channel);
  if (channel.type !== "channel") {
    await ctx.reply(ctx.t("reach-add-not-channel", { title }));
    return;
  }
  const rights = await botRights(ctx, channel.id);
  if (rights !== "can-post") {
    await ctx.reply(
      ctx.t(rights === "not-admin" ? "reach-add-bot-not-admin" : "reach-add-bot-cannot-post", { title }),
    );
    return;
  }
  if ((await isChatAdmin(ctx, channel.id, user, true)) !== true) {
    await ctx.reply(ctx.t("reach-add-not-admin", { title }));
    return;
  }
  const known = await ctx.stores.chats.get(channel.id);
  const settings = known ?? newChat(channel.id, "channel", readerLanguage(ctx), ctx.config.defaultTimeZone);
  // Connecting again brings back a channel the bot had lost, and makes this person the one told.
  await ctx.stores.chats.connectChannel(
    { ...settings, kind: "channel", active: true, connectedBy: user },
    title,
  );
  await ctx.stores.stopList.remove(channel.id);
  switchManagedChat(ctx, channel.id);
  ctx.logger.info({ channelId: channel.id, userId: user }, "channel connected");
  await ctx.reply(`${await editingHeader(ctx)}${ctx.t("reach-connected", { title })}`, {
    reply_markup: menus.main,
  });
}

async function connectByName(ctx: BotContext, text: string, menus: Menus): Promise<void> {
  const ref = channelRef(text);
  if (ref === undefined) {
    await ctx.reply(ctx.t("reach-add-usage"));
    return;
  }
  let channel: Chat;
  try {
    channel = await ctx.api.getChat(ref);
  } catch (error) {
    if (!(error instanceof GrammyError)) throw error;
    await ctx.reply(ctx.t("reach-add-not-found", { name: String(ref) }));
    return;
  }
  await connect(ctx, channel, menus);
}

/** Forgets the channel being edited, as /stop forgets a chat, and goes back to the private chat. */
async function disconnect(ctx: BotContext): Promise<void> {
  const managed = await managedChat(ctx);
  const user = ctx.from?.id;
  if (!managed.channel || user === undefined) {
    await ctx.reply(`${await editingHeader(ctx)}${ctx.t("reach-remove-nothing")}`);
    return;
  }
  await forgetChat(ctx.stores, managed.id);
  await ctx.stores.chats.removeUserChannel(user, managed.id);
  switchManagedChat(ctx, undefined);
  ctx.logger.info({ channelId: managed.id, userId: user }, "channel disconnected");
  await ctx.reply(ctx.t("reach-removed", { title: managed.channel.title }));
}

/**
 * Channels as subscribers: `/channel` lists the chats this private chat may edit and switches
 * between them; `/channel add @name` (or a forwarded post of the channel) connects one;
 * `/channel remove` disconnects the one being edited.
 */
export function channelsFeature(menus: Menus): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.command("channel", async (ctx) => {
    if (ctx.chat.type !== "private") {
      await ctx.reply(ctx.t("reach-private-only"));
      return;
    }
    const [verb = "", arg = ""] = ctx.match.trim().split(/\s+/);
    if (verb === "") {
      await ctx.reply(`${await editingHeader(ctx)}${ctx.t("reach-channels-intro")}`, {
        reply_markup: menus.channels,
      });
    } else if (verb === "add" && arg !== "") await connectByName(ctx, arg, menus);
    else if (verb === "remove") await disconnect(ctx);
    else await ctx.reply(ctx.t("reach-add-usage"));
  });
  // Any post of a channel, forwarded to the bot, names the channel: the way to connect a private one.
  feature.chatType("private").on("message:forward_origin", async (ctx, next) => {
    const origin = ctx.message.forward_origin;
    if (origin.type !== "channel") return next();
    await connect(ctx, origin.chat, menus);
  });
  return feature;
}
