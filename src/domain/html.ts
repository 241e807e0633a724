/**
 * Telegram "HTML" parse mode helpers.
 *
 * Telegram's limits are counted on the text that remains after it parses the markup, so every
 * length decision in the bot has to be made on the visible text, not on the raw HTML.
 */

/** An element found by {@link parseHtml}, positioned both in the visible text and in the raw HTML. */
export interface HtmlElement {
  /** Lower-cased tag name, e.g. "b", "a", "tg-spoiler". */
  tag: string;
  /** Start in the visible text, in UTF-16 code units. */
  offset: number;
  /** Visible length, in UTF-16 code units. */
  length: number;
  /** Index of the opening tag's "<" in the raw HTML. */
  rawStart: number;
  /** Index just past the closing tag's ">" in the raw HTML. */
  rawEnd: number;
  /** How many elements were still open around this one; 0 means top level. */
  depth: number;
}

export interface ParsedHtml {
  /** The visible text: tags removed, entities decoded. */
  text: string;
  /** Closed elements, in the order their closing tags appear. */
  elements: HtmlElement[];
}

const ESCAPES: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" };
const NAMED_ENTITIES: Readonly<Record<string, string>> = { lt: "<", gt: ">", amp: "&", quot: '"' };

// Attributes exclude "<" so that a run of stray "<" can't make the scan quadratic.
const TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)([^<>]*)>/g;
// Telegram supports only these four named entities plus every numeric one.
const ENTITY = /&(?:#(\d+)|#[xX]([0-9a-fA-F]+)|(lt|gt|amp|quot));/g;
const REPLACEMENT_CHARACTER = "\uFFFD";

/** Escapes text for Telegram HTML so that it shows verbatim. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ESCAPES[c] ?? c);
}

/** The visible text of Telegram HTML. */
export function htmlToPlain(html: string): string {
  return parseHtml(html).text;
}

/** Length Telegram checks against its limits: UTF-16 code units of the visible text. */
export function visibleLength(html: string): number {
  return htmlToPlain(html).length;
}

/**
 * Parses Telegram HTML into visible text plus the elements that were opened and closed.
 * Lenient like a reader, not strict like Telegram: unmatched closing tags are ignored and
 * elements never closed are dropped, because callers only need positions of well-formed parts.
 */
export function parseHtml(html: string): ParsedHtml {
  let text = "";
  const elements: HtmlElement[] = [];
  const open: { tag: string; offset: number; rawStart: number }[] = [];
  let last = 0;
  for (const m of html.matchAll(TAG)) {
    text += decodeEntities(html.slice(last, m.index));
    last = m.index + m[0].length;
    const tag = (m[2] ?? "").toLowerCase();
    if (m[1] !== "/") {
      open.push({ tag, offset: text.length, rawStart: m.index });
      continue;
    }
    const depth = lastIndexOfTag(open, tag);
    const opened = open[depth];
    if (opened === undefined) continue;
    // Closing an outer element implicitly closes whatever was left open inside it.
    open.length = depth;
    elements.push({
      tag,
      offset: opened.offset,
      length: text.length - opened.offset,
      rawStart: opened.rawStart,
      rawEnd: last,
      depth,
    });
  }
  text += decodeEntities(html.slice(last));
  return { text, elements };
}

function lastIndexOfTag(open: readonly { tag: string }[], tag: string): number {
  for (let i = open.length - 1; i >= 0; i--) {
    if (open[i]?.tag === tag) return i;
  }
  return -1;
}

// Single pass, so "&amp;lt;" becomes "&lt;" and not "<".
function decodeEntities(s: string): string {
  if (!s.includes("&")) return s;
  return s.replace(ENTITY, (whole, dec?: string, hex?: string, name?: string) => {
    if (name !== undefined) return NAMED_ENTITIES[name] ?? whole;
    const codePoint = dec !== undefined ? Number.parseInt(dec, 10) : Number.parseInt(hex ?? "", 16);
    return codePointToString(codePoint) ?? whole;
  });
}

function codePointToString(codePoint: number): string | undefined {
  if (!Number.isSafeInteger(codePoint) || codePoint <= 0 || codePoint > 0x10ffff) return undefined;
  // A lone surrogate would corrupt every string it is joined to; it still counts one unit.
  if (codePoint >= 0xd800 && codePoint <= 0xdfff) return REPLACEMENT_CHARACTER;
  return String.fromCodePoint(codePoint);
}
