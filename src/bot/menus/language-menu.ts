import { Menu } from "@grammyjs/menu";
import type { Language } from "../../domain/catalog.ts";
import type { BotContext } from "../context.ts";
import { canManageChat, ensureChat } from "../helpers/chat-access.ts";
import { ignoreNotModified } from "../helpers/edit-safely.ts";

export const LANGUAGE_MENU_ID = "language";

const LANGUAGE_NAMES: Record<Language, string> = { ru: "Русский", en: "English" };

async function update(ctx: BotContext, change: (lang: Language, both: boolean) => [Language, boolean]) {
  if (!(await canManageChat(ctx))) {
    await ctx.answerCallbackQuery({ text: ctx.t("toast-admins-only") });
    return;
  }
  const chat = await ensureChat(ctx);
  const [lang, both] = change(chat.lang, chat.editions === "both");
  const editions = both ? "both" : lang;
  ctx.chatSettings = { ...chat, lang, editions };
  await ctx.stores.chats.save(ctx.chatSettings);
  await ctx.i18n.renegotiateLocale();
  // Each button changes one thing, and the toast names what it became.
  const editionsChanged = both !== (chat.editions === "both");
  await ctx.answerCallbackQuery({
    text: editionsChanged ? ctx.t("toast-editions", { editions }) : ctx.t("toast-language"),
  });
  ctx.menu.update();
  if (lang !== chat.lang) await ignoreNotModified(ctx.editMessageText(ctx.t("language-intro")));
}

function languageButton(menu: Menu<BotContext>, lang: Language): Menu<BotContext> {
  return menu.text(
    (ctx) => `${ctx.chatSettings?.lang === lang ? "● " : ""}${LANGUAGE_NAMES[lang]}`,
    (ctx) => update(ctx, (_, both) => [lang, both]),
  );
}

/** Interface language, which is also the edition a chat reads, plus the "both editions" switch. */
export function createLanguageMenu(): Menu<BotContext> {
  const menu = new Menu<BotContext>(LANGUAGE_MENU_ID, {
    autoAnswer: false,
    onMenuOutdated: async (ctx) => {
      await ctx.answerCallbackQuery({ text: ctx.t("toast-outdated") });
      ctx.menu.update();
    },
  });
  languageButton(menu, "ru");
  languageButton(menu, "en");
  return menu
    .row()
    .text(
      (ctx) => ctx.t("btn-both-editions", { on: ctx.chatSettings?.editions === "both" ? "yes" : "no" }),
      (ctx) => update(ctx, (lang, both) => [lang, !both]),
    )
    .row()
    .back(
      (ctx) => ctx.t("btn-back"),
      async (ctx) => {
        await ctx.answerCallbackQuery();
        await ignoreNotModified(ctx.editMessageText(ctx.t("menu-intro")));
      },
    );
}
