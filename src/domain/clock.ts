import { DateTime } from "luxon";

/**
 * How times are written, one way per language, from luxon's locale data: a time of day is
 * `DateTime.TIME_SIMPLE` in the reader's language ("02:31" in Russian, "2:31 AM" in English),
 * with the day before it when the day is shown. Every time the bot shows goes through here.
 */

const MINUTES_PER_DAY = 24 * 60;

/**
 * The time of day of `at` (already in the reader's zone). ICU puts a narrow no-break space
 * before "AM" for some zones and a plain one for others: it is always a plain space here.
 */
export function clockTime(at: DateTime, lang: string): string {
  return at
    .setLocale(lang)
    .toLocaleString(DateTime.TIME_SIMPLE)
    .replace(/[\u202f\u00a0]/g, " ");
}

/** A time of day given as minutes after midnight (digest times, quiet hours), as {@link clockTime} writes it. */
export function dayMinuteText(minute: number, lang: string): string {
  const m = ((Math.trunc(minute) % MINUTES_PER_DAY) + MINUTES_PER_DAY) % MINUTES_PER_DAY;
  return clockTime(DateTime.fromObject({ hour: Math.floor(m / 60), minute: m % 60 }, { zone: "UTC" }), lang);
}

/** The day and the time: "7 дек., 02:31", "Dec 7, 2:31 AM"; the month written out or the year when asked. */
export function dayAndTime(
  at: DateTime,
  lang: string,
  { month = "short", year = false }: { month?: "short" | "long"; year?: boolean } = {},
): string {
  const day = at
    .setLocale(lang)
    .toLocaleString({ day: "numeric", month, ...(year ? { year: "numeric" } : {}) });
  return `${day}, ${clockTime(at, lang)}`;
}
