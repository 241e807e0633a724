/**
 * The `options` column of the subscriber CSV: what a chat has beyond the plain columns, as one
 * JSON object, so that an export restores a chat exactly. Only what differs from the defaults
 * is written, in a fixed order, so most chats get `{}` and equal data exports to equal text:
 *
 *   kind                "channel" (or "group", "private"); left out when the id's sign tells
 *   thread              the forum topic alerts go to (a positive number); absent: General
 *   mode                "digest" or "breaking" (breaking news only); absent: "instant"
 *   digestTimes         ["08:00", "19:30"], in the chat's time zone, at most 2; [] in digest mode: hourly
 *   breakingAtOnce      false: breaking news waits like the rest
 *   quiet               {"from": "23:00", "to": "07:00"}: quiet hours, crossing midnight when from > to
 *   quietHoldsBreaking  true: quiet hours hold breaking news too
 *   muteUntil           "2026-12-07T05:00:00Z": paused until then (ISO 8601 with an offset; a past time is kept)
 *   muteKeep            false: what came during the pause is dropped, not sent as a digest
 *   filters             ["+грозный", "-права человека"], as /filter takes them, in order, at most 20
 *   filterBreaking      true: the filters apply to breaking news too
 *   pinBreaking         true: a group's or channel's breaking alert is pinned
 *
 * A chat's name or title, and who connected a channel, are never written: a backup holds only
 * what delivery needs. Reading is strict: an unknown key or a bad value refuses the line with
 * the reason, so a typo never changes a reader's options silently.
 */
import { DateTime } from "luxon";
import type { ChatKind } from "./chat.ts";
import { type KeywordFilter, MAX_PHRASE_LENGTH, parseFilter } from "./keyword-filter.ts";
import {
  type DayMinute,
  type DeliveryMode,
  defaultReaderOptions,
  MAX_DIGEST_TIMES,
  MAX_FILTERS,
  type ReaderOptions,
  sameFilter,
} from "./reader-options.ts";

/** What a non-empty `options` cell sets. Absent keys give the defaults; an absent kind keeps the chat's. */
export interface OptionsCell {
  kind?: ChatKind;
  threadId?: number;
  options: ReaderOptions;
}

export type OptionsCellCheck = { ok: true; cell: OptionsCell } | { ok: false; reason: string };

const KEYS = [
  "kind",
  "thread",
  "mode",
  "digestTimes",
  "breakingAtOnce",
  "quiet",
  "quietHoldsBreaking",
  "muteUntil",
  "muteKeep",
  "filters",
  "filterBreaking",
  "pinBreaking",
] as const;
const KINDS: readonly ChatKind[] = ["private", "group", "channel"];
const MODES: readonly DeliveryMode[] = ["instant", "digest", "breaking"];

const pad = (n: number) => String(n).padStart(2, "0");
const clock = (m: DayMinute) => `${pad(Math.floor(m / 60))}:${pad(m % 60)}`;

/** The cell for a chat: `{}` when everything is as a new chat of that id would have it. */
export function formatOptionsCell(
  chat: { id: number; kind: ChatKind; threadId?: number; options?: ReaderOptions },
  kindOfId: ChatKind,
): string {
  const o = chat.options ?? defaultReaderOptions();
  const out: Record<string, unknown> = {};
  if (chat.kind !== kindOfId) out.kind = chat.kind;
  if (chat.threadId !== undefined) out.thread = chat.threadId;
  if (o.mode !== "instant") out.mode = o.mode;
  if (o.digestTimes.length > 0) out.digestTimes = o.digestTimes.map(clock);
  if (!o.breakingAtOnce) out.breakingAtOnce = false;
  if (o.quiet !== undefined) out.quiet = { from: clock(o.quiet.from), to: clock(o.quiet.to) };
  if (o.quietHoldsBreaking) out.quietHoldsBreaking = true;
  if (o.muteUntil !== undefined) {
    // Null only past the year 275760, which no /mute can set.
    const until = DateTime.fromMillis(o.muteUntil, { zone: "utc" }).toISO({ suppressMilliseconds: true });
    if (until !== null) out.muteUntil = until;
  }
  if (!o.muteKeep) out.muteKeep = false;
  if (o.filters.length > 0) out.filters = o.filters.map((f) => `${f.keep ? "+" : "-"}${f.phrase}`);
  if (o.filterBreaking) out.filterBreaking = true;
  if (o.pinBreaking) out.pinBreaking = true;
  return JSON.stringify(out);
}

const CLOCK = /^([01]?\d|2[0-3]):([0-5]\d)$/;
// A time with no offset would be read in the importing machine's zone: one must be given.
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}(:?\d{2})?)$/;

/** A value as JSON, cut short: a reason must stay one readable line however long the cell. */
const cut = (text: string) => (text.length > 80 ? `${text.slice(0, 79)}…` : text);
const show = (value: unknown) => cut(JSON.stringify(value) ?? String(value));

function dayMinute(value: unknown): DayMinute | undefined {
  const match = typeof value === "string" ? CLOCK.exec(value) : null;
  return match ? Number(match[1]) * 60 + Number(match[2]) : undefined;
}

const FILTER_REFUSALS = {
  empty: "has no word",
  "no-sign": "does not start with + or -",
  "bad-characters": "holds a sign other than letters, digits, spaces, - and '",
  "too-long": `is longer than ${MAX_PHRASE_LENGTH} characters`,
  "too-long-written-out": `is longer than ${MAX_PHRASE_LENGTH} characters once written out`,
} as const;

class Refusal extends Error {}
const refuse = (reason: string): never => {
  throw new Refusal(reason);
};

function flag(raw: Record<string, unknown>, key: string): boolean | undefined {
  const value = raw[key];
  if (value === undefined || typeof value === "boolean") return value;
  return refuse(`${key} ${show(value)} (true or false)`);
}

function readFilters(value: unknown): KeywordFilter[] {
  if (!Array.isArray(value)) return refuse(`filters ${show(value)} (a list like ["+word", "-word"])`);
  const filters: KeywordFilter[] = [];
  for (const text of value) {
    if (typeof text !== "string") return refuse(`filter ${show(text)} is not text`);
    const parsed = parseFilter(text);
    if (!parsed.ok) return refuse(`filter ${show(text)} ${FILTER_REFUSALS[parsed.reason]}`);
    if (!filters.some((f) => sameFilter(f, parsed.filter))) filters.push(parsed.filter);
  }
  if (filters.length > MAX_FILTERS) return refuse(`${filters.length} filters (at most ${MAX_FILTERS})`);
  return filters;
}

function readCell(raw: Record<string, unknown>): OptionsCell {
  const unknown = Object.keys(raw).find((k) => !(KEYS as readonly string[]).includes(k));
  if (unknown !== undefined) return refuse(`unknown key ${show(unknown)} (${KEYS.join(", ")})`);
  const cell: OptionsCell = { options: defaultReaderOptions() };
  const o = cell.options;
  if (raw.kind !== undefined) {
    if (!KINDS.includes(raw.kind as ChatKind)) return refuse(`kind ${show(raw.kind)} (${KINDS.join(", ")})`);
    cell.kind = raw.kind as ChatKind;
  }
  if (raw.thread !== undefined) {
    const thread = raw.thread;
    if (typeof thread !== "number" || !Number.isSafeInteger(thread) || thread <= 0)
      return refuse(`thread ${show(thread)} (a forum topic's id, a positive whole number)`);
    cell.threadId = thread;
  }
  if (raw.mode !== undefined) {
    if (!MODES.includes(raw.mode as DeliveryMode))
      return refuse(`mode ${show(raw.mode)} (${MODES.join(", ")})`);
    o.mode = raw.mode as DeliveryMode;
  }
  if (raw.digestTimes !== undefined) {
    const list = raw.digestTimes;
    const times = Array.isArray(list) ? list.map(dayMinute) : [undefined];
    if (times.some((t) => t === undefined))
      return refuse(`digestTimes ${show(list)} (a list of HH:MM times, like ["08:00", "19:30"])`);
    const distinct = [...new Set(times as DayMinute[])].sort((a, b) => a - b);
    if (distinct.length > MAX_DIGEST_TIMES)
      return refuse(`digestTimes ${show(list)} (at most ${MAX_DIGEST_TIMES} times)`);
    o.digestTimes = distinct;
  }
  o.breakingAtOnce = flag(raw, "breakingAtOnce") ?? o.breakingAtOnce;
  if (raw.quiet !== undefined) {
    const q = raw.quiet as Record<string, unknown> | null;
    const from = typeof q === "object" && q !== null ? dayMinute(q.from) : undefined;
    const to = typeof q === "object" && q !== null ? dayMinute(q.to) : undefined;
    const extra =
      typeof q === "object" && q !== null && Object.keys(q).some((k) => k !== "from" && k !== "to");
    if (from === undefined || to === undefined || extra)
      return refuse(`quiet ${show(q)} (like {"from": "23:00", "to": "07:00"})`);
    if (from === to) return refuse(`quiet ${show(q)} starts when it ends`);
    o.quiet = { from, to };
  }
  o.quietHoldsBreaking = flag(raw, "quietHoldsBreaking") ?? o.quietHoldsBreaking;
  if (raw.muteUntil !== undefined) {
    const text = raw.muteUntil;
    const at = typeof text === "string" && ISO_WITH_OFFSET.test(text) ? DateTime.fromISO(text) : undefined;
    const ms = at?.isValid ? at.toMillis() : Number.NaN;
    if (!Number.isSafeInteger(ms) || ms < 0)
      return refuse(`muteUntil ${show(text)} (a time with its offset, like "2026-12-07T05:00:00Z")`);
    o.muteUntil = ms;
  }
  o.muteKeep = flag(raw, "muteKeep") ?? o.muteKeep;
  if (raw.filters !== undefined) o.filters = readFilters(raw.filters);
  o.filterBreaking = flag(raw, "filterBreaking") ?? o.filterBreaking;
  o.pinBreaking = flag(raw, "pinBreaking") ?? o.pinBreaking;
  return cell;
}

/** Reads a non-empty `options` cell; the reason names the key and the value that are wrong. */
export function parseOptionsCell(text: string): OptionsCellCheck {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    raw = undefined;
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw))
    return { ok: false, reason: `bad options: not a JSON object: ${cut(text)}` };
  try {
    return { ok: true, cell: readCell(raw as Record<string, unknown>) };
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, reason: `bad options: ${error.message}` };
    throw error;
  }
}
