import { Composer } from "grammy";
import type { BotContext } from "../context.ts";
import { ensureChat, headed } from "../helpers/chat-access.ts";
import { describeSubscriptions } from "../helpers/my-subscriptions.ts";
import type { Menus } from "../menus/main-menu.ts";

/** /topics, /regions and /my, for the chat being edited (a private chat's own, or a channel's). */
export function subscriptionsFeature(menus: Menus): Composer<BotContext> {
  const feature = new Composer<BotContext>();

  feature.command("topics", async (ctx) => {
    await ensureChat(ctx);
    await ctx.reply(await headed(ctx, "topics-intro"), { reply_markup: menus.topics });
  });

  feature.command("regions", async (ctx) => {
    await ensureChat(ctx);
    await ctx.reply(await headed(ctx, "regions-intro"), { reply_markup: menus.regions });
  });

  feature.command("my", async (ctx) => {
    await ctx.reply(await describeSubscriptions(ctx), { reply_markup: menus.main });
  });

  return feature;
}
