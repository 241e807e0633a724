import type { Menu, MenuRange } from "@grammyjs/menu";
import { type DeliveryMode, MAX_DIGEST_TIMES, type ReaderOptions } from "../../../domain/reader-options.ts";
import { formatDayTime } from "../../../domain/time-input.ts";
import type { BotContext } from "../../context.ts";
import { editingHeader, managedChat, readerLanguage } from "../../helpers/chat-access.ts";
import { mayChange } from "../../helpers/menu-tap.ts";
import { changeOptions, optionsOf } from "../../helpers/reader-options.ts";
import { askTyped, changeOnTap, optionsMenu, splitPayload, withMark } from "./menu-steps.ts";
import { modeText } from "./settings-text.ts";

export const MODE_MENU_ID = "settings-mode";

/** The digest times offered as buttons; any other is typed (✏️). */
export const DIGEST_TIME_CHOICES = [7, 8, 9, 12, 18, 19, 21].map((h) => h * 60);

export const modeIntro = async (ctx: BotContext) => `${await editingHeader(ctx)}${ctx.t("rd-mode-intro")}`;

function modeButtons(ctx: BotContext, range: MenuRange<BotContext>, options: ReaderOptions): void {
  const modes: [DeliveryMode, string][] = [
    ["instant", "rd-btn-instant"],
    ["digest", "rd-btn-digest"],
    ["breaking", "rd-btn-breaking-only"],
  ];
  for (const [mode, key] of modes)
    range.text(
      { text: `${options.mode === mode ? "● " : ""}${ctx.t(key)}`, payload: withMark(mode) },
      changeOnTap(
        modeIntro,
        (o, value) => ({ ...o, mode: modes.find(([m]) => m === value)?.[0] ?? "instant" }),
        (c, changed) => c.t("rd-toast-mode", { value: modeText(c, changed) }),
      ),
    );
  range.row();
}

/** Every hour, the offered times (✅ on the chosen ones; a tap on one switches to digest mode), ✏️. */
function timeButtons(ctx: BotContext, range: MenuRange<BotContext>, options: ReaderOptions): void {
  const digest = options.mode === "digest";
  range
    .text(
      {
        text: `${digest && options.digestTimes.length === 0 ? "● " : ""}${ctx.t("rd-btn-hourly")}`,
        payload: withMark("h"),
      },
      changeOnTap(
        modeIntro,
        (o) => ({ ...o, mode: "digest", digestTimes: [] }),
        (c, changed) => c.t("rd-toast-times", { value: modeText(c, changed) }),
      ),
    )
    .row();
  DIGEST_TIME_CHOICES.forEach((minute, i) => {
    const chosen = digest && options.digestTimes.includes(minute);
    range.text(
      {
        text: `${chosen ? "✅ " : ""}${formatDayTime(minute, readerLanguage(ctx))}`,
        payload: withMark(minute),
      },
      (c) => toggleTime(c, Number(splitPayload(c)[0])),
    );
    if (i % 4 === 3) range.row();
  });
  range
    .row()
    .text({ text: ctx.t("rd-btn-other-time"), payload: withMark("t") }, (c) =>
      askTyped(c, "times", modeIntro),
    );
  range.row();
}

async function toggleTime(ctx: BotContext, minute: number): Promise<void> {
  const [, mark] = splitPayload(ctx);
  if (!(await mayChange(ctx, mark, modeIntro))) return;
  if (!DIGEST_TIME_CHOICES.includes(minute)) {
    await ctx.answerCallbackQuery({ text: ctx.t("toast-outdated") });
    ctx.menu.update();
    return;
  }
  const current = optionsOf((await managedChat(ctx)).settings);
  const chosen = current.mode === "digest" ? current.digestTimes : [];
  if (!chosen.includes(minute) && chosen.length >= MAX_DIGEST_TIMES) {
    await ctx.answerCallbackQuery({ text: ctx.t("rd-toast-times-max") });
    return;
  }
  const times = chosen.includes(minute)
    ? chosen.filter((m) => m !== minute)
    : [...chosen, minute].sort((a, b) => a - b);
  const changed = await changeOptions(ctx, (o) => ({ ...o, mode: "digest", digestTimes: times }));
  await ctx.answerCallbackQuery({ text: ctx.t("rd-toast-times", { value: modeText(ctx, changed) }) });
  ctx.menu.update();
}

/** How the chat gets its alerts: at once, in digests (hourly or at chosen times), or breaking only. */
export function createModeMenu(): Menu<BotContext> {
  return optionsMenu(MODE_MENU_ID, modeIntro, (ctx, range, options) => {
    modeButtons(ctx, range, options);
    timeButtons(ctx, range, options);
  });
}
