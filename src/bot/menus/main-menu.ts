import { Menu } from "@grammyjs/menu";
import type { BotContext } from "../context.ts";
import { headed } from "../helpers/chat-access.ts";
import { ignoreNotModified } from "../helpers/edit-safely.ts";
import { describeSubscriptions } from "../helpers/my-subscriptions.ts";
import { catalogMenuId, createCatalogMenu } from "./catalog-menu.ts";
import { createChannelsMenu } from "./channels-menu.ts";
import { createLanguageMenu, LANGUAGE_MENU_ID } from "./language-menu.ts";

export interface Menus {
  main: Menu<BotContext>;
  topics: Menu<BotContext>;
  regions: Menu<BotContext>;
  language: Menu<BotContext>;
  /** /channel's list of the chats a private chat may edit. */
  channels: Menu<BotContext>;
}

const openWith = (introKey: string) => async (ctx: BotContext) => {
  await ctx.answerCallbackQuery();
  await ignoreNotModified(ctx.editMessageText(await headed(ctx, introKey)));
};

/** The start menu and its submenus; installing `main` installs them all. */
export function createMenus(): Menus {
  const topics = createCatalogMenu("topic");
  const regions = createCatalogMenu("region");
  const language = createLanguageMenu();
  const channels = createChannelsMenu();
  const main = new Menu<BotContext>("main", {
    autoAnswer: false,
    onMenuOutdated: async (ctx) => {
      await ctx.answerCallbackQuery({ text: ctx.t("toast-outdated") });
      ctx.menu.update();
    },
  })
    .submenu((ctx) => ctx.t("btn-topics"), catalogMenuId("topic"), openWith("topics-intro"))
    .submenu((ctx) => ctx.t("btn-regions"), catalogMenuId("region"), openWith("regions-intro"))
    .row()
    .text(
      // Whose subscriptions: the reader's own, the group's, or the channel edited from here.
      (ctx) =>
        ctx.t("btn-my", {
          chat:
            ctx.chat?.type === "group" || ctx.chat?.type === "supergroup"
              ? "group"
              : ctx.session.managing !== undefined
                ? "channel"
                : "private",
        }),
      async (ctx) => {
        await ctx.answerCallbackQuery();
        await ctx.reply(await describeSubscriptions(ctx));
      },
    )
    .row()
    .submenu((ctx) => ctx.t("btn-language"), LANGUAGE_MENU_ID, openWith("language-intro"));
  main.register([topics, regions, language, channels]);
  return { main, topics, regions, language, channels };
}
