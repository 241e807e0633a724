import { GrammyError } from "grammy";
import type { BotContext } from "../context.ts";

/** A tap that changes nothing visible makes Telegram refuse the edit; that is not a failure. */
export async function ignoreNotModified(edit: Promise<unknown>): Promise<void> {
  try {
    await edit;
  } catch (error) {
    if (error instanceof GrammyError && error.description.includes("message is not modified")) return;
    throw error;
  }
}

/**
 * Shows a menu again, its text (with the header of the chat being edited) and its buttons, after a
 * tap that could not act as the old menu showed: a toast says why.
 */
export async function redrawMenu(ctx: BotContext, toast: string, intro: string): Promise<void> {
  await ctx.answerCallbackQuery({ text: toast });
  ctx.menu.update();
  await ignoreNotModified(ctx.editMessageText(intro));
}
