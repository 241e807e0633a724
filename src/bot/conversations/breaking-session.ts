import type { BotContext, SessionData } from "../context.ts";
import type { Dialog } from "./dialog-steps.ts";

/*
 * The /breaking dialog's draft and targets view live in the session, outside the dialog's log: each
 * preview round and each tap is rewound out of the log, and reads them back from here.
 */

/** Keeps what a round of the dialog changed outside its log, for the round after the rewind. */
export const keep = (conversation: Dialog, change: (kept: NonNullable<SessionData["breaking"]>) => void) =>
  conversation.external((o: BotContext) => {
    o.session.breaking ??= {};
    change(o.session.breaking);
  });

/** The dialog's draft and views leave the session with it. */
export function forgetBreakingDraft(ctx: BotContext): void {
  delete ctx.session.breaking;
}
