/**
 * What a reader chose about when and what comes (issue 8): delivery mode, digest times, quiet
 * hours, a mute, keyword filters. Stored as one more field of the chat's settings string, and
 * as nothing at all for a reader who changed none of it.
 */
import { type KeywordFilter, MAX_PHRASE_LENGTH, normalisePhrase, parseFilter } from "./keyword-filter.ts";

export type DeliveryMode = "instant" | "digest" | "breaking"; // "breaking": breaking news only
/** Minutes after midnight in the chat's time zone. */
export type DayMinute = number; // 0..1439
/** from !== to; from > to crosses midnight (23:00–08:00). */
export interface QuietHours {
  from: DayMinute;
  to: DayMinute;
}
export interface ReaderOptions {
  /** Default "instant". */
  mode: DeliveryMode;
  /** Mode "digest": [] = every hour; 1 or 2 sorted times a day. */
  digestTimes: DayMinute[];
  /** Default true: breaking news comes at once in every mode. */
  breakingAtOnce: boolean;
  /** Absent: none. */
  quiet?: QuietHours;
  /** Default false: breaking in quiet hours comes silently. */
  quietHoldsBreaking: boolean;
  /** Epoch ms; absent or past: not muted. */
  muteUntil?: number;
  /** Default true: what was held during the mute comes as a digest when it ends; false: dropped. */
  muteKeep: boolean;
  /** At most MAX_FILTERS. */
  filters: KeywordFilter[];
  /** Default false: breaking news passes the filters. */
  filterBreaking: boolean;
  /** Default false: a group's or channel's breaking alert is pinned, silently, one at a time. */
  pinBreaking: boolean;
}

export const MAX_FILTERS = 20;
export const MAX_DIGEST_TIMES = 2;
export const MINUTES_PER_DAY = 1440;

export const DEFAULT_READER_OPTIONS: ReaderOptions = Object.freeze({
  mode: "instant",
  digestTimes: Object.freeze([]) as unknown as DayMinute[],
  breakingAtOnce: true,
  quietHoldsBreaking: false,
  muteKeep: true,
  filters: Object.freeze([]) as unknown as KeywordFilter[],
  filterBreaking: false,
  pinBreaking: false,
}) as ReaderOptions;

/** A fresh, mutable copy of the defaults. */
export function defaultReaderOptions(): ReaderOptions {
  return { ...DEFAULT_READER_OPTIONS, digestTimes: [], filters: [] };
}

export function isDefaultReaderOptions(o: ReaderOptions): boolean {
  return (
    o === DEFAULT_READER_OPTIONS ||
    (o.mode === "instant" &&
      o.digestTimes.length === 0 &&
      o.breakingAtOnce &&
      o.quiet === undefined &&
      !o.quietHoldsBreaking &&
      o.muteUntil === undefined &&
      o.muteKeep &&
      o.filters.length === 0 &&
      !o.filterBreaking &&
      !o.pinBreaking)
  );
}

export function isDayMinute(n: unknown): n is DayMinute {
  return typeof n === "number" && Number.isInteger(n) && n >= 0 && n < MINUTES_PER_DAY;
}

/** Sorted, without repeats, at most two: the digest times a reader can have. */
export function normaliseDigestTimes(times: readonly number[]): DayMinute[] {
  return [...new Set(times.filter(isDayMinute))].sort((a, b) => a - b).slice(0, MAX_DIGEST_TIMES);
}

/*
 * The encoding: tokens joined by ";", each in a fixed order, only those that differ from the
 * defaults. Phrases hold only letters, digits, spaces, "-" and "'", so neither ";" nor "|"
 * (the chat string's separator) can occur.
 *   d | b            mode digest | breaking only
 *   t480.1140        digest times, minutes after midnight
 *   n                breaking news does not come at once
 *   q1380.480        quiet hours from.to
 *   Q                quiet hours hold breaking news too
 *   u<base 36>       muted until (epoch ms)
 *   x                what came during the mute is dropped
 *   F                filters apply to breaking news too
 *   P                breaking news is pinned (groups and channels)
 *   +phrase, -phrase keyword filters, in the reader's order
 */
const MODE_CODES: Readonly<Record<DeliveryMode, string>> = { instant: "", digest: "d", breaking: "b" };

/** "" for the defaults (a default chat costs 0 extra bytes); compact; never contains "|". */
export function encodeReaderOptions(o: ReaderOptions): string {
  if (isDefaultReaderOptions(o)) return "";
  const tokens: string[] = [];
  if (o.mode !== "instant") tokens.push(MODE_CODES[o.mode]);
  const times = normaliseDigestTimes(o.digestTimes);
  if (times.length > 0) tokens.push(`t${times.join(".")}`);
  if (!o.breakingAtOnce) tokens.push("n");
  if (o.quiet !== undefined && isQuietHours(o.quiet)) tokens.push(`q${o.quiet.from}.${o.quiet.to}`);
  if (o.quietHoldsBreaking) tokens.push("Q");
  if (o.muteUntil !== undefined && Number.isSafeInteger(o.muteUntil) && o.muteUntil >= 0)
    tokens.push(`u${o.muteUntil.toString(36)}`);
  if (!o.muteKeep) tokens.push("x");
  if (o.filterBreaking) tokens.push("F");
  if (o.pinBreaking) tokens.push("P");
  for (const f of o.filters.slice(0, MAX_FILTERS)) {
    const phrase = normalisePhrase(f.phrase);
    if (phrase !== "") tokens.push(`${f.keep ? "+" : "-"}${phrase}`);
  }
  return tokens.join(";");
}

function isQuietHours(q: QuietHours): boolean {
  return isDayMinute(q.from) && isDayMinute(q.to) && q.from !== q.to;
}

const DECIMAL = /^\d{1,4}$/;
const BASE36 = /^[0-9a-z]{1,11}$/;

/** Lenient: unknown or broken parts fall back to the defaults, never throws. */
export function decodeReaderOptions(raw: string): ReaderOptions {
  const o = defaultReaderOptions();
  if (typeof raw !== "string" || raw === "") return o;
  for (const token of raw.split(";")) {
    const head = token.charAt(0);
    const body = token.slice(1);
    switch (head) {
      case "d":
        if (body === "") o.mode = "digest";
        break;
      case "b":
        if (body === "") o.mode = "breaking";
        break;
      case "t":
        o.digestTimes = normaliseDigestTimes(
          body
            .split(".")
            .filter((p) => DECIMAL.test(p))
            .map(Number),
        );
        break;
      case "n":
        if (body === "") o.breakingAtOnce = false;
        break;
      case "q": {
        const [from, to] = body.split(".");
        const quiet = { from: Number(from), to: Number(to) };
        if (DECIMAL.test(from ?? "") && DECIMAL.test(to ?? "") && isQuietHours(quiet)) o.quiet = quiet;
        break;
      }
      case "Q":
        if (body === "") o.quietHoldsBreaking = true;
        break;
      case "u": {
        const until = BASE36.test(body) ? Number.parseInt(body, 36) : Number.NaN;
        if (Number.isSafeInteger(until)) o.muteUntil = until;
        break;
      }
      case "x":
        if (body === "") o.muteKeep = false;
        break;
      case "F":
        if (body === "") o.filterBreaking = true;
        break;
      case "P":
        if (body === "") o.pinBreaking = true;
        break;
      case "+":
      case "-": {
        if (o.filters.length >= MAX_FILTERS) break;
        const filter = storedFilter(head === "+", body);
        if (filter !== undefined && !o.filters.some((f) => sameFilter(f, filter))) o.filters.push(filter);
        break;
      }
      default:
        break;
    }
  }
  return o;
}

// What encodeReaderOptions writes: normalised words (no capitals, no ё) split by single spaces.
// The fan-out decodes thousands of these per article, so this form skips parseFilter's work.
const STORED_PHRASE =
  /^[\p{Ll}\p{Lo}\p{Lm}\p{M}\p{N}]+(?:['-]+[\p{Ll}\p{Lo}\p{Lm}\p{M}\p{N}]+)*(?: [\p{Ll}\p{Lo}\p{Lm}\p{M}\p{N}]+(?:['-]+[\p{Ll}\p{Lo}\p{Lm}\p{M}\p{N}]+)*)*$/u;

function storedFilter(keep: boolean, body: string): KeywordFilter | undefined {
  if (body.length <= MAX_PHRASE_LENGTH && !body.includes("ё") && STORED_PHRASE.test(body))
    return { keep, phrase: body };
  const parsed = parseFilter(`${keep ? "+" : "-"}${body}`);
  return parsed.ok ? parsed.filter : undefined;
}

export function sameFilter(a: KeywordFilter, b: KeywordFilter): boolean {
  return a.keep === b.keep && a.phrase === b.phrase;
}
