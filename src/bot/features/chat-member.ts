import { Composer } from "grammy";
import type { ChatMember, ChatMemberUpdated } from "grammy/types";
import { migrateChat } from "../../store/chat-migration.ts";
import { tellChannelLost } from "../../telegram/reach-notices.ts";
import type { BotContext } from "../context.ts";
import type { Menus } from "../menus/main-menu.ts";

/** Whether the bot, as `member`, can no longer post in a channel: it left, or may not post. */
function lostChannel(member: ChatMember): boolean {
  if (member.status === "creator") return false;
  return member.status !== "administrator" || member.can_post_messages === false;
}

/** Whether `member` is in the chat and may write there. */
function present(member: ChatMember): boolean {
  return member.status === "member" || member.status === "administrator" || member.status === "creator";
}

/** Whether the update says the bot was just added to a group (not promoted in one it was in). */
function addedToGroup(update: ChatMemberUpdated): boolean {
  const type = update.chat.type;
  if (type !== "group" && type !== "supergroup") return false;
  const before = update.old_chat_member;
  const wasIn = present(before) || (before.status === "restricted" && before.is_member);
  return !wasIn && present(update.new_chat_member);
}

/**
 * When a group adds the bot, it says hello there and what comes next: only the group's admins set
 * it up, with /start or the menu under the hello. When a user blocks the bot or a group removes
 * it, alerts stop until /start comes again; when a channel removes it (or takes its right to
 * post), until its admin connects it again, and the person who connected it is told.
 */
export function chatMemberFeature(menus: Menus): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.on("my_chat_member", async (ctx) => {
    const member = ctx.myChatMember.new_chat_member;
    const chat = ctx.chatSettings;
    // A group that already gets alerts (one just moved here as a supergroup) needs no hello.
    if (addedToGroup(ctx.myChatMember) && !chat?.active) {
      const title = ctx.myChatMember.chat.title ?? "";
      await ctx.reply(ctx.t("group-hello", { title }), { reply_markup: menus.main });
      return;
    }
    if (!chat?.active) return;
    const lost =
      chat.kind === "channel" ? lostChannel(member) : member.status === "kicked" || member.status === "left";
    if (!lost) return;
    await ctx.stores.chats.deactivate(chat.id);
    ctx.logger.info({ chatId: chat.id, status: member.status }, "chat deactivated by its members");
    await tellChannelLost({ api: ctx.api, chats: ctx.stores.chats, logger: ctx.logger }, chat);
  });
  // Telegram tells the old group that it became a supergroup; its subscriptions follow at once.
  feature.on("message:migrate_to_chat_id", async (ctx) => {
    const from = ctx.chat.id;
    const to = ctx.message.migrate_to_chat_id;
    await migrateChat(ctx.stores, from, to);
    ctx.logger.info({ from, to }, "group migrated to a supergroup; subscriptions moved");
  });
  return feature;
}
