import type { Conversation } from "@grammyjs/conversations";
import type { BotContext, DialogContext } from "../context.ts";

export type Dialog = Conversation<BotContext, DialogContext>;

/**
 * Wrong answers one question takes before its dialog closes. Without a cap one person typing
 * nonsense would keep a dialog open for ever, as its idle timeout restarts with every answer.
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

/** Updates whose only answer is the notice that their dialog timed out. */
const expiryNotices = new WeakSet<object>();

/** Marks the update in hand as answered by the notice that its dialog closed for want of an answer. */
export function markExpiryNotice(ctx: BotContext): void {
  expiryNotices.add(ctx);
}

/** True when the update was answered already by the notice that its dialog timed out. */
export function answeredByExpiryNotice(ctx: BotContext): boolean {
  return expiryNotices.has(ctx);
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

/** An answer read, or what is wrong with it. */
export type Read<T> = { ok: true; value: T } | { ok: false; problem: string };

/** The options of a reply a dialog sends (a forced reply, the message it answers). */
export type ReplyOptions = Parameters<DialogContext["reply"]>[1];

/**
 * Asks a question and waits for the answer until `read` takes one. Each answer it refuses is told
 * what is wrong (with `again`'s options, as a forced reply in a group) and then rewound out of the
 * dialog's stored log, the count of them kept in the session: the stored dialog stays the size of
 * one answer however many come, and is not replayed at each one. The {@link MAX_WRONG_ANSWERS}th
 * wrong answer closes the dialog with `tooMany`.
 */
export async function readAnswer<A extends DialogContext, T>(
  conversation: Dialog,
  ask: () => Promise<unknown>,
  wait: () => Promise<A>,
  read: (answer: A) => Read<T> | Promise<Read<T>>,
  tooMany: (c: DialogContext) => string,
  again: (answer: A) => ReplyOptions = () => undefined,
): Promise<{ answer: A; value: T }> {
  await conversation.external((o: BotContext) => {
    o.session.wrongAnswers = 0;
  });
  // The wait (and its idle timer) starts right after the question.
  await ask();
  const beforeAnswer = conversation.checkpoint();
  const answer = await wait();
  const result = await read(answer);
  if (result.ok) {
    await conversation.external((o: BotContext) => {
      delete o.session.wrongAnswers;
    });
    return { answer, value: result.value };
  }
  const wrong = await conversation.external((o: BotContext) => {
    o.session.wrongAnswers = (o.session.wrongAnswers ?? 0) + 1;
    return o.session.wrongAnswers;
  });
  if (wrong < MAX_WRONG_ANSWERS) {
    await answer.reply(result.problem, again(answer));
    return conversation.rewind(beforeAnswer);
  }
  await answer.reply(`${result.problem}\n\n${tooMany(answer)}`);
  await conversation.external((o: BotContext) => {
    delete o.session.wrongAnswers;
  });
  return closeDialog(conversation);
}

/**
 * Asks for one line of text until it passes `check`, saying each time what was wrong; the
 * {@link MAX_WRONG_ANSWERS}th wrong answer closes the dialog with `tooMany`. Commands pass on to
 * the bot (a reader's /help works mid-dialog; /cancel leaves it).
 */
export async function askText<Refusal extends { ok: false; why: string }>(
  conversation: Dialog,
  ctx: DialogContext,
  prompt: string,
  check: (text: string) => { ok: true; value: string } | Refusal,
  problem: (refusal: Refusal, c: DialogContext) => string,
  tooMany: (c: DialogContext) => string = (c) => c.t("dlg-too-many"),
): Promise<string> {
  const { value } = await readAnswer(
    conversation,
    () => ctx.reply(prompt),
    () =>
      conversation
        .waitFor("message:text", { otherwise: nudge })
        .unless((c) => c.msg.text.startsWith("/"), { next: true }),
    (answer): Read<string> => {
      const checked = check(answer.msg.text);
      return checked.ok ? checked : { ok: false, problem: problem(checked, answer) };
    },
    tooMany,
  );
  return value;
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
