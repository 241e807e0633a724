import { Composer } from "grammy";
import type { BotContext } from "../context.ts";
import { audience, canManageChat, forgetChat } from "../helpers/chat-access.ts";

/** /stop: drop every subscription and forget the chat entirely. */
export function stopFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.command("stop", async (ctx) => {
    if (!(await canManageChat(ctx))) {
      await ctx.reply(ctx.t("admins-only"));
      return;
    }
    const known = ctx.chatSettings !== undefined;
    await forgetChat(ctx.stores, ctx.chat.id);
    if (!known) {
      await ctx.reply(ctx.t("stop-nothing"));
      return;
    }
    // grammY deletes the stored session when it is set to undefined; its flavor type only shows the getter.
    (ctx as { session: unknown }).session = undefined;
    ctx.chatSettings = undefined;
    await ctx.reply(ctx.t("stop-done", audience(ctx)));
  });
  return feature;
}
