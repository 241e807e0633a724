import { Composer } from "grammy";
import type { BotContext } from "../context.ts";
import { audience, canManageChat } from "../helpers/chat-access.ts";

/** /stop: drop every subscription and forget the chat entirely. */
export function stopFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.command("stop", async (ctx) => {
    if (!(await canManageChat(ctx))) {
      await ctx.reply(ctx.t("admins-only"));
      return;
    }
    // Remembered even when there is nothing to forget: an older backup may still hold the chat.
    await ctx.stores.stopList.add(ctx.chat.id, new Date());
    const chat = ctx.chatSettings;
    if (!chat) {
      await ctx.reply(ctx.t("stop-nothing"));
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
    await ctx.reply(ctx.t("stop-done", audience(ctx)));
  });
  return feature;
}
