/**
 * A digest: the articles held for a chat (quiet hours, a mute, digest mode) as one message, or
 * several when one would pass Telegram's 4096. Every part opens with the label in bold, as the
 * label transformer wants it, then the title; one line per article, newest first.
 */

import type { DateTime } from "luxon";
import { clockTime, dayAndTime } from "./clock.ts";
import { escapeHtml } from "./html.ts";
import { TEXT_LIMIT } from "./label.ts";
import { packLines } from "./message-chunks.ts";

export interface DigestItem {
  seq: number;
  headline: string;
  url: string;
  breaking: boolean;
  at: DateTime;
  /** The article's "Read here" link (t.me/<bot>?start=read-<id>), when it has a text to read. */
  readUrl?: string;
}
export interface DigestWords {
  title: string;
  more: (n: number) => string;
  fellOut: (n: number) => string;
  /** A luxon format for the time; default the language's time of day (clock.ts), with the date for articles of another day. */
  timeFormat?: string;
}

/** A line stays short whatever a feed sends, so that every part is sure to fit. */
const MAX_HEADLINE = 300;

/** Articles listed by name; past this a line says how many more there are. */
export const DIGEST_MAX_LINES = 50;

/**
 * One or more HTML messages (Telegram HTML parse mode), each starting with `label` and ≤ 4096
 * characters (UTF-16 units, after entity parsing, as Telegram counts); newest first; one line per
 * article: 🔴 if breaking, the headline as a link, the time in `zone`; past 50 articles a line
 * says how many more (`more` adds to them: one message of a digest rendered again, whose
 * "more" line counted articles it does not list); `fellOut` > 0 says that many older ones fell
 * out (the 200 cap).
 */
export function renderDigest(
  items: readonly DigestItem[],
  opts: {
    label: string;
    zone: string;
    lang: "ru" | "en";
    fellOut: number;
    words: DigestWords;
    more?: number;
  },
): string[] {
  const { label, zone, lang, words } = opts;
  const newestFirst = [...items].sort((a, b) => b.at.toMillis() - a.at.toMillis() || b.seq - a.seq);
  const shown = newestFirst.slice(0, DIGEST_MAX_LINES);
  const today = shown[0]?.at.setZone(zone);
  const lines = shown.map((item) => digestLine(item, zone, lang, words, today));
  const more = newestFirst.length - shown.length + (opts.more ?? 0);
  if (more > 0) lines.push(escapeHtml(words.more(more)));
  if (opts.fellOut > 0) lines.push(escapeHtml(words.fellOut(opts.fellOut)));
  const head = `<b>${escapeHtml(label)}</b>\n<b>${escapeHtml(words.title)}</b>`;
  // What the head and its line break take of each part's 4096.
  const budget = TEXT_LIMIT - label.length - 1 - words.title.length - 1;
  if (budget <= 0) throw new RangeError("The label and the digest's title leave no room for its lines");
  return packLines(lines, budget).map((body) => `${head}\n${body}`);
}

function digestLine(
  item: DigestItem,
  zone: string,
  lang: string,
  words: DigestWords,
  today?: DateTime,
): string {
  const local = item.at.setZone(zone).setLocale(lang);
  const when = words.timeFormat
    ? local.toFormat(words.timeFormat)
    : today !== undefined && local.hasSame(today, "day")
      ? clockTime(local, lang)
      : dayAndTime(local, lang);
  // One line per article: a line break inside a headline would read as two articles.
  const oneLine = item.headline.replace(/\s+/g, " ").trim();
  const headline = shorten(oneLine === "" ? item.url : oneLine, MAX_HEADLINE);
  const link = `<a href="${escapeHtml(item.url)}">${escapeHtml(headline)}</a>`;
  const read = item.readUrl === undefined ? "" : ` · <a href="${escapeHtml(item.readUrl)}">📖</a>`;
  return `${item.breaking ? "🔴 " : ""}${link} · ${escapeHtml(when)}${read}`;
}

function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  // Code points, so that an emoji is never cut in half.
  let out = "";
  for (const ch of text) {
    if (out.length + ch.length > max - 1) break;
    out += ch;
  }
  return `${out.trimEnd()}…`;
}
