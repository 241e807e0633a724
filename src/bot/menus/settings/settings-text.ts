import { DateTime } from "luxon";
import type { ReaderOptions } from "../../../domain/reader-options.ts";
import { formatDayTime } from "../../../domain/time-input.ts";
import type { BotContext } from "../../context.ts";
import { editingHeader, managedChat, readerLanguage } from "../../helpers/chat-access.ts";
import { filterText, localTime, optionsOf } from "../../helpers/reader-options.ts";

/** A yes/no choice as the locale files' selectors take it. */
export const yesNo = (on: boolean) => (on ? "yes" : "no");

export function digestTimesText(ctx: BotContext, times: readonly number[]): string {
  return times.map((m) => formatDayTime(m, readerLanguage(ctx))).join(` ${ctx.t("rd-and")} `);
}

export function modeText(ctx: BotContext, options: ReaderOptions): string {
  if (options.mode === "breaking") return ctx.t("rd-mode-breaking");
  if (options.mode === "instant") return ctx.t("rd-mode-instant");
  return options.digestTimes.length === 0
    ? ctx.t("rd-mode-digest-hourly")
    : ctx.t("rd-mode-digest-at", { times: digestTimesText(ctx, options.digestTimes) });
}

/** Whether the chat being edited is a group or a channel: only they pin breaking news. */
export async function editsGroupOrChannel(ctx: BotContext): Promise<boolean> {
  const managed = await managedChat(ctx);
  return managed.channel !== undefined || (ctx.chat !== undefined && ctx.chat.type !== "private");
}

/** The options of the chat being edited, one line each, under the header naming it. */
export async function settingsText(ctx: BotContext): Promise<string> {
  const settings = (await managedChat(ctx)).settings;
  const pins = await editsGroupOrChannel(ctx);
  const options = optionsOf(settings);
  const zone = settings?.timeZone ?? ctx.config.defaultTimeZone;
  const lang = readerLanguage(ctx);
  const now = DateTime.now();
  const lines = [
    ctx.t("rd-settings-title"),
    ctx.t("rd-line-mode", { value: modeText(ctx, options) }),
    ctx.t("rd-line-breaking", { on: yesNo(options.breakingAtOnce) }),
    ...(pins ? [ctx.t("rd-line-pin", { on: yesNo(options.pinBreaking), hours: ctx.config.pinHours })] : []),
    options.quiet
      ? ctx.t("rd-line-quiet", {
          from: formatDayTime(options.quiet.from, lang),
          to: formatDayTime(options.quiet.to, lang),
          hold: yesNo(options.quietHoldsBreaking),
        })
      : ctx.t("rd-line-quiet-off"),
  ];
  if (options.muteUntil !== undefined && options.muteUntil > now.toMillis())
    lines.push(
      ctx.t("rd-line-mute", {
        until: localTime(DateTime.fromMillis(options.muteUntil), zone, lang, now),
        keep: yesNo(options.muteKeep),
      }),
    );
  lines.push(
    options.filters.length === 0
      ? ctx.t("rd-line-filters-none")
      : ctx.t("rd-line-filters", { list: options.filters.map(filterText).join(", ") }),
    ctx.t("rd-line-zone", { zone, time: localTime(now, zone, lang, now) }),
  );
  return `${await editingHeader(ctx)}${lines.join("\n")}`;
}
