import type { Menu } from "@grammyjs/menu";
import type { BotContext } from "../../context.ts";
import { dialogActive, leaveDialogs } from "../../conversations/install-dialogs.ts";
import { READER_TIME_DIALOG } from "../../conversations/reader-time.ts";
import { canManageChat, isForManagedChat, managedChatMark } from "../../helpers/chat-access.ts";
import { ignoreNotModified, redrawMenu } from "../../helpers/edit-safely.ts";
import { settingsText } from "./settings-text.ts";

/** What the settings menus share: each button carries the chat it was drawn for, and every tap checks it. */

/** The text a menu is drawn under. */
export type MenuIntro = (ctx: BotContext) => Promise<string>;

/**
 * Whether a tap may change the chat being edited: the menu must be of that chat (not one left on
 * screen from before a /channel switch) and, in a group, the person must be an admin. Says why not.
 */
export async function mayChange(ctx: BotContext, mark: string | undefined, intro: MenuIntro) {
  if (!(await isForManagedChat(ctx, mark))) {
    await redrawMenu(ctx, ctx.t("reach-toast-other-chat"), await intro(ctx));
    return false;
  }
  if (!(await canManageChat(ctx))) {
    await ctx.answerCallbackQuery({ text: ctx.t("rd-toast-admins-only") });
    return false;
  }
  return true;
}

/** A button's data: the value, then the mark of the chat the menu was drawn for. */
export function splitPayload(ctx: BotContext): [string, string | undefined] {
  const [value = "", mark] = (typeof ctx.match === "string" ? ctx.match : "").split("~");
  return [value, mark];
}

export const withMark = (value: string | number) => async (ctx: BotContext) =>
  `${value}~${await managedChatMark(ctx)}`;

export const onOutdated = (intro: MenuIntro) => async (ctx: BotContext) =>
  redrawMenu(ctx, ctx.t("toast-outdated"), await intro(ctx));

/** A submenu's back button: the summary again, which the submenu may have changed. */
export function backToSettings(menu: Menu<BotContext>): Menu<BotContext> {
  return menu.back(
    (ctx) => ctx.t("btn-back"),
    async (ctx) => {
      await ctx.answerCallbackQuery();
      await ignoreNotModified(ctx.editMessageText(await settingsText(ctx)));
    },
  );
}

/** Opens a submenu with its own text. */
export const openWith = (intro: MenuIntro) => async (ctx: BotContext) => {
  await ctx.answerCallbackQuery();
  await ignoreNotModified(ctx.editMessageText(await intro(ctx)));
};

/** Starts the short dialog that reads a typed time; the chat's mark goes along, checked when saving. */
export async function askTyped(ctx: BotContext, what: "times" | "quiet", intro: MenuIntro) {
  const [, mark] = splitPayload(ctx);
  if (!(await mayChange(ctx, mark, intro))) return;
  const user = ctx.from?.id;
  if (user === undefined) return;
  await ctx.answerCallbackQuery();
  if (dialogActive(ctx)) await leaveDialogs(ctx);
  await ctx.conversation.enter(READER_TIME_DIALOG, what, user, await managedChatMark(ctx));
}
