import { DateTime } from "luxon";
import type { ChatSettings } from "../../domain/chat.ts";
import { clockTime, dayAndTime } from "../../domain/clock.ts";
import { heldRelease, sameReleaseRules } from "../../domain/delivery-routing.ts";
import type { KeywordFilter } from "../../domain/keyword-filter.ts";
import { DEFAULT_READER_OPTIONS, type ReaderOptions, sameFilter } from "../../domain/reader-options.ts";
import type { BotContext } from "../context.ts";
import { ensureChat, managedChat, saveManagedChat } from "./chat-access.ts";

/** The readers' options of a chat and their changes: what the menus, the commands and the dialog share. */

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

/** Removes the filter a button names, if it is still there (it may have been removed with /filter since). */
export async function removeFilter(ctx: BotContext, filter: KeywordFilter): Promise<boolean> {
  const current = optionsOf((await managedChat(ctx)).settings);
  const index = current.filters.findIndex((f) => sameFilter(f, filter));
  if (index < 0) return false;
  await changeOptions(ctx, (o) => ({ ...o, filters: o.filters.filter((_, i) => i !== index) }));
  return true;
}

/**
 * Sets the chat's zone: its whole settings string is written, as /language does. Digest times and
 * quiet hours are read on the new zone's clock, so what the chat holds is due anew.
 */
export async function setZone(ctx: BotContext, zone: string): Promise<void> {
  const chat = await ensureChat(ctx);
  const updated = { ...chat, timeZone: zone };
  await saveManagedChat(ctx, updated);
  if (chat.timeZone !== zone) await rescheduleHeld(ctx, updated);
}

/** Mutes the chat being edited for `hours` from now, or ends the pause with 0. */
export async function muteChat(ctx: BotContext, hours: number, keep?: boolean): Promise<ReaderOptions> {
  const options = await changeOptions(ctx, ({ muteUntil: _, ...o }) => ({
    ...o,
    ...(hours > 0 ? { muteUntil: DateTime.now().plus({ hours }).toMillis() } : {}),
    muteKeep: keep ?? o.muteKeep,
  }));
  // Ended early, what the pause held comes now (or at the next digest time, or when quiet hours
  // end), not when it would have ended: changeOptions sets the chat's due time anew.
  return options;
}
