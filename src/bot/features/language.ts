import { Composer } from "grammy";
import type { BotContext } from "../context.ts";
import { ensureChat, headed } from "../helpers/chat-access.ts";
import type { Menus } from "../menus/main-menu.ts";

export function languageFeature(menus: Menus): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.command("language", async (ctx) => {
    await ensureChat(ctx);
    await ctx.reply(await headed(ctx, "language-intro"), { reply_markup: menus.language });
  });
  return feature;
}
