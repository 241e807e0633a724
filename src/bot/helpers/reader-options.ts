import { DateTime } from "luxon";
import type { ChatSettings } from "../../domain/chat.ts";
import { clockTime, dayAndTime } from "../../domain/clock.ts";
import { heldRelease, sameReleaseRules } from "../../domain/delivery-routing.ts";
import type { KeywordFilter } from "../../domain/keyword-filter.ts";
import { DEFAULT_READER_OPTIONS, type ReaderOptions } from "../../domain/reader-options.ts";
import type { BotContext } from "../context.ts";
import { ensureChat, managedChat } from "./chat-access.ts";

/** The readers' options of a chat: what the menus, the commands and the dialog share. */

export function optionsOf(settings: Pick<ChatSettings, "options"> | undefined): ReaderOptions {
  return settings?.options ?? DEFAULT_READER_OPTIONS;
}

export const filterText = (f: KeywordFilter) => `${f.keep ? "+" : "-"}${f.phrase}`;

/** "14:05" in the zone, with the day ("2 декабря, 14:05") when it is not today there. */
export function localTime(at: DateTime, zone: string, lang: string, now = DateTime.now()): string {
  const there = at.setZone(zone);
  return there.hasSame(now.setZone(zone), "day")
    ? clockTime(there, lang)
    : dayAndTime(there, lang, { month: "long" });
}

/** "UTC+3", "UTC+5:30", "UTC−2". */
export function utcOffset(zone: string, now = DateTime.now()): string {
  const minutes = now.setZone(zone).offset;
  const sign = minutes < 0 ? "−" : "+";
  const abs = Math.abs(minutes);
  return `UTC${sign}${Math.floor(abs / 60)}${abs % 60 ? `:${String(abs % 60).padStart(2, "0")}` : ""}`;
}

/**
 * Changes the options of the chat being edited (created on first contact, as a tap on a topic
 * does) and keeps this update's view of them current. Only the options field is rewritten, so a
 * change to the chat's other settings at the same moment is kept. A change of when held articles
 * come sets the chat's due time anew. Returns the new options.
 */
export async function changeOptions(
  ctx: BotContext,
  change: (options: ReaderOptions) => ReaderOptions,
): Promise<ReaderOptions> {
  const chat = await ensureChat(ctx);
  const before = optionsOf(chat);
  const options = change(before);
  await ctx.stores.chats.setOptions(chat.id, options);
  const updated: ChatSettings = { ...chat, options };
  const managed = await managedChat(ctx);
  managed.settings = updated;
  if (!managed.channel) ctx.chatSettings = updated;
  if (!sameReleaseRules(before, options)) await rescheduleHeld(ctx, updated);
  return options;
}

/**
 * What the chat holds comes when its options as they are now say, not when the old ones said:
 * after a change of mode, digest times, quiet hours, pause (also ended early) or time zone.
 */
export async function rescheduleHeld(ctx: BotContext, chat: ChatSettings): Promise<void> {
  const { regular, breaking } = heldRelease(chat, DateTime.now());
  await ctx.stores.held.reschedule(chat.id, regular.toMillis(), breaking.toMillis());
}
