import type { Conversation } from "@grammyjs/conversations";
import type { Checked } from "../../domain/breaking-draft.ts";
import type { BotContext, DialogContext } from "../context.ts";

export type Dialog = Conversation<BotContext, DialogContext>;

/**
 * Wrong answers one question takes before its dialog closes. Every answer a dialog takes is kept in
 * its stored state and replayed at each later update, so without a cap one person typing nonsense
 * would make each update cost more than the last, and the idle timeout, restarted by every answer,
 * would never end it.
 */
export const MAX_WRONG_ANSWERS = 5;

/** Exits the dialog announced itself (/cancel, a new /breaking, too many tries), as opposed to an idle timeout. */
const quietExits = new WeakSet<object>();

/** Marks the update in hand as one whose leaving of the dialog is already explained to the person. */
export function markQuietExit(ctx: BotContext): void {
  quietExits.add(ctx);
}

export function isQuietExit(ctx: BotContext): boolean {
  return quietExits.has(ctx);
}

/** Leaves the dialog after its last words were said; the stored state is dropped. Never returns. */
export async function closeDialog(conversation: Dialog): Promise<never> {
  await conversation.external((o: BotContext) => {
    markQuietExit(o);
  });
  return conversation.halt();
}

/** What a step says to an update it does not take: a button of another step, a photo, a sticker. */
export async function nudge(ctx: DialogContext): Promise<void> {
  if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.t("dlg-use-current") });
  else if (ctx.message) await ctx.reply(ctx.t("dlg-send-text"));
}

/**
 * Asks for one line of text until it passes `check`, saying each time what was wrong; the
 * {@link MAX_WRONG_ANSWERS}th wrong answer closes the dialog with `tooMany`. Commands pass on to
 * the bot (a reader's /help works mid-dialog; /cancel leaves it).
 */
export async function askText<Why extends string>(
  conversation: Dialog,
  ctx: DialogContext,
  prompt: string,
  check: (text: string) => Checked<string, Why>,
  problem: (why: Why, c: DialogContext) => string,
  tooMany: (c: DialogContext) => string = (c) => c.t("dlg-too-many"),
): Promise<string> {
  await ctx.reply(prompt);
  for (let wrong = 1; ; wrong++) {
    const answer = await conversation
      .waitFor("message:text", { otherwise: nudge })
      .unless((c) => c.msg.text.startsWith("/"), { next: true });
    const checked = check(answer.msg.text);
    if (checked.ok) return checked.value;
    await refuseAnswer(conversation, answer, problem(checked.why, answer), wrong, tooMany);
  }
}

/**
 * Says what was wrong with an answer; at the {@link MAX_WRONG_ANSWERS}th, adds `tooMany` and
 * leaves the dialog.
 */
export async function refuseAnswer(
  conversation: Dialog,
  answer: DialogContext,
  problem: string,
  wrong: number,
  tooMany: (c: DialogContext) => string,
): Promise<void> {
  if (wrong < MAX_WRONG_ANSWERS) {
    await answer.reply(problem);
    return;
  }
  await answer.reply(`${problem}\n\n${tooMany(answer)}`);
  await closeDialog(conversation);
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
