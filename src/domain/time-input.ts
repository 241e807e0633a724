/**
 * Times of day as readers type them ("8:30", "08.30", "19", "23:00-07:00"), read into minutes
 * after midnight; no clock, no zone: the chat's zone gives them their meaning elsewhere.
 */

const MINUTES_PER_DAY = 24 * 60;

/** One time of day: "8", "8:30", "08:30", "8.30", "8h30"; undefined when it is not one. */
export function parseDayTime(text: string): number | undefined {
  const m = /^(\d{1,2})(?:[:.hч](\d{2}))?$/i.exec(text.trim());
  if (!m) return undefined;
  const hours = Number(m[1]);
  const minutes = m[2] === undefined ? 0 : Number(m[2]);
  if (hours > 23 || minutes > 59) return undefined;
  return hours * 60 + minutes;
}

/** "8:00", "19:30": hours without a leading zero, as people write them. */
export function formatDayTime(minute: number): string {
  const m = ((Math.trunc(minute) % MINUTES_PER_DAY) + MINUTES_PER_DAY) % MINUTES_PER_DAY;
  return `${Math.floor(m / 60)}:${String(m % 60).padStart(2, "0")}`;
}

export type DigestTimesInput = { ok: true; times: number[] } | { ok: false; reason: "format" | "too-many" };

/** One or two digest times ("8:30", "8:00 19:00", "8, 19"), sorted, a repeated one counted once. */
export function parseDigestTimes(text: string, max = 2): DigestTimesInput {
  const parts = text
    .trim()
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
  const cleaned = text
    .trim()
    .replace(/^(?:с|from)\s+/i, "")
    .replace(/\s+(?:до|to|till|until)\s+/i, "-");
  const parts = cleaned.split(/\s*[-–—]\s*|\s+/).filter((p) => p !== "");
  if (parts.length !== 2) return { ok: false, reason: "format" };
  const [from, to] = parts.map(parseDayTime);
  if (from === undefined || to === undefined) return { ok: false, reason: "format" };
  if (from === to) return { ok: false, reason: "same" };
  return { ok: true, quiet: { from, to } };
}
