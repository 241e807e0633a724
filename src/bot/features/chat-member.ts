import { Composer } from "grammy";
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
  return feature;
}
