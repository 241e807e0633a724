import { Menu, type MenuRange } from "@grammyjs/menu";
import type { ReaderOptions } from "../../../domain/reader-options.ts";
import type { BotContext } from "../../context.ts";
import { dialogActive, leaveDialogs } from "../../conversations/install-dialogs.ts";
import { READER_TIME_DIALOG } from "../../conversations/reader-time.ts";
import { managedChat, managedChatMark } from "../../helpers/chat-access.ts";
import { ignoreNotModified, redrawMenu } from "../../helpers/edit-safely.ts";
import { type MenuIntro, mayChange } from "../../helpers/menu-tap.ts";
import { changeOptions, optionsOf } from "../../helpers/reader-options.ts";
import { settingsText, yesNo } from "./settings-text.ts";

/** What the settings menus share: each button carries the chat it was drawn for, and every tap checks it. */

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

/** A settings submenu, drawn from the chat's reader options under `intro`, with the way back. */
export function optionsMenu(
  id: string,
  intro: MenuIntro,
  draw: (ctx: BotContext, range: MenuRange<BotContext>, options: ReaderOptions) => void | Promise<void>,
): Menu<BotContext> {
  const menu = new Menu<BotContext>(id, { autoAnswer: false, onMenuOutdated: onOutdated(intro) });
  menu.dynamic(async (ctx, range) => draw(ctx, range, optionsOf((await managedChat(ctx)).settings)));
  return backToSettings(menu);
}

/**
 * A button's tap that changes the chat's reader options (given the button's value), once the tap
 * may (see mayChange); `toast` says what they became, and `redraw` draws the menu's text again
 * for the menus whose text shows them.
 */
export const changeOnTap =
  (
    intro: MenuIntro,
    change: (options: ReaderOptions, value: string) => ReaderOptions,
    toast?: (ctx: BotContext, changed: ReaderOptions) => string,
    redraw = false,
  ) =>
  async (ctx: BotContext): Promise<void> => {
    const [value, mark] = splitPayload(ctx);
    if (!(await mayChange(ctx, mark, intro))) return;
    const changed = await changeOptions(ctx, (o) => change(o, value));
    await ctx.answerCallbackQuery(toast ? { text: toast(ctx, changed) } : undefined);
    ctx.menu.update();
    if (redraw) await ignoreNotModified(ctx.editMessageText(await intro(ctx)));
  };

/** The reader options that are a yes or a no. */
type Flag = {
  [K in keyof ReaderOptions]-?: ReaderOptions[K] extends boolean ? K : never;
}[keyof ReaderOptions];

/** A button that turns one yes/no option over: its label, then its toast, say how it stands. */
export function flagButton(
  range: MenuRange<BotContext>,
  options: ReaderOptions,
  flag: Flag,
  intro: MenuIntro,
  label: (on: string) => string,
  toast: (ctx: BotContext, on: string) => string,
): MenuRange<BotContext> {
  return range.text(
    { text: label(yesNo(options[flag])), payload: withMark("b") },
    changeOnTap(
      intro,
      (o) => ({ ...o, [flag]: !o[flag] }),
      (c, changed) => toast(c, yesNo(changed[flag])),
    ),
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
