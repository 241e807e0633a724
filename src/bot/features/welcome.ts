import { Composer } from "grammy";
import { entryName, isValidSlug } from "../../domain/catalog.ts";
import type { BotContext } from "../context.ts";
import { canManageChat, ensureChat } from "../helpers/chat-access.ts";
import type { Menus } from "../menus/main-menu.ts";

/** /start, and /start <slug>: the one-tap subscription from a link on the website. */
export function welcomeFeature(menus: Menus): Composer<BotContext> {
  const feature = new Composer<BotContext>();

  feature.command("start", async (ctx) => {
    const wasKnown = ctx.chatSettings?.active === true;
    const chat = await ensureChat(ctx);
    await ctx.i18n.renegotiateLocale();
    const slug = ctx.match.trim();
    if (slug === "") {
      await ctx.reply(wasKnown ? `${ctx.t("welcome-back")}\n${ctx.t("menu-intro")}` : ctx.t("welcome"), {
        reply_markup: menus.main,
      });
      return;
    }
    const entry = isValidSlug(slug) ? await ctx.stores.catalog.get(slug) : undefined;
    if (!entry) {
      await ctx.reply(ctx.t("deep-link-unknown", { slug: slug.slice(0, 64) }), { reply_markup: menus.main });
      return;
    }
    const name = entryName(entry, chat.lang);
    if (entry.state !== "active") {
      await ctx.reply(ctx.t("deep-link-archived", { name }), { reply_markup: menus.main });
      return;
    }
    if (!(await canManageChat(ctx))) {
      await ctx.reply(ctx.t("admins-only"));
      return;
    }
    const added = await ctx.stores.subscriptions.subscribe(chat.id, slug);
    const menu = entry.kind === "topic" ? menus.topics : menus.regions;
    await ctx.reply(ctx.t(added ? "deep-link-subscribed" : "deep-link-already", { name }), {
      reply_markup: menu,
    });
  });

  return feature;
}
