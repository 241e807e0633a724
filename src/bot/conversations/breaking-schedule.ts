import type { InlineKeyboardButton, Message } from "grammy/types";
import { DateTime } from "luxon";
import { type BreakingDraft, breakingId } from "../../domain/breaking-draft.ts";
import { clockTime, dayAndTime } from "../../domain/clock.ts";
import { escapeHtml } from "../../domain/html.ts";
import type { Language } from "../../domain/language.ts";
import {
  checkScheduleTime,
  parseScheduleTime,
  SCHEDULE_MAX_DAYS,
  type ScheduleInput,
  type ScheduleRefusal,
  scheduleChoices,
} from "../../domain/schedule-time.ts";
import type { BotContext, DialogContext } from "../context.ts";
import { readerLanguage } from "../helpers/chat-access.ts";
import { ignoreNotModified } from "../helpers/edit-safely.ts";
import { editorZone, scheduleNew } from "../helpers/scheduled-actions.ts";
import { type Dialog, nudge, type Read, readAnswer } from "./dialog-steps.ts";

/** The schedule step's buttons: a time offered (`at:` minutes since the epoch), a delay, or Back. */
const TAP = /^brk:(at|in|back):?(\d*)$/;

type Translate = DialogContext["t"];

function timeKeyboard(now: DateTime, lang: Language, t: Translate): InlineKeyboardButton[][] {
  const offered = scheduleChoices(now).map((at) => ({
    text: t("sch-choice", {
      day: at.hasSame(now, "day") ? "today" : "tomorrow",
      time: clockTime(at, lang),
    }),
    callback_data: `brk:at:${Math.round(at.toMillis() / 60_000)}`,
  }));
  const rows: InlineKeyboardButton[][] = [];
  for (let i = 0; i < offered.length; i += 3) rows.push(offered.slice(i, i + 3));
  rows.push([
    { text: t("sch-btn-in-15"), callback_data: "brk:in:15" },
    { text: t("sch-btn-in-60"), callback_data: "brk:in:60" },
  ]);
  rows.push([{ text: t("sch-btn-back"), callback_data: "brk:back" }]);
  return rows;
}

/** Why a time will not do, with what the editor needs to choose another. */
function refusal(reason: ScheduleRefusal, now: DateTime, lang: Language, t: Translate): string {
  const zone = now.zoneName ?? "";
  if (reason === "past") return t("sch-past", { now: clockTime(now, lang), zone });
  if (reason === "too-far") {
    const latest = dayAndTime(now.plus({ days: SCHEDULE_MAX_DAYS }), lang);
    return t("sch-too-far", { days: SCHEDULE_MAX_DAYS, latest, zone });
  }
  return t("sch-format");
}

/** The moment a tap or a typed answer names, read against `now` in the editor's zone. */
function readChoice(answer: DialogContext, now: DateTime): ScheduleInput | "back" {
  const data = answer.callbackQuery?.data;
  if (data === undefined) return parseScheduleTime(answer.msg?.text ?? "", now);
  const [, what, arg = ""] = TAP.exec(data) ?? [];
  if (what === "back") return "back";
  if (what === "in") return checkScheduleTime(now.plus({ minutes: Number(arg) }).startOf("minute"), now);
  return checkScheduleTime(DateTime.fromMillis(Number(arg) * 60_000, { zone: now.zone }), now);
}

/**
 * The schedule step: today's and tomorrow's usual hours, +15 min and +1 h as buttons, or a time
 * typed ("9:00", "завтра 9:00", "2026-12-08 09:00"), all in the editor's zone. A time past or
 * more than a week ahead is refused with the reason and asked again. Answers the moment chosen,
 * or undefined for Back.
 */
export async function askScheduleTime(
  conversation: Dialog,
  ctx: DialogContext,
  lang: Language,
): Promise<DateTime | undefined> {
  const zone = await conversation.external((o: BotContext) => editorZone(o));
  const shown = DateTime.fromMillis(await conversation.now(), { zone });
  let question: Message | undefined;
  const ask = async () => {
    question = await ctx.reply(
      ctx.t("sch-ask", { now: clockTime(shown, lang), zone, days: SCHEDULE_MAX_DAYS }),
      {
        reply_markup: { inline_keyboard: timeKeyboard(shown, lang, ctx.t) },
      },
    );
  };
  const wait = () =>
    conversation
      .waitFor(["message:text", "callback_query:data"], { otherwise: nudge })
      .unless((c) => c.message?.text?.startsWith("/") ?? false, { next: true })
      .and((c) => c.callbackQuery === undefined || TAP.test(c.callbackQuery.data ?? ""), {
        otherwise: nudge,
      });
  const read = async (answer: DialogContext): Promise<Read<DateTime | "back">> => {
    const now = DateTime.fromMillis(await conversation.now(), { zone });
    const chosen = readChoice(answer, now);
    if (answer.callbackQuery) await answer.answerCallbackQuery();
    if (chosen === "back") return { ok: true, value: "back" };
    return chosen.ok
      ? { ok: true, value: chosen.at }
      : { ok: false, problem: refusal(chosen.reason, now, lang, answer.t) };
  };
  const { value } = await readAnswer(conversation, ask, wait, read, (c) => c.t("dlg-too-many"));
  if (question)
    await ignoreNotModified(
      ctx.api.editMessageReplyMarkup(question.chat.id, question.message_id, {
        reply_markup: { inline_keyboard: [] },
      }),
    );
  return value === "back" ? undefined : value;
}

/** What scheduling a new push came to. */
export type Scheduled =
  | { status: "scheduled"; id: string }
  | { status: "refused" }
  | { status: "invalid"; problems: string };

/**
 * Schedules the draft for `at`, if the person is staff still (the role is read again now), under
 * a breaking id given now: the one it will be published with.
 */
export async function scheduleDraft(
  conversation: Dialog,
  draft: BreakingDraft,
  at: DateTime,
): Promise<Scheduled> {
  const suffix = Math.floor((await conversation.random()) * 36 ** 4)
    .toString(36)
    .padStart(4, "0");
  return conversation.external(async (o: BotContext): Promise<Scheduled> => {
    const role = await o.stores.staff.roleOf(o.from?.id);
    if (role === "reader") return { status: "refused" };
    const id = breakingId(DateTime.utc(), suffix);
    const problems = await scheduleNew(o, draft, id, at.toMillis());
    return problems === undefined ? { status: "scheduled", id } : { status: "invalid", problems };
  });
}

/** "Scheduled: … goes out on 8 Dec, 09:00 (Europe/Moscow) — id …": the exact local time and the id. */
export function scheduledText(
  ctx: DialogContext,
  key: string,
  draft: BreakingDraft,
  id: string,
  at: DateTime,
) {
  return ctx.t(key, {
    headline: escapeHtml(draft.headline),
    when: dayAndTime(at, readerLanguage(ctx)),
    zone: at.zoneName ?? "",
    id: escapeHtml(id),
  });
}
