import type { MenuRange } from "@grammyjs/menu";
import type { BotContext } from "../../context.ts";
import { managedChat } from "../../helpers/chat-access.ts";
import { ignoreNotModified } from "../../helpers/edit-safely.ts";
import { mayChange } from "../../helpers/menu-tap.ts";
import { changeOptions, optionsOf } from "../../helpers/reader-options.ts";
import { splitPayload, withMark } from "./menu-steps.ts";
import { editsGroupOrChannel, settingsText, yesNo } from "./settings-text.ts";

/** The summary's toggle of pinned breaking news; a changed setting is told anew about missing rights. */
async function togglePinBreaking(ctx: BotContext): Promise<void> {
  if (!(await mayChange(ctx, splitPayload(ctx)[1], settingsText))) return;
  const changed = await changeOptions(ctx, (o) => ({ ...o, pinBreaking: !o.pinBreaking }));
  await ctx.stores.pins.clearRefusalNotice((await managedChat(ctx)).id);
  await ctx.answerCallbackQuery({
    text: ctx.t("rd-toast-pin", { on: yesNo(changed.pinBreaking), hours: ctx.config.pinHours }),
  });
  ctx.menu.update();
  await ignoreNotModified(ctx.editMessageText(await settingsText(ctx)));
}

/** «📌 Pin breaking news», in the settings of a group or a channel (a private chat has nothing to pin). */
export async function pinToggle(ctx: BotContext, range: MenuRange<BotContext>): Promise<void> {
  if (!(await editsGroupOrChannel(ctx))) return;
  const on = optionsOf((await managedChat(ctx)).settings).pinBreaking;
  range
    .text(
      { text: ctx.t("rd-btn-pin-breaking", { on: yesNo(on) }), payload: withMark("p") },
      togglePinBreaking,
    )
    .row();
}
