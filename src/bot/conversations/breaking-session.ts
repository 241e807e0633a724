import type { BreakingDraft } from "../../domain/breaking-draft.ts";
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

/**
 * The preview's rounds: `first` is kept, a checkpoint set, and each round reads the draft the
 * round before kept. `nextRound` keeps a changed draft and rewinds to the checkpoint, so the
 * dialog's log holds one round however many edits an editor makes.
 */
export async function draftRounds(
  conversation: Dialog,
  first: BreakingDraft,
): Promise<{ draft: BreakingDraft; nextRound: (changed: BreakingDraft) => Promise<never> }> {
  await keep(conversation, (kept) => {
    kept.draft = first;
  });
  const round = conversation.checkpoint();
  const draft = await conversation.external((o: BotContext) => o.session.breaking?.draft ?? first);
  const nextRound = async (changed: BreakingDraft): Promise<never> => {
    await keep(conversation, (kept) => {
      kept.draft = changed;
    });
    return conversation.rewind(round);
  };
  return { draft, nextRound };
}
