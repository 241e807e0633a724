import { dayMinuteText } from "./clock.ts";

/**
 * Times of day as readers type them ("8:30", "08.30", "19", "23:00-07:00"), read into minutes
 * after midnight; no clock, no zone: the chat's zone gives them their meaning elsewhere.
 */

/** "8:30 pm" → "8:30pm": the AM/PM the English clock shows stays with its time when split on spaces. */
export const joinMeridiem = (text: string) => text.replace(/(\d)\s+([ap])\.?\s?m\b\.?/gi, "$1$2m");

/**
 * One time of day: "8", "8:30", "08:30", "8.30", "8h30", and as the English clock writes it,
 * "8:30 PM", "12am"; undefined when it is not one.
 */
export function parseDayTime(text: string): number | undefined {
  const m = /^(\d{1,2})(?:[:.hч](\d{2}))?(?:([ap])\.?m\.?)?$/i.exec(joinMeridiem(text.trim()));
  if (!m) return undefined;
  const hours = Number(m[1]);
  const minutes = m[2] === undefined ? 0 : Number(m[2]);
  const meridiem = m[3]?.toLowerCase();
  if (minutes > 59) return undefined;
  if (meridiem === undefined) return hours > 23 ? undefined : hours * 60 + minutes;
  if (hours < 1 || hours > 12) return undefined;
  return ((hours % 12) + (meridiem === "p" ? 12 : 0)) * 60 + minutes;
}

/** A time of day as the bot writes times in `lang` ("08:00", "8:00 AM"): see clock.ts. */
export function formatDayTime(minute: number, lang: string): string {
  return dayMinuteText(minute, lang);
}

export type DigestTimesInput = { ok: true; times: number[] } | { ok: false; reason: "format" | "too-many" };

/** One or two digest times ("8:30", "8:00 19:00", "8, 19"), sorted, a repeated one counted once. */
export function parseDigestTimes(text: string, max = 2): DigestTimesInput {
  const parts = joinMeridiem(text.trim())
    .split(/[\s,;]+/)
    .filter((p) => p !== "");
  if (parts.length === 0) return { ok: false, reason: "format" };
  const times = parts.map(parseDayTime);
  if (times.some((t) => t === undefined)) return { ok: false, reason: "format" };
  const unique = [...new Set(times as number[])].sort((a, b) => a - b);
  if (unique.length > max) return { ok: false, reason: "too-many" };
  return { ok: true, times: unique };
}

export type QuietInput =
  | { ok: true; quiet: { from: number; to: number } }
  | { ok: false; reason: "format" | "same" };

/** Quiet hours "23:00-07:00", "23-7", "23:30 – 6:45", "с 23 до 7"; from > to crosses midnight. */
export function parseQuietHours(text: string): QuietInput {
  const cleaned = joinMeridiem(text.trim())
    .replace(/^(?:с|from)\s+/i, "")
    .replace(/\s+(?:до|to|till|until)\s+/i, "-");
  const parts = cleaned.split(/\s*[-–—]\s*|\s+/).filter((p) => p !== "");
  if (parts.length !== 2) return { ok: false, reason: "format" };
  const [from, to] = parts.map(parseDayTime);
  if (from === undefined || to === undefined) return { ok: false, reason: "format" };
  if (from === to) return { ok: false, reason: "same" };
  return { ok: true, quiet: { from, to } };
}
