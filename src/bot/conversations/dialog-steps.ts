import type { Conversation } from "@grammyjs/conversations";
import type { Checked } from "../../domain/breaking-draft.ts";
import type { BotContext, DialogContext } from "../context.ts";

export type Dialog = Conversation<BotContext, DialogContext>;

/** What a step says to an update it does not take: a button of another step, a photo, a sticker. */
export async function nudge(ctx: DialogContext): Promise<void> {
  if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.t("dlg-use-current") });
  else if (ctx.message) await ctx.reply(ctx.t("dlg-send-text"));
}

/**
 * Asks for one line of text until it passes `check`, saying each time what was wrong. Commands
 * pass on to the bot (a reader's /help works mid-dialog; /cancel leaves it).
 */
export async function askText<Why extends string>(
  conversation: Dialog,
  ctx: DialogContext,
  prompt: string,
  check: (text: string) => Checked<string, Why>,
  problem: (why: Why, c: DialogContext) => string,
): Promise<string> {
  await ctx.reply(prompt);
  for (;;) {
    const answer = await conversation
      .waitFor("message:text", { otherwise: nudge })
      .unless((c) => c.msg.text.startsWith("/"), { next: true });
    const checked = check(answer.msg.text);
    if (checked.ok) return checked.value;
    await answer.reply(problem(checked.why, answer));
  }
}

/** Waits for a tap on one of this step's buttons and answers it, so the button stops spinning. */
export async function waitForTap(
  conversation: Dialog,
  pattern: RegExp,
): Promise<{ ctx: DialogContext; match: string[] }> {
  const tap = await conversation.waitForCallbackQuery(pattern, { otherwise: nudge });
  const match = typeof tap.match === "string" ? [tap.match] : [...(tap.match ?? [])];
  return { ctx: tap, match };
}
