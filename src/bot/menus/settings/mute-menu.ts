import type { Menu, MenuRange } from "@grammyjs/menu";
import { DateTime } from "luxon";
import type { ReaderOptions } from "../../../domain/reader-options.ts";
import type { BotContext } from "../../context.ts";
import { editingHeader, managedChat, readerLanguage } from "../../helpers/chat-access.ts";
import { ignoreNotModified } from "../../helpers/edit-safely.ts";
import { mayChange } from "../../helpers/menu-tap.ts";
import { localTime, muteChat, optionsOf } from "../../helpers/reader-options.ts";
import { changeOnTap, optionsMenu, splitPayload, withMark } from "./menu-steps.ts";
import { yesNo } from "./settings-text.ts";

export const MUTE_MENU_ID = "settings-mute";

/** The pauses /mute offers, in hours. */
export const MUTE_CHOICES = [1, 8, 24] as const;

export async function muteText(ctx: BotContext): Promise<string> {
  const settings = (await managedChat(ctx)).settings;
  const options = optionsOf(settings);
  const now = DateTime.now();
  const header = await editingHeader(ctx);
  if (options.muteUntil === undefined || options.muteUntil <= now.toMillis())
    return `${header}${ctx.t("rd-mute-ask")}`;
  const zone = settings?.timeZone ?? ctx.config.defaultTimeZone;
  return `${header}${ctx.t("rd-muted", {
    until: localTime(DateTime.fromMillis(options.muteUntil), zone, readerLanguage(ctx), now),
    zone,
    keep: yesNo(options.muteKeep),
  })}`;
}

/** The pauses, and their end while one runs. */
function pauseButtons(ctx: BotContext, range: MenuRange<BotContext>, options: ReaderOptions): void {
  const muted = options.muteUntil !== undefined && options.muteUntil > Date.now();
  for (const hours of MUTE_CHOICES)
    range.text({ text: ctx.t(`rd-btn-mute-${hours}h`), payload: withMark(hours) }, async (c) => {
      const [value, mark] = splitPayload(c);
      if (!(await mayChange(c, mark, muteText))) return;
      await muteChat(c, Number(value));
      await c.answerCallbackQuery();
      c.menu.update();
      await ignoreNotModified(c.editMessageText(await muteText(c)));
    });
  range.row();
  if (muted)
    range
      .text({ text: ctx.t("rd-btn-mute-off"), payload: withMark("off") }, async (c) => {
        const [, mark] = splitPayload(c);
        if (!(await mayChange(c, mark, muteText))) return;
        await muteChat(c, 0);
        await c.answerCallbackQuery({ text: c.t("rd-unmuted") });
        c.menu.update();
        await ignoreNotModified(c.editMessageText(await muteText(c)));
      })
      .row();
}

/** Whether what comes during a pause is sent later as a digest or dropped. */
function keepButtons(ctx: BotContext, range: MenuRange<BotContext>, options: ReaderOptions): void {
  for (const keep of [true, false])
    range.text(
      {
        text: ctx.t(keep ? "rd-btn-mute-keep" : "rd-btn-mute-drop", {
          on: yesNo(options.muteKeep === keep),
        }),
        payload: withMark(keep ? "k" : "d"),
      },
      changeOnTap(muteText, (o, value) => ({ ...o, muteKeep: value === "k" }), undefined, true),
    );
  range.row();
}

/** /mute's menu: a pause of the chat's news for some hours. */
export function createMuteMenu(): Menu<BotContext> {
  return optionsMenu(MUTE_MENU_ID, muteText, (ctx, range, options) => {
    pauseButtons(ctx, range, options);
    keepButtons(ctx, range, options);
  });
}
