import { DateTime } from "luxon";
import type { BreakingDraft } from "../../domain/breaking-draft.ts";
import type { KeptPush } from "../../domain/scheduled-push.ts";
import type { SaveResult } from "../../store/scheduled-pushes.ts";
import type { BotContext, DialogContext } from "../context.ts";
import { changeScheduled, editorZone } from "../helpers/scheduled-actions.ts";
import { activeEntries, editDraft, preview } from "./breaking.ts";
import { askScheduleTime, scheduledText } from "./breaking-schedule.ts";
import { draftRounds, forgetBreakingDraft } from "./breaking-session.ts";
import type { Dialog } from "./dialog-steps.ts";

export const SCHEDULED_DIALOG = "scheduled";

/** What a change of a scheduled push may be: a new time, a new text or targets, or both. */
type Change = { draft?: BreakingDraft; atMs?: number };

/** Saves the change, unless the push started going out or was cancelled meanwhile, and says which. */
async function save(conversation: Dialog, ctx: DialogContext, push: KeptPush, change: Change): Promise<void> {
  const saved = await conversation.external(
    async (o: BotContext): Promise<{ result: SaveResult; zone: string }> => ({
      result: await changeScheduled(o, push, change),
      zone: editorZone(o),
    }),
  );
  if (saved.result !== "ok") {
    await ctx.reply(ctx.t(saved.result === "send" ? "sch-going" : "sch-gone"));
    return;
  }
  const at = DateTime.fromMillis(change.atMs ?? push.atMs, { zone: saved.zone });
  await ctx.reply(scheduledText(ctx, "sch-saved", change.draft ?? push.draft, push.id, at), {
    parse_mode: "HTML",
  });
}

/** The same steps as /breaking's Edit, on a scheduled push: the part to change, then the preview. */
async function editRounds(conversation: Dialog, ctx: DialogContext, push: KeptPush): Promise<void> {
  const entries = await activeEntries(conversation, push.draft.lang);
  const first = await editDraft(conversation, ctx, entries, push.draft);
  const { draft, nextRound } = await draftRounds(conversation, first);
  const at = DateTime.fromMillis(push.atMs);
  const choice = await preview(conversation, ctx, entries, draft, ["save", "schedule", "edit", "cancel"], at);
  if (choice === "edit") return nextRound(await editDraft(conversation, ctx, entries, draft));
  const done = () => conversation.external((o: BotContext) => forgetBreakingDraft(o));
  if (choice === "cancel") {
    await done();
    await ctx.reply(ctx.t("sch-edit-dropped"));
    return;
  }
  if (choice === "schedule") {
    const newAt = await askScheduleTime(conversation, ctx, push.draft.lang);
    if (!newAt) return nextRound(draft);
    await done();
    return save(conversation, ctx, push, { draft, atMs: newAt.toMillis() });
  }
  await done();
  return save(conversation, ctx, push, { draft });
}

/**
 * A scheduled push opened from /scheduled: a new time ("time"), or its text and targets changed
 * by the steps of /breaking ("edit"). The push stays as it was until the change is saved, and a
 * push that started going out or was cancelled meanwhile is not changed.
 */
export async function scheduledDialog(
  conversation: Dialog,
  ctx: DialogContext,
  id: string,
  step: "time" | "edit",
): Promise<void> {
  const push = await conversation.external((o: BotContext) => o.stores.scheduled.get(id));
  if (!push || push.claim) {
    await ctx.reply(ctx.t(push?.claim === "send" ? "sch-going" : "sch-gone"));
    return;
  }
  if (step === "edit") return editRounds(conversation, ctx, push);
  const at = await askScheduleTime(conversation, ctx, push.draft.lang);
  if (!at) {
    await ctx.reply(ctx.t("sch-time-kept"));
    return;
  }
  await save(conversation, ctx, push, { atMs: at.toMillis() });
}
