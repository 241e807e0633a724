import type { Menu, MenuRange } from "@grammyjs/menu";
import type { QuietHours, ReaderOptions } from "../../../domain/reader-options.ts";
import { formatDayTime } from "../../../domain/time-input.ts";
import type { BotContext } from "../../context.ts";
import { editingHeader, managedChat, readerLanguage } from "../../helpers/chat-access.ts";
import { mayChange } from "../../helpers/menu-tap.ts";
import { changeOptions } from "../../helpers/reader-options.ts";
import { askTyped, changeOnTap, flagButton, optionsMenu, splitPayload, withMark } from "./menu-steps.ts";

export const QUIET_MENU_ID = "settings-quiet";

/** Quiet hours offered as buttons: 22–7, 23–7, 23–8, 0–8. */
export const QUIET_CHOICES: readonly QuietHours[] = [
  { from: 22 * 60, to: 7 * 60 },
  { from: 23 * 60, to: 7 * 60 },
  { from: 23 * 60, to: 8 * 60 },
  { from: 0, to: 8 * 60 },
];

export async function quietText(ctx: BotContext): Promise<string> {
  const zone = (await managedChat(ctx)).settings?.timeZone ?? ctx.config.defaultTimeZone;
  return `${await editingHeader(ctx)}${ctx.t("rd-quiet-intro", { zone })}`;
}

const sameQuiet = (a: QuietHours | undefined, b: QuietHours) => a?.from === b.from && a?.to === b.to;

/** The offered hours, two a row, ● on the chosen ones. */
function choiceButtons(ctx: BotContext, range: MenuRange<BotContext>, options: ReaderOptions): void {
  QUIET_CHOICES.forEach((choice, i) => {
    const label = `${formatDayTime(choice.from, readerLanguage(ctx))}–${formatDayTime(choice.to, readerLanguage(ctx))}`;
    range.text(
      { text: `${sameQuiet(options.quiet, choice) ? "● " : ""}${label}`, payload: withMark(i) },
      async (c) => {
        const [value, mark] = splitPayload(c);
        if (!(await mayChange(c, mark, quietText))) return;
        const picked = QUIET_CHOICES[Number(value)];
        if (!picked) return;
        await changeOptions(c, (o) => ({ ...o, quiet: picked }));
        await c.answerCallbackQuery({
          text: c.t("rd-toast-quiet", {
            from: formatDayTime(picked.from, readerLanguage(c)),
            to: formatDayTime(picked.to, readerLanguage(c)),
          }),
        });
        c.menu.update();
      },
    );
    if (i % 2 === 1) range.row();
  });
}

/** Off, other hours (typed), and whether breaking news at night waits too or comes silently. */
function otherButtons(ctx: BotContext, range: MenuRange<BotContext>, options: ReaderOptions): void {
  range
    .row()
    .text(
      { text: `${options.quiet ? "" : "● "}${ctx.t("rd-btn-quiet-off")}`, payload: withMark("off") },
      changeOnTap(
        quietText,
        ({ quiet: _, ...o }) => o,
        (c) => c.t("rd-toast-quiet-off"),
      ),
    )
    .text({ text: ctx.t("rd-btn-quiet-custom"), payload: withMark("t") }, (c) =>
      askTyped(c, "quiet", quietText),
    )
    .row();
  flagButton(
    range,
    options,
    "quietHoldsBreaking",
    quietText,
    (hold) => ctx.t("rd-btn-quiet-hold", { hold }),
    (c, hold) => c.t("rd-toast-quiet-hold", { hold }),
  ).row();
}

/** Quiet hours: what comes in them waits, and comes as one digest when they end. */
export function createQuietMenu(): Menu<BotContext> {
  return optionsMenu(QUIET_MENU_ID, quietText, (ctx, range, options) => {
    choiceButtons(ctx, range, options);
    otherButtons(ctx, range, options);
  });
}
