import type { DateTime } from "luxon";
import { joinMeridiem, parseDayTime } from "./time-input.ts";

/**
 * When an editor's scheduled push goes: typed as a time today ("9:00"), a day word and a time
 * ("завтра 9:00", "tomorrow 9:00"), a date and a time ("2026-12-08 09:00", "08.12 9:00"), or a
 * delay ("+15 мин", "+1 ч", "+90m"). Read in the editor's zone, which `now` carries.
 */

/** A push may wait at most this long: a week covers an embargo, longer is a plan, not a push. */
export const SCHEDULE_MAX_DAYS = 7;

export type ScheduleRefusal = "format" | "past" | "too-far";
export type ScheduleInput = { ok: true; at: DateTime } | { ok: false; reason: ScheduleRefusal };

const DAY_WORDS: Record<string, number> = { сегодня: 0, today: 0, завтра: 1, tomorrow: 1, послезавтра: 2 };
const DELAY = /^\+\s*(\d{1,4})\s*(м|мин|минут[аы]?|m|min|mins|minutes?|ч|час|часа|часов|h|hours?)\.?$/i;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MONTH = /^(\d{1,2})\.(\d{1,2})(?:\.(\d{4}))?$/;

function delayMinutes(text: string): number | undefined {
  const m = DELAY.exec(text);
  if (!m) return undefined;
  const unit = (m[2] ?? "").toLowerCase();
  const hours = unit.startsWith("ч") || unit.startsWith("h");
  return Number(m[1]) * (hours ? 60 : 1);
}

/** The day a date word or date names, at midnight in `now`'s zone; undefined when it is none. */
function dayOf(word: string, now: DateTime): DateTime | undefined {
  const lower = word.toLowerCase();
  const offset = DAY_WORDS[lower];
  if (offset !== undefined) return now.startOf("day").plus({ days: offset });
  const iso = ISO_DATE.exec(word);
  const dm = DAY_MONTH.exec(word);
  const parts = iso
    ? { year: Number(iso[1]), month: Number(iso[2]), day: Number(iso[3]) }
    : dm
      ? { year: dm[3] ? Number(dm[3]) : now.year, month: Number(dm[2]), day: Number(dm[1]) }
      : undefined;
  if (!parts) return undefined;
  const day = now.set({ ...parts, hour: 0, minute: 0, second: 0, millisecond: 0 });
  // luxon rolls 31.02 over into March: a date that does not exist is not a date.
  if (day.day !== parts.day || day.month !== parts.month) return undefined;
  // "08.01" typed in December means next January.
  return !iso && !dm?.[3] && day < now.startOf("day") ? day.plus({ years: 1 }) : day;
}

/** The wall-clock time on `day`, set by hour and minute so a DST change that day moves nothing. */
const atMinute = (day: DateTime, minute: number) =>
  day.set({ hour: Math.floor(minute / 60), minute: minute % 60, second: 0, millisecond: 0 });

function readAt(text: string, now: DateTime): DateTime | undefined {
  const trimmed = joinMeridiem(text.trim()).replace(/\s+/g, " ");
  const delay = delayMinutes(trimmed);
  if (delay !== undefined) return now.plus({ minutes: delay }).startOf("minute");
  const parts = trimmed.split(" ");
  if (parts.length === 1) {
    const minute = parseDayTime(trimmed);
    return minute === undefined ? undefined : atMinute(now, minute);
  }
  if (parts.length !== 2) return undefined;
  const [first = "", second = ""] = parts;
  const day = dayOf(first, now);
  const minute = parseDayTime(second);
  if (!day || minute === undefined) return undefined;
  return atMinute(day, minute);
}

/** The moment a typed schedule names, or why it is refused (unreadable, past, or over a week ahead). */
export function parseScheduleTime(text: string, now: DateTime): ScheduleInput {
  const at = readAt(text, now);
  if (!at?.isValid) return { ok: false, reason: "format" };
  return checkScheduleTime(at, now);
}

/** A chosen moment, refused when it is not ahead of now or more than a week ahead. */
export function checkScheduleTime(at: DateTime, now: DateTime): ScheduleInput {
  if (at <= now) return { ok: false, reason: "past" };
  if (at > now.plus({ days: SCHEDULE_MAX_DAYS })) return { ok: false, reason: "too-far" };
  return { ok: true, at };
}

/** Hours offered as buttons, today's still ahead and tomorrow's: the newsroom's usual moments. */
const OFFERED_HOURS = [9, 12, 15, 18, 21] as const;

/**
 * The times the schedule step offers: today's offered hours at least 15 minutes ahead, then
 * tomorrow's morning, noon and evening; at most `max`.
 */
export function scheduleChoices(now: DateTime, max = 6): DateTime[] {
  const today = OFFERED_HOURS.map((hour) => now.startOf("day").set({ hour })).filter(
    (at) => at >= now.plus({ minutes: 15 }),
  );
  const tomorrow = [9, 12, 18].map((hour) => now.startOf("day").plus({ days: 1 }).set({ hour }));
  return [...today, ...tomorrow].slice(0, max);
}
