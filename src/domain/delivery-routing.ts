/**
 * What happens to one article for one chat, given the reader's options and the time (passed in).
 *
 * Quiet hours are read on the chat's wall clock: a minute is quiet when its local time lies in
 * [from, to). So on a night the clocks go back, the repeated hour is read twice (23:00–02:30 is
 * quiet again from the second 02:00 to the second 02:30), and on a night they spring forward,
 * quiet hours that should end inside the skipped hour end when it is skipped (at 03:00 in
 * Berlin), which is the first minute the wall clock shows a time past their end.
 */
import { DateTime } from "luxon";
import { passesFilters } from "./keyword-filter.ts";
import {
  type DayMinute,
  isDefaultReaderOptions,
  MINUTES_PER_DAY,
  type QuietHours,
  type ReaderOptions,
} from "./reader-options.ts";

export type Route =
  | { kind: "send"; silent: boolean }
  /** Held: comes in the digest at `release`. */
  | { kind: "hold"; release: DateTime }
  | { kind: "drop"; reason: "filtered" | "breaking-only" | "muted" };

export interface RoutedChat {
  timeZone: string;
  options?: ReaderOptions;
}

const SEND: Route = Object.freeze({ kind: "send", silent: false });
const SEND_SILENT: Route = Object.freeze({ kind: "send", silent: true });
const DROP_FILTERED: Route = Object.freeze({ kind: "drop", reason: "filtered" });
const DROP_BREAKING_ONLY: Route = Object.freeze({ kind: "drop", reason: "breaking-only" });
const DROP_MUTED: Route = Object.freeze({ kind: "drop", reason: "muted" });

/** What happens to one article for one chat now. */
export function routeAlert(
  article: { breaking: boolean; headline: string; teaser?: string },
  chat: RoutedChat,
  now: DateTime,
): Route {
  const o = chat.options;
  // The default reader, nearly everyone: no work at all.
  if (o === undefined || isDefaultReaderOptions(o)) return SEND;
  const breaking = article.breaking;
  if (o.filters.length > 0 && (!breaking || o.filterBreaking) && !passesFilters(o.filters, article))
    return DROP_FILTERED;
  if (o.mode === "breaking" && !breaking) return DROP_BREAKING_ONLY;
  const muted = isMuted(o, now);
  if (muted && !o.muteKeep) return DROP_MUTED;
  const rules = holdRules(o, breaking);
  const quiet = o.quiet !== undefined && inQuietHours(o.quiet, chat.timeZone, now);
  if (!muted && !rules.waitsForSlot && !(quiet && rules.waitsOutQuiet)) {
    return quiet ? SEND_SILENT : SEND;
  }
  return { kind: "hold", release: release(o, chat.timeZone, now, rules) };
}

/**
 * When the digest of what a chat already holds goes out under its options as they are now: the
 * earliest of the releases its held items get (`regular` for articles, `breaking` when a breaking
 * one is among them). For articles: the end of the mute, then the end of quiet hours, then
 * (digest mode) the next digest time; a digest time that falls inside quiet hours moves to their
 * end. Each change of mode, digest times, quiet hours, pause or time zone sets the
 * chat's due time anew from this, sooner or later: the time set under the old options no longer
 * says anything.
 */
export function heldRelease(chat: RoutedChat, now: DateTime): { regular: DateTime; breaking: DateTime } {
  const o = chat.options;
  if (o === undefined) return { regular: now, breaking: now };
  return {
    regular: release(o, chat.timeZone, now, holdRules(o, false)),
    breaking: release(o, chat.timeZone, now, holdRules(o, true)),
  };
}

/** Whether two sets of options hold articles until the same times (filters and the like aside). */
export function sameReleaseRules(a: ReaderOptions, b: ReaderOptions): boolean {
  return (
    a.mode === b.mode &&
    a.digestTimes.join(",") === b.digestTimes.join(",") &&
    a.quiet?.from === b.quiet?.from &&
    a.quiet?.to === b.quiet?.to &&
    a.muteUntil === b.muteUntil &&
    a.breakingAtOnce === b.breakingAtOnce &&
    a.quietHoldsBreaking === b.quietHoldsBreaking
  );
}

interface HoldRules {
  /** Waits for a digest time (digest mode: regular items, and breaking ones unless they come at once). */
  waitsForSlot: boolean;
  /** Waits until quiet hours end rather than coming silently. */
  waitsOutQuiet: boolean;
}

function holdRules(o: ReaderOptions, breaking: boolean): HoldRules {
  const slot = o.mode === "digest" && (!breaking || !o.breakingAtOnce);
  return { waitsForSlot: slot, waitsOutQuiet: !breaking || o.quietHoldsBreaking || slot };
}

function isMuted(o: ReaderOptions, now: DateTime): boolean {
  return o.muteUntil !== undefined && o.muteUntil > now.toMillis();
}

function release(o: ReaderOptions, zone: string, now: DateTime, rules: HoldRules): DateTime {
  let t = now;
  let moved = false;
  if (isMuted(o, t) && o.muteUntil !== undefined) {
    t = DateTime.fromMillis(o.muteUntil, { zone });
    moved = true;
  }
  if (o.quiet !== undefined && rules.waitsOutQuiet && inQuietHours(o.quiet, zone, t)) {
    t = quietHoursEnd(o.quiet, zone, t);
    moved = true;
  }
  if (rules.waitsForSlot) {
    // A digest time exactly at the end of the mute or of quiet hours takes the items then.
    t = slotAfter(o.digestTimes, zone, moved ? t.toMillis() - 1 : t.toMillis());
    if (o.quiet !== undefined && inQuietHours(o.quiet, zone, t)) t = quietHoursEnd(o.quiet, zone, t);
  }
  return t.setZone(zone);
}

/*
 * The fan-out routes one article for thousands of chats with the same `now`, in a handful of
 * zones, and luxon's zone arithmetic costs microseconds. Every answer below depends on `now`
 * only through its whole minute (quiet hours and digest times are whole minutes), so answers
 * are kept per minute, zone and rule. Bounded: cleared when full, as the minutes move on.
 */
const MINUTE_MS = 60_000;
const CACHE_LIMIT = 10_000;
const localMinutes = new Map<string, number>();
const slots = new Map<string, DateTime>();
const quietEnds = new Map<string, DateTime>();

function remember<V>(cache: Map<string, V>, key: string, value: V): V {
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, value);
  return value;
}

function minuteOfDay(local: DateTime): number {
  return local.hour * 60 + local.minute;
}

/** The wall-clock minute of the day in `zone` at the epoch ms `ms` (NaN for an unknown zone). */
function localMinuteOfDay(zone: string, ms: number): number {
  const minute = Math.floor(ms / MINUTE_MS);
  const key = `${minute}|${zone}`;
  const known = localMinutes.get(key);
  if (known !== undefined) return known;
  return remember(localMinutes, key, minuteOfDay(DateTime.fromMillis(minute * MINUTE_MS, { zone })));
}

function inWindow(q: QuietHours, minute: number): boolean {
  // from === to is no quiet hours at all (the encoding never stores it; this guards a caller).
  if (q.from === q.to) return false;
  return q.from < q.to ? minute >= q.from && minute < q.to : minute >= q.from || minute < q.to;
}

export function inQuietHours(q: QuietHours, zone: string, now: DateTime): boolean {
  return inWindow(q, localMinuteOfDay(zone, now.toMillis()));
}

/**
 * The instant the quiet hours that contain `now` end (`now` itself when it is not in quiet
 * hours): the first whole minute after `now` whose wall-clock time in `zone` is outside them.
 * Correct across midnight and daylight-saving changes (see the head of this file).
 */
export function quietHoursEnd(q: QuietHours, zone: string, now: DateTime): DateTime {
  if (!inQuietHours(q, zone, now)) return now.setZone(zone);
  const key = `${Math.floor(now.toMillis() / MINUTE_MS)}|${zone}|${q.from}.${q.to}`;
  return quietEnds.get(key) ?? remember(quietEnds, key, computeQuietEnd(q, zone, now));
}

function computeQuietEnd(q: QuietHours, zone: string, now: DateTime): DateTime {
  const start = now.setZone(zone).startOf("minute");
  let local = start;
  // Walk on the wall clock to `to`; a clock change in between leaves the result off by the
  // change, which the next round (clock went back) or the scan below (clock went forward) mends.
  for (let round = 0; round < 4 && inWindow(q, minuteOfDay(local)); round++) {
    const ahead = (q.to - minuteOfDay(local) + MINUTES_PER_DAY) % MINUTES_PER_DAY || MINUTES_PER_DAY;
    local = local.plus({ minutes: ahead });
  }
  // The clock sprang forward past `to`: quiet hours ended with the skipped hour; find that minute.
  for (let back = 0; back < 180; back++) {
    const earlier = local.minus({ minutes: 1 });
    if (earlier <= start || inWindow(q, minuteOfDay(earlier))) break;
    local = earlier;
  }
  return local;
}

/** The first digest time strictly after `now` in `zone`; [] = the next full hour. */
export function nextDigestSlot(times: readonly DayMinute[], zone: string, now: DateTime): DateTime {
  return slotAfter(times, zone, now.toMillis());
}

function slotAfter(times: readonly DayMinute[], zone: string, ms: number): DateTime {
  // Digest times are whole minutes: the first one after `ms` is the first after its minute.
  const minute = Math.floor(ms / MINUTE_MS);
  const key = `${minute}|${zone}|${times.join(".")}`;
  return (
    slots.get(key) ??
    remember(slots, key, computeSlot(times, zone, DateTime.fromMillis(minute * MINUTE_MS, { zone })))
  );
}

function computeSlot(times: readonly DayMinute[], zone: string, local: DateTime): DateTime {
  if (times.length === 0) return local.startOf("hour").plus({ hours: 1 });
  let best: DateTime | undefined;
  for (let day = 0; day <= 2 && best === undefined; day++) {
    const date = local.startOf("day").plus({ days: day });
    for (const minute of times) {
      // A time the clocks skip (02:30 on a spring-forward night) is moved on by the skip (03:30).
      const slot = DateTime.fromObject(
        {
          year: date.year,
          month: date.month,
          day: date.day,
          hour: Math.floor(minute / 60),
          minute: minute % 60,
        },
        { zone },
      );
      if (slot > local && (best === undefined || slot < best)) best = slot;
    }
  }
  return best ?? local.startOf("hour").plus({ hours: 1 });
}
