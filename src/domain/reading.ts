/**
 * "Read here": an article's cleaned full text as messages a reader can read inside Telegram.
 * The first opens with the headline and the label under it, every other with the label; each is at
 * most 4096 characters as Telegram counts them; the last ends with the link and the date. The text
 * is split at a paragraph, else a sentence, else a word; never inside a link; markup open at a
 * split is closed at the end of one part and opened again at the start of the next.
 */
import { localTime, type Reader } from "./alert.ts";
import type { Article } from "./article.ts";
import { escapeHtml, visibleLength } from "./html.ts";
import { TEXT_LIMIT } from "./label.ts";

export type ReadingArticle = Pick<Article, "headline" | "url" | "publishedAt" | "breaking">;

/** One visible character of the text, with the markup just before it. */
interface Cell {
  /** Tags (opening or closing) between the previous character and this one. */
  markup: string;
  /** The character as HTML (escaped where needed). */
  html: string;
  /** The character itself. */
  ch: string;
  /** UTF-16 units: what Telegram counts. */
  units: number;
  /** The opening tags in effect at this character, outermost first. */
  open: readonly string[];
  inLink: boolean;
}

const TOKEN = /<(\/?)([a-z-]+)[^>]*>|&(amp|lt|gt|quot);|[^<&]+|[<&]/g;
const ENTITY_TEXT: Readonly<Record<string, string>> = { amp: "&", lt: "<", gt: ">", quot: '"' };

/** Cells of Telegram HTML as cleanArticleBody writes it (well formed), and the markup after the last one. */
function cellsOf(html: string): { cells: Cell[]; rest: string } {
  const cells: Cell[] = [];
  let open: string[] = [];
  let markup = "";
  for (const m of html.matchAll(TOKEN)) {
    const [whole, closing, tag, entity] = m;
    if (tag !== undefined) {
      markup += whole;
      // A fresh list per change: cells share the list of the markup in effect for them.
      if (closing === "/") {
        const at = lastOpened(open, tag);
        open = at < 0 ? open : open.slice(0, at);
      } else open = [...open, whole];
      continue;
    }
    if (entity !== undefined) {
      cells.push(cell(markup, whole, ENTITY_TEXT[entity] ?? "", open));
      markup = "";
      continue;
    }
    for (const ch of whole) {
      cells.push(cell(markup, escapeHtml(ch), ch, open));
      markup = "";
    }
  }
  return { cells, rest: markup };
}

function lastOpened(open: readonly string[], tag: string): number {
  for (let i = open.length - 1; i >= 0; i--) {
    const o = open[i] ?? "";
    if (o.startsWith(`<${tag}`) && /[\s>]/.test(o[tag.length + 1] ?? "")) return i;
  }
  return -1;
}

function cell(markup: string, html: string, ch: string, open: readonly string[]): Cell {
  return { markup, html, ch, units: ch.length, open, inLink: open.some((o) => o.startsWith("<a ")) };
}

function closeAll(open: readonly string[]): string {
  return open
    .map((o) => `</${/^<([a-z-]+)/.exec(o)?.[1] ?? ""}>`)
    .reverse()
    .join("");
}

const isSpace = (c: Cell | undefined) => c !== undefined && /\s/.test(c.ch);
const SENTENCE_END = /[.!?…»"”)]/;

/**
 * Where the next part may start, from the best kind of break to the worst: after a blank line,
 * after a line break, after a sentence, after a word. Never inside a link.
 */
function breakRank(cells: readonly Cell[], k: number): number {
  const before = cells[k - 1];
  const at = cells[k];
  if (!before || !at || (before.inLink && at.inLink)) return 0;
  if (before.ch === "\n" && cells[k - 2]?.ch === "\n") return 4;
  if (before.ch === "\n") return 3;
  if (isSpace(before) && SENTENCE_END.test(cells[k - 2]?.ch ?? "")) return 2;
  if (isSpace(before)) return 1;
  return 0;
}

/**
 * The start of the next part, for a part from `start` that can hold cells up to `end` (exclusive):
 * the best break in the second half of that room, else the last word break, else `end` itself
 * (moved before a link it would cut, when the link does not fill the room alone).
 */
function breakAt(cells: readonly Cell[], start: number, end: number): number {
  const half = start + Math.floor((end - start) / 2);
  for (let rank = 4; rank >= 1; rank--) {
    const from = rank === 1 ? start + 1 : half;
    for (let k = end; k > from; k--) if (breakRank(cells, k) >= rank) return k;
  }
  let k = end;
  while (k > start + 1 && cells[k - 1]?.inLink && cells[k]?.inLink) k--;
  if (k > start + 1) return k;
  // A character never splits from its surrogate half: cells are whole code points.
  return end;
}

/** Splits `text` into bodies, the first `firstRoom` and the others `room` units long, the last leaving `tailUnits` free. */
function splitText(text: string, firstRoom: number, room: number, tailUnits: number): string[] {
  const { cells, rest } = cellsOf(text);
  const bodies: string[] = [];
  let start = 0;
  let carried: readonly string[] = [];
  for (;;) {
    let lead = "";
    // A part never opens with blank lines: the markup they carried still goes first.
    while (isSpace(cells[start])) lead += cells[start++]?.markup ?? "";
    const budget = bodies.length === 0 ? firstRoom : room;
    const end = fitEnd(cells, start, budget);
    const reopen = carried.join("") + lead;
    // The rest fits: it is the last part if the tail fits after it too, else it breaks before the
    // tail's room and the last part is one more, however short.
    const endWithTail = end >= cells.length ? fitEnd(cells, start, budget - tailUnits) : end;
    if (endWithTail >= cells.length) {
      bodies.push(reopen + slice(cells, start, cells.length) + rest);
      return bodies;
    }
    const next = breakAt(cells, start, endWithTail);
    let last = next;
    while (last > start && isSpace(cells[last - 1])) last--;
    const open = cells[last - 1]?.open ?? carried;
    bodies.push(reopen + slice(cells, start, last) + closeAll(open));
    // Markup between the kept text and the break (a closing tag after trailing spaces) is redone by reopening.
    carried = cells[next - 1]?.open ?? open;
    start = next;
    if (start >= cells.length) {
      bodies.push(closeAll([]));
      return bodies;
    }
  }
}

/** Where the cells from `start` that fit in `room` units end (exclusive). */
function fitEnd(cells: readonly Cell[], start: number, room: number): number {
  let units = 0;
  let end = start;
  while (end < cells.length && units + (cells[end]?.units ?? 0) <= room) units += cells[end++]?.units ?? 0;
  return end;
}

function slice(cells: readonly Cell[], from: number, to: number): string {
  let html = "";
  for (let i = from; i < to; i++) {
    const c = cells[i];
    if (c) html += c.markup + c.html;
  }
  return html;
}

export interface ReadingWords {
  /** The link to the article on the site (through its mirror): "Читать на сайте". */
  onSite: string;
}

/** The headline as the first part and the picture's caption show it. */
function headlineLine(article: ReadingArticle): string {
  return `${article.breaking ? "🔴 " : ""}<b>${escapeHtml(article.headline)}</b>`;
}

/**
 * The messages of one reading, in order: the first opens with the headline and the label under
 * it, every other with the label; each at most `limit` units; the last ends with the link and
 * the date in the reader's zone and language. `text` is cleaned HTML (cleanArticleBody), links
 * already through the mirrors, as `article.url` is.
 */
export function renderReading(
  article: ReadingArticle,
  text: string,
  reader: Reader,
  label: string,
  words: ReadingWords,
  limit: number = TEXT_LIMIT,
): string[] {
  const labelLine = `<b>${escapeHtml(label)}</b>`;
  const firstHead = `${headlineLine(article)}\n${labelLine}\n`;
  const head = `${labelLine}\n`;
  const tail = `<a href="${escapeHtml(article.url)}">${escapeHtml(words.onSite)}</a> · ${escapeHtml(localTime(article.publishedAt, reader))}`;
  const firstRoom = limit - visibleLength(firstHead);
  const room = limit - visibleLength(head);
  const tailUnits = visibleLength(tail) + 2;
  if (firstRoom < tailUnits || room < tailUnits) {
    throw new RangeError("The headline, the label and the link leave no room for the text");
  }
  const bodies = text.trim() === "" ? [""] : splitText(text, firstRoom, room, tailUnits);
  return bodies.map((body, i) => {
    const isLast = i === bodies.length - 1;
    const end = isLast ? `${body === "" ? "" : "\n\n"}${tail}` : "";
    return `${i === 0 ? firstHead : head}${body}${end}`;
  });
}

/** The lead picture's caption: the headline and the label under it. Undefined past `limit`. */
export function readingCaption(article: ReadingArticle, label: string, limit: number): string | undefined {
  const caption = `${headlineLine(article)}\n<b>${escapeHtml(label)}</b>`;
  return visibleLength(caption) <= limit ? caption : undefined;
}
