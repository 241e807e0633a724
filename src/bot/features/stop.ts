import { Composer } from "grammy";
import type { BotContext } from "../context.ts";
import { canManageChat } from "../helpers/chat-access.ts";

/** /stop: drop every subscription and forget the chat entirely. */
export function stopFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.command("stop", async (ctx) => {
    const chat = ctx.chatSettings;
    if (!chat) {
      await ctx.reply(ctx.t("stop-nothing"));
      return;
    }
    if (!(await canManageChat(ctx))) {
      await ctx.reply(ctx.t("admins-only"));
      return;
    }
    const catalog = await ctx.stores.catalog.all();
    await ctx.stores.subscriptions.removeAll(
      chat.id,
      catalog.map((e) => e.slug),
    );
    await ctx.stores.chats.delete(chat.id);
    // grammY deletes the stored session when it is set to undefined; its flavor type only shows the getter.
    (ctx as { session: unknown }).session = undefined;
    ctx.chatSettings = undefined;
    await ctx.reply(ctx.t("stop-done"));
  });
  return feature;
}
