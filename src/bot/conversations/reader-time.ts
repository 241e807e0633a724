import type { Chat } from "grammy/types";
import { escapeHtml } from "../../domain/html.ts";
import { formatDayTime, parseDigestTimes, parseQuietHours } from "../../domain/time-input.ts";
import type { BotContext, DialogContext } from "../context.ts";
import { canManageChat, isForManagedChat, managedChat, readerLanguage } from "../helpers/chat-access.ts";
import { changeOptions } from "../helpers/reader-options.ts";
import { type Dialog, type Read, type ReplyOptions, readAnswer } from "./dialog-steps.ts";

export const READER_TIME_DIALOG = "reader-time";
/** How long the question of a typed time waits for its answer. */
export const READER_TIME_IDLE_MS = 5 * 60 * 1000;

export type TypedTime = "times" | "quiet";

/** What a typed answer reads as, or why not (the last part of its rd-bad-… message). */
type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

type OptionsChange = Parameters<typeof changeOptions>[1];

type Saved = { ok: true; zone: string } | { ok: false; why: "other-chat" | "admins-only" };

const isGroup = (chat: Chat | undefined) => chat?.type === "group" || chat?.type === "supergroup";

/** A forced reply that shows the reply field only to whoever the message mentions or answers. */
const FORCED_REPLY = { force_reply: true, selective: true } as const;

/**
 * The question, as sent: in a group it mentions the person who tapped and forces their reply,
 * since with Telegram's default privacy mode a group member's message reaches the bot only as a
 * reply to it (or a command); `selective` spares everyone else the reply field.
 */
function question(ctx: DialogContext, what: TypedTime, userId: number) {
  const text = ctx.t(what === "times" ? "rd-ask-times" : "rd-ask-quiet");
  if (!isGroup(ctx.chat)) return ctx.reply(text);
  const name = ctx.from?.first_name || String(userId);
  const mention = `<a href="tg://user?id=${userId}">${escapeHtml(name)}</a>`;
  return ctx.reply(`${mention}\n${escapeHtml(text)}`, { parse_mode: "HTML", reply_markup: FORCED_REPLY });
}

/** In a group, what is wrong with an answer is said in a reply to it that forces the next answer again. */
function again(answer: DialogContext): ReplyOptions {
  const message = answer.msg;
  if (!isGroup(answer.chat) || message === undefined) return undefined;
  return {
    reply_parameters: { message_id: message.message_id, allow_sending_without_reply: true },
    reply_markup: FORCED_REPLY,
  };
}

/**
 * Asks the person who tapped ✏️ for digest times ("8:30", "8:30 19:00") or quiet hours
 * ("23:00-07:00") until the answer reads, then saves it; the 5th answer that does not read closes
 * the question. Only their text is taken, and in a group only as a reply to the bot (what its
 * question forces): the others' messages, the person's other talk there, every command and every
 * button tap go on to the rest of the bot.
 */
export async function readerTimeDialog(
  conversation: Dialog,
  ctx: DialogContext,
  what: TypedTime,
  userId: number,
  mark: string,
): Promise<void> {
  const ask = () => question(ctx, what, userId);
  const wait = () =>
    conversation
      .waitFrom(userId, { next: true })
      .andFor("message:text", { next: true })
      .and((c) => !isGroup(c.chat) || c.msg.reply_to_message?.from?.id === c.me.id, { next: true })
      .unless((c) => c.msg.text.startsWith("/"), { next: true });
  /** Reads answers until one parses, then saves what it changes; undefined when saving was refused. */
  const readAndSave = async <T>(parse: (text: string) => Parsed<T>, change: (value: T) => OptionsChange) => {
    const { answer, value } = await readAnswer(
      conversation,
      ask,
      wait,
      (a): Read<T> => {
        const read = parse(a.msg.text);
        return read.ok ? read : { ok: false, problem: a.t(`rd-bad-${what}-${read.reason}`) };
      },
      (c) => c.t("rd-too-many"),
      again,
    );
    const saved = await save(conversation, mark, change(value));
    if (saved.ok) return { answer, value, zone: saved.zone };
    await answer.reply(answer.t(saved.why === "admins-only" ? "rd-admins-only" : "reach-toast-other-chat"));
    return undefined;
  };
  if (what === "times") {
    const saved = await readAndSave(
      (text) => {
        const read = parseDigestTimes(text);
        return read.ok ? { ok: true, value: read.times } : read;
      },
      (times) => (o) => ({ ...o, mode: "digest", digestTimes: times }),
    );
    if (!saved) return;
    const { answer, value: times, zone } = saved;
    const shown = times.map((m) => formatDayTime(m, readerLanguage(answer))).join(` ${answer.t("rd-and")} `);
    await answer.reply(answer.t("rd-saved-times", { times: shown, zone }));
    return;
  }
  const saved = await readAndSave(
    (text) => {
      const read = parseQuietHours(text);
      return read.ok ? { ok: true, value: read.quiet } : read;
    },
    (quiet) => (o) => ({ ...o, quiet }),
  );
  if (!saved) return;
  const { answer, value: quiet, zone } = saved;
  await answer.reply(
    answer.t("rd-saved-quiet", {
      from: formatDayTime(quiet.from, readerLanguage(answer)),
      to: formatDayTime(quiet.to, readerLanguage(answer)),
      zone,
    }),
  );
}

/**
 * Saves outside the replayed dialog, for the chat the ✏️ was tapped for: if the private chat
 * switched to another chat with /channel meanwhile, or the person is no longer a group admin,
 * nothing changes.
 */
function save(conversation: Dialog, mark: string, change: OptionsChange): Promise<Saved> {
  return conversation.external(async (o: BotContext): Promise<Saved> => {
    if (!(await isForManagedChat(o, mark))) return { ok: false, why: "other-chat" };
    if (!(await canManageChat(o))) return { ok: false, why: "admins-only" };
    await changeOptions(o, change);
    return { ok: true, zone: (await managedChat(o)).settings?.timeZone ?? o.config.defaultTimeZone };
  });
}
