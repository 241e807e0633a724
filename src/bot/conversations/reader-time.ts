import type { DayMinute, QuietHours } from "../../domain/reader-options.ts";
import { formatDayTime, parseDigestTimes, parseQuietHours } from "../../domain/time-input.ts";
import type { BotContext, DialogContext } from "../context.ts";
import { canManageChat, isForManagedChat, managedChat, readerLanguage } from "../helpers/chat-access.ts";
import { changeOptions } from "../helpers/reader-options.ts";
import { type Dialog, type Read, readAnswer } from "./dialog-steps.ts";

export const READER_TIME_DIALOG = "reader-time";
/** How long the question of a typed time waits for its answer. */
export const READER_TIME_IDLE_MS = 5 * 60 * 1000;

export type TypedTime = "times" | "quiet";

type Saved = { ok: true; zone: string } | { ok: false; why: "other-chat" | "admins-only" };

/**
 * Asks the person who tapped ✏️ for digest times ("8:30", "8:30 19:00") or quiet hours
 * ("23:00-07:00") until the answer reads, then saves it; the 5th answer that does not read closes
 * the question. Only their text is taken: in a group the others' messages, every command and every
 * button tap go on to the rest of the bot.
 */
export async function readerTimeDialog(
  conversation: Dialog,
  ctx: DialogContext,
  what: TypedTime,
  userId: number,
  mark: string,
): Promise<void> {
  const ask = () => ctx.reply(ctx.t(what === "times" ? "rd-ask-times" : "rd-ask-quiet"));
  const wait = () =>
    conversation
      .waitFrom(userId, { next: true })
      .andFor("message:text", { next: true })
      .unless((c) => c.msg.text.startsWith("/"), { next: true });
  const tooMany = (c: DialogContext) => c.t("rd-too-many");
  const refused = (answer: DialogContext, why: Saved & { ok: false }) =>
    answer.reply(answer.t(why.why === "admins-only" ? "rd-admins-only" : "reach-toast-other-chat"));
  if (what === "times") {
    const { answer, value: times } = await readAnswer(
      conversation,
      ask,
      wait,
      (a): Read<DayMinute[]> => {
        const read = parseDigestTimes(a.msg.text);
        return read.ok
          ? { ok: true, value: read.times }
          : { ok: false, problem: a.t(`rd-bad-times-${read.reason}`) };
      },
      tooMany,
    );
    const saved = await save(conversation, mark, (o) => ({ ...o, mode: "digest", digestTimes: times }));
    if (!saved.ok) {
      await refused(answer, saved);
      return;
    }
    const shown = times.map((m) => formatDayTime(m, readerLanguage(answer))).join(` ${answer.t("rd-and")} `);
    await answer.reply(answer.t("rd-saved-times", { times: shown, zone: saved.zone }));
    return;
  }
  const { answer, value: quiet } = await readAnswer(
    conversation,
    ask,
    wait,
    (a): Read<QuietHours> => {
      const read = parseQuietHours(a.msg.text);
      return read.ok
        ? { ok: true, value: read.quiet }
        : { ok: false, problem: a.t(`rd-bad-quiet-${read.reason}`) };
    },
    tooMany,
  );
  const saved = await save(conversation, mark, (o) => ({ ...o, quiet }));
  if (!saved.ok) {
    await refused(answer, saved);
    return;
  }
  await answer.reply(
    answer.t("rd-saved-quiet", {
      from: formatDayTime(quiet.from, readerLanguage(answer)),
      to: formatDayTime(quiet.to, readerLanguage(answer)),
      zone: saved.zone,
    }),
  );
}

/**
 * Saves outside the replayed dialog, for the chat the ✏️ was tapped for: if the private chat
 * switched to another chat with /channel meanwhile, or the person is no longer a group admin,
 * nothing changes.
 */
function save(
  conversation: Dialog,
  mark: string,
  change: Parameters<typeof changeOptions>[1],
): Promise<Saved> {
  return conversation.external(async (o: BotContext): Promise<Saved> => {
    if (!(await isForManagedChat(o, mark))) return { ok: false, why: "other-chat" };
    if (!(await canManageChat(o))) return { ok: false, why: "admins-only" };
    await changeOptions(o, change);
    return { ok: true, zone: (await managedChat(o)).settings?.timeZone ?? o.config.defaultTimeZone };
  });
}
