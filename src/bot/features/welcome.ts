import { Composer } from "grammy";
import { entryName, isValidSlug } from "../../domain/catalog.ts";
import type { BotContext } from "../context.ts";
import {
  audience,
  canManageChat,
  ensureChat,
  readerLanguage,
  switchManagedChat,
} from "../helpers/chat-access.ts";
import { openAtEntry } from "../menus/catalog-menu.ts";
import type { Menus } from "../menus/main-menu.ts";
import { sendAlertsTo, topicOf } from "./forum-topics.ts";

/** How much of an unknown /start payload is quoted back. */
const QUOTED_PAYLOAD_MAX = 64;

// Cut by code points, not UTF-16 units: half an emoji would show as a broken character.
function firstCodePoints(s: string, max: number): string {
  return Array.from(s).slice(0, max).join("");
}

async function followsAnything(ctx: BotContext, chatId: number): Promise<boolean> {
  const active = (await ctx.stores.catalog.all()).filter((e) => e.state === "active");
  const followed = await ctx.stores.subscriptions.slugsOf(
    chatId,
    active.map((e) => e.slug),
  );
  return followed.length > 0;
}

/** /start, and /start <slug>: the one-tap subscription from a link on the website. */
export function welcomeFeature(menus: Menus): Composer<BotContext> {
  const feature = new Composer<BotContext>();

  feature.command("start", async (ctx) => {
    const known = ctx.chatSettings !== undefined;
    // /start is about the chat it is sent in: a private chat editing a channel goes back to itself.
    const wasEditing = ctx.chat.type === "private" && ctx.session.managing !== undefined;
    if (wasEditing) switchManagedChat(ctx, undefined);
    // Checked first: in a group, a member's /start must not make the group's settings.
    const manager = await canManageChat(ctx);
    const chat = manager ? await ensureChat(ctx) : ctx.chatSettings;
    // A reader who comes back may be brought back by an import again.
    if (manager) await ctx.stores.stopList.remove(ctx.chat.id);
    // Sent inside a forum's topic by an admin, it makes that topic the group's alert destination.
    const topic = topicOf(ctx);
    if (manager && chat && topic !== undefined) await sendAlertsTo(ctx, chat, topic);
    await ctx.i18n.renegotiateLocale();
    const who = audience(ctx);
    const notes = [
      ...(wasEditing ? [ctx.t("reach-editing-own")] : []),
      ...(manager && topic !== undefined ? [ctx.t("reach-here-topic", { title: who.title })] : []),
    ];
    const payload = ctx.match.trim();
    if (payload === "") {
      const back = known && chat !== undefined && (await followsAnything(ctx, chat.id));
      const welcome = back ? `${ctx.t("welcome-back", who)}\n${ctx.t("menu-intro")}` : ctx.t("welcome", who);
      await ctx.reply([welcome, ...notes].join("\n\n"), { reply_markup: menus.main });
      return;
    }
    // Links are typed and shared by people: /start Chechnya means chechnya.
    const slug = payload.toLowerCase();
    const entry = isValidSlug(slug) ? await ctx.stores.catalog.get(slug) : undefined;
    if (!entry) {
      await ctx.reply(ctx.t("deep-link-unknown", { slug: firstCodePoints(payload, QUOTED_PAYLOAD_MAX) }), {
        reply_markup: menus.main,
      });
      return;
    }
    const name = entryName(entry, chat?.lang ?? readerLanguage(ctx));
    if (entry.state !== "active") {
      await ctx.reply(ctx.t("deep-link-archived", { name }), { reply_markup: menus.main });
      return;
    }
    if (!manager || !chat) {
      await ctx.reply(ctx.t("admins-only"));
      return;
    }
    const added = await ctx.stores.subscriptions.subscribe(chat.id, entry.slug);
    await openAtEntry(ctx, entry);
    const menu = entry.kind === "topic" ? menus.topics : menus.regions;
    await ctx.reply(ctx.t(added ? "deep-link-subscribed" : "deep-link-already", { name, ...who }), {
      reply_markup: menu,
    });
  });

  return feature;
}
