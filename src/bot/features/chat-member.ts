import { Composer } from "grammy";
import { migrateChat } from "../../store/chat-migration.ts";
import type { BotContext } from "../context.ts";

/** When a user blocks the bot or a group removes it, alerts stop until /start comes again. */
export function chatMemberFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.on("my_chat_member", async (ctx) => {
    const status = ctx.myChatMember.new_chat_member.status;
    const chat = ctx.chatSettings;
    if (chat && (status === "kicked" || status === "left") && chat.active) {
      await ctx.stores.chats.save({ ...chat, active: false });
      ctx.logger.info({ chatId: chat.id, status }, "chat deactivated by its members");
    }
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
