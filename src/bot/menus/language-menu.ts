import { Menu } from "@grammyjs/menu";
import type { Language } from "../../domain/catalog.ts";
import type { BotContext } from "../context.ts";
import { ensureChat, headed, managedChat, managedChatMark, saveManagedChat } from "../helpers/chat-access.ts";
import { ignoreNotModified, redrawMenu } from "../helpers/edit-safely.ts";
import { mayChange } from "../helpers/menu-tap.ts";

export const LANGUAGE_MENU_ID = "language";

const languageIntro = (ctx: BotContext) => headed(ctx, "language-intro");

const LANGUAGE_NAMES: Record<Language, string> = { ru: "Русский", en: "English" };

async function update(ctx: BotContext, change: (lang: Language, both: boolean) => [Language, boolean]) {
  const mark = typeof ctx.match === "string" ? ctx.match : undefined;
  if (!(await mayChange(ctx, mark, languageIntro, "toast-admins-only"))) return;
  const chat = await ensureChat(ctx);
  const [lang, both] = change(chat.lang, chat.editions === "both");
  const editions = both ? "both" : lang;
  await saveManagedChat(ctx, { ...chat, lang, editions });
  const channel = (await managedChat(ctx)).channel;
  // Each button changes one thing, and the toast names what it became.
  const editionsChanged = both !== (chat.editions === "both");
  await ctx.answerCallbackQuery({
    text: editionsChanged
      ? ctx.t("toast-editions", { editions })
      : channel
        ? ctx.t("reach-toast-language", { lang })
        : ctx.t("toast-language"),
  });
  ctx.menu.update();
  // A chat's own language is also the menu's: its text changes language with it.
  if (lang !== chat.lang && !channel)
    await ignoreNotModified(ctx.editMessageText(await headed(ctx, "language-intro")));
}

const managedSettings = async (ctx: BotContext) => (await managedChat(ctx)).settings;

function languageButton(menu: Menu<BotContext>, lang: Language): Menu<BotContext> {
  return menu.text(
    {
      text: async (ctx) =>
        `${(await managedSettings(ctx))?.lang === lang ? "● " : ""}${LANGUAGE_NAMES[lang]}`,
      payload: managedChatMark,
    },
    (ctx) => update(ctx, (_, both) => [lang, both]),
  );
}

/** Interface language, which is also the edition a chat reads, plus the "both editions" switch. */
export function createLanguageMenu(): Menu<BotContext> {
  const menu = new Menu<BotContext>(LANGUAGE_MENU_ID, {
    autoAnswer: false,
    // The text is drawn again too: after a switch with /channel its header named another chat.
    onMenuOutdated: async (ctx) =>
      redrawMenu(ctx, ctx.t("toast-outdated"), await headed(ctx, "language-intro")),
  });
  languageButton(menu, "ru");
  languageButton(menu, "en");
  return menu
    .row()
    .text(
      {
        text: async (ctx) =>
          ctx.t("btn-both-editions", {
            on: (await managedSettings(ctx))?.editions === "both" ? "yes" : "no",
          }),
        payload: managedChatMark,
      },
      (ctx) => update(ctx, (lang, both) => [lang, !both]),
    )
    .row()
    .back(
      (ctx) => ctx.t("btn-back"),
      async (ctx) => {
        await ctx.answerCallbackQuery();
        await ignoreNotModified(ctx.editMessageText(await headed(ctx, "menu-intro")));
      },
    );
}
