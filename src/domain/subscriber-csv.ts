import { parse as parseCsv } from "csv-parse/sync";
import type { CatalogState } from "./catalog.ts";
import type { ChatKind, ChatSettings, Editions } from "./chat.ts";
import { isLanguage, type Language } from "./language.ts";
import { isDefaultReaderOptions } from "./reader-options.ts";
import { formatOptionsCell, type OptionsCell, parseOptionsCell } from "./subscriber-options.ts";
import { isValidTimeZone } from "./time-zone.ts";

/**
 * The subscriber CSV: `chat_id,slug;slug[,lang[,editions[,time_zone[,active[,options]]]]]`. The
 * first two columns are the contract with other systems; the optional ones make an export a full
 * backup. `options` is a JSON object (subscriber-options.ts): the reader's options, a forum
 * topic, a channel's kind. Only that cell can hold a comma or a quote, and an export quotes it
 * then, as RFC 4180 says; files from elsewhere (a spreadsheet) may quote any field, and are read
 * as CSV, one record per line. Files from before the column import as they always did.
 */
export const SUBSCRIBER_CSV_HEADER = "chat_id,slugs,lang,editions,time_zone,active,options";

const MIN_COLUMNS = 2;
const MAX_COLUMNS = 7;
// Telegram ids fit in 52 bits; groups and channels are negative.
const CHAT_ID_PATTERN = /^-?[1-9]\d{0,15}$/;

/** One line of the file; an absent optional column leaves that setting alone. */
export interface SubscriberRow {
  chatId: number;
  slugs: string[];
  lang?: Language;
  editions?: Editions;
  timeZone?: string;
  active?: boolean;
  /** From a non-empty `options` cell: replaces the chat's options and topic (and kind, if given). */
  options?: OptionsCell;
}

export type SubscriberRecordCheck = { ok: true; row: SubscriberRow } | { ok: false; reason: string };

/** What a new chat gets for each setting its line leaves out. */
export interface ChatDefaults {
  lang: Language;
  timeZone: string;
}

export function parseChatId(field: string): number | undefined {
  if (!CHAT_ID_PATTERN.test(field)) return undefined;
  const id = Number(field);
  return Number.isSafeInteger(id) ? id : undefined;
}

/**
 * The fields of one line, trimmed, with CSV quoting honoured ("3110" is 3110); undefined when
 * its quoting is broken. A record never spans lines: no field can hold a line break, and a stray
 * quote then costs its own line instead of swallowing the lines after it.
 */
export function splitSubscriberLine(line: string): string[] | undefined {
  // Most lines have no quote: splitting them directly keeps a million-line import fast.
  if (!line.includes('"')) return line.split(",").map((field) => field.trim());
  try {
    const records = parseCsv(line, {
      trim: true,
      relax_column_count: true,
      record_delimiter: "\n",
    }) as string[][];
    return records.length === 1 ? records[0] : undefined;
  } catch {
    return undefined;
  }
}

/** Only the first record may be a header, recognised by a first field that is not a number. */
export function isHeaderRecord(fields: readonly string[]): boolean {
  return !/^-?\d+$/.test(fields[0] ?? "");
}

// Checking a zone builds an Intl formatter (milliseconds); a file has few distinct zones, so
// remembering the answers makes a million-line import cheap. Bounded against hostile input.
const zoneChecks = new Map<string, boolean>();
const ZONE_CACHE_MAX = 1000;

function isKnownTimeZone(zone: string): boolean {
  let valid = zoneChecks.get(zone);
  if (valid === undefined) {
    valid = isValidTimeZone(zone);
    if (zoneChecks.size < ZONE_CACHE_MAX) zoneChecks.set(zone, valid);
  }
  return valid;
}

// Exports write 1 and 0; spreadsheets and other systems write TRUE and false.
const ACTIVE_FLAGS = new Map([
  ["1", true],
  ["0", false],
  ["true", true],
  ["false", false],
]);

const isEditions = (v: string): v is Editions => isLanguage(v) || v === "both";

function checkSlugs(field: string, catalog: ReadonlyMap<string, CatalogState>): string[] | string {
  const slugs = [...new Set(field.split(";").map((s) => s.trim()))].filter((s) => s !== "");
  if (slugs.length === 0) return "no slugs";
  for (const slug of slugs) {
    const state = catalog.get(slug);
    // Archived slugs are taken: an export made after archiving must restore whole, and an
    // archived slug receives no articles anyway.
    if (state === undefined) return `unknown slug "${slug}"`;
  }
  return slugs;
}

/**
 * Checks one record (already split into trimmed fields) against the catalogue. A line is taken
 * whole or not at all, so a typo in one slug never leaves a chat half-subscribed.
 */
export function parseSubscriberRecord(
  fields: readonly string[],
  catalog: ReadonlyMap<string, CatalogState>,
): SubscriberRecordCheck {
  if (fields.length < MIN_COLUMNS || fields.length > MAX_COLUMNS) {
    return { ok: false, reason: `expected ${MIN_COLUMNS} to ${MAX_COLUMNS} columns, got ${fields.length}` };
  }
  const [idField = "", slugField = "", lang = "", editions = "", timeZone = "", active = "", options = ""] =
    fields;
  const chatId = parseChatId(idField);
  if (chatId === undefined) return { ok: false, reason: `bad chat id "${idField}"` };
  const slugs = checkSlugs(slugField, catalog);
  if (typeof slugs === "string") return { ok: false, reason: slugs };
  const row: SubscriberRow = { chatId, slugs };
  // An empty optional column means "not given", so `id,slugs,,,Europe/Berlin` sets only the zone.
  if (lang !== "") {
    if (!isLanguage(lang)) return { ok: false, reason: `bad language "${lang}" (ru or en)` };
    row.lang = lang;
  }
  if (editions !== "") {
    if (!isEditions(editions)) return { ok: false, reason: `bad editions "${editions}" (ru, en or both)` };
    row.editions = editions;
  }
  if (timeZone !== "") {
    if (!isKnownTimeZone(timeZone)) return { ok: false, reason: `bad time zone "${timeZone}"` };
    row.timeZone = timeZone;
  }
  if (active !== "") {
    const flag = ACTIVE_FLAGS.get(active.toLowerCase());
    if (flag === undefined) return { ok: false, reason: `bad active flag "${active}" (1, 0, true or false)` };
    row.active = flag;
  }
  if (options !== "") {
    const check = parseOptionsCell(options);
    if (!check.ok) return check;
    const kind = check.cell.kind;
    if (kind !== undefined && (kind === "private") !== chatId > 0)
      return {
        ok: false,
        reason: `bad options: kind "${kind}" for chat id ${chatId} (a ${chatId > 0 ? "private chat's id is positive" : "group's or channel's id is negative"})`,
      };
    row.options = check.cell;
  }
  return { ok: true, row };
}

/** A file carries no chat type; the sign of the id tells what matters (groups are rate-limited apart). */
export function chatKindForId(chatId: number): ChatKind {
  return chatId < 0 ? "group" : "private";
}

/**
 * The settings after importing `row`: a new chat starts from the defaults, an existing one keeps
 * what the row leaves out. An `options` cell is the whole of the chat's options and topic: what it
 * leaves out takes the defaults; a kind it leaves out stays (a new chat's follows its id's sign).
 */
export function applySubscriberRow(
  row: SubscriberRow,
  existing: ChatSettings | undefined,
  defaults: ChatDefaults,
): ChatSettings {
  if (existing) {
    const chat: ChatSettings = {
      ...existing,
      lang: row.lang ?? existing.lang,
      editions: row.editions ?? existing.editions,
      timeZone: row.timeZone ?? existing.timeZone,
      active: row.active ?? existing.active,
    };
    return row.options ? withOptionsCell(chat, row.options) : chat;
  }
  const lang = row.lang ?? defaults.lang;
  const chat: ChatSettings = {
    id: row.chatId,
    kind: chatKindForId(row.chatId),
    lang,
    editions: row.editions ?? lang,
    timeZone: row.timeZone ?? defaults.timeZone,
    active: row.active ?? true,
  };
  return row.options ? withOptionsCell(chat, row.options) : chat;
}

function withOptionsCell(chat: ChatSettings, cell: OptionsCell): ChatSettings {
  const next: ChatSettings = { ...chat, kind: cell.kind ?? chat.kind };
  delete next.threadId;
  delete next.options;
  if (cell.threadId !== undefined) next.threadId = cell.threadId;
  // Absent for the defaults, as the store reads them back.
  if (!isDefaultReaderOptions(cell.options)) next.options = cell.options;
  return next;
}

/**
 * One line of an export (no newline). Slugs are sorted so two exports of the same data are
 * byte-identical; a chat whose settings are missing gets empty columns, which import reads
 * as "use the defaults". A chat with all the default options gets `{}`, so that importing the
 * line over a chat whose reader changed them since puts them back as they were.
 */
export function formatSubscriberLine(
  chatId: number,
  slugs: readonly string[],
  chat: ChatSettings | undefined,
): string {
  const list = [...slugs].sort().join(";");
  if (!chat) return `${chatId},${list},,,,,`;
  const options = csvField(formatOptionsCell(chat, chatKindForId(chatId)));
  return `${chatId},${list},${chat.lang},${chat.editions},${chat.timeZone},${chat.active ? "1" : "0"},${options}`;
}

/** RFC 4180: a field with a comma or a quote is quoted, its quotes doubled; others are written bare. */
function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
