/**
 * The legally required foreign-agent label: it must stand at the beginning of every message
 * (or directly under the headline), in bold, never shortened, within Telegram's length limits.
 * A grammY API transformer feeds every outgoing text and caption through {@link applyLabel}.
 */
import { ELLIPSIS, fitHtmlMessage, shortenAtWordBoundary } from "./fit-text.ts";
import { escapeHtml, parseHtml } from "./html.ts";

export type ParseMode = "HTML" | "MarkdownV2" | "Markdown" | undefined;

export interface MessageEntity {
  type: string;
  offset: number;
  length: number;
  [k: string]: unknown;
}

export interface TextPayload {
  text: string;
  parseMode: ParseMode;
  entities?: MessageEntity[];
}

/** A stretch of visible text, in UTF-16 code units. */
interface Span {
  offset: number;
  length: number;
}

/** What Telegram will show: the visible text and where it is bold. */
interface Visible {
  text: string;
  bold: Span[];
  /**
   * Markup that hides, strikes, collapses or links (spoiler, strike, link, code, quote…). A label
   * that any of it touches may not be seen as a label, so it does not count as in place.
   */
  other: Span[];
}

/** Where the label stands in the visible text; the body starts one "\n" after `end`. */
interface Placement {
  start: number;
  end: number;
}

// Legacy Markdown can't escape inside an entity, so a label with these can't be bolded there.
const LEGACY_MARKDOWN_SPECIALS = /[*_`[]/;
const MARKDOWN_V2_SPECIALS = /[_*[\]()~`>#+\-=|{}.!\\]/g;

// Entity types whose meaning is their exact content; a clipped one is invalid or wrong.
const CLIPPABLE_ENTITY_TYPES = new Set([
  "bold",
  "italic",
  "underline",
  "strikethrough",
  "spoiler",
  "code",
  "pre",
  "text_link",
  "text_mention",
  "blockquote",
  "expandable_blockquote",
]);

/**
 * The parse mode Telegram will apply. It reads `parse_mode` without regard to (ASCII) case and
 * takes "" and "none" as no mode; any other value it refuses, and so does this (RangeError):
 * the label's place can only be checked in a mode this file reads.
 */
export function normaliseParseMode(raw: unknown): ParseMode {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== "string") throw new RangeError(`parse_mode must be a string, not ${typeof raw}`);
  switch (raw.replace(/[A-Z]/g, (c) => c.toLowerCase())) {
    case "":
    case "none":
      return undefined;
    case "html":
      return "HTML";
    case "markdownv2":
      return "MarkdownV2";
    case "markdown":
      return "Markdown";
    default:
      throw new RangeError(`unknown parse_mode "${raw}"`);
  }
}

/**
 * The bot's description (plain text, shown to a reader before their first message) carries the
 * label when it opens with it verbatim, alone on its first line.
 */
export function descriptionCarriesLabel(description: string, label: string): boolean {
  return label.trim() !== "" && (description === label || description.startsWith(`${label}\n`));
}

/** Escapes text for Telegram MarkdownV2 so that it shows verbatim. */
export function escapeMarkdownV2(s: string): string {
  return s.replace(MARKDOWN_V2_SPECIALS, (c) => `\\${c}`);
}

/** The text Telegram will show for this payload (markup parsed away). */
export function visibleTextOf(p: TextPayload): string {
  return parseVisible(p).text;
}

/**
 * True when the label already stands in place: as the whole first visible line, or as the
 * whole second one under a headline, and in bold covering exactly the label.
 */
export function hasLabelInPlace(p: TextPayload, label: string): boolean {
  return findPlacement(parseVisible(p), label) !== undefined;
}

/**
 * Returns the payload with the label applied, within `limit` visible UTF-16 code units.
 * Only the body is ever shortened; throws RangeError for a blank label and when the label
 * (with its headline, if it stands under one) cannot fit at all.
 */
export function applyLabel(p: TextPayload, label: string, limit: number): TextPayload {
  assertLabelFits(label, limit);
  const visible = parseVisible(p);
  const placement = findPlacement(visible, label);
  if (placement !== undefined) return fitInPlace(p, visible, placement, limit);
  if (p.text.trim() === "") return labelOnly(p, label);
  if (p.parseMode === "Markdown" && LEGACY_MARKDOWN_SPECIALS.test(label)) {
    // Formatting is lost here, but the label itself stays verbatim and bold.
    return applyLabel({ text: escapeHtml(visible.text), parseMode: "HTML" }, label, limit);
  }
  return prependLabel(p, visible, label, limit);
}

function assertLabelFits(label: string, limit: number): void {
  if (label.trim() === "") throw new RangeError("The foreign-agent label must not be empty");
  if (label.length > limit) {
    throw new RangeError(
      `The foreign-agent label is ${label.length} characters, over the message limit of ${limit}; it must never be shortened`,
    );
  }
}

function hasEntities(p: TextPayload): p is TextPayload & { entities: MessageEntity[] } {
  return p.parseMode === undefined && p.entities !== undefined && p.entities.length > 0;
}

function parseVisible(p: TextPayload): Visible {
  switch (p.parseMode) {
    case "HTML": {
      const { text, elements } = parseHtml(p.text);
      return {
        text,
        bold: elements.filter((e) => isBoldTag(e.tag)),
        other: elements.filter((e) => HIDING_TAGS.has(e.tag)),
      };
    }
    case "MarkdownV2":
      return parseMarkdownV2(p.text);
    case "Markdown":
      return parseLegacyMarkdown(p.text);
    default:
      return {
        text: p.text,
        bold: (p.entities ?? []).filter((e) => e.type === "bold"),
        other: (p.entities ?? []).filter((e) => HIDING_ENTITIES.has(e.type)),
      };
  }
}

// Markup that hides, strikes, collapses or links what it covers; italics and underline only style it.
const HIDING_TAGS = new Set([
  "tg-spoiler",
  "span",
  "s",
  "strike",
  "del",
  "a",
  "code",
  "pre",
  "blockquote",
  "tg-emoji",
]);
const HIDING_ENTITIES = new Set([
  "spoiler",
  "strikethrough",
  "text_link",
  "url",
  "text_mention",
  "mention",
  "code",
  "pre",
  "blockquote",
  "expandable_blockquote",
  "custom_emoji",
]);

function isBoldTag(tag: string): boolean {
  return tag === "b" || tag === "strong";
}

function findPlacement(visible: Visible, label: string): Placement | undefined {
  if (label === "") return undefined;
  const firstBreak = visible.text.indexOf("\n");
  const starts = firstBreak < 0 ? [0] : [0, firstBreak + 1];
  for (const start of starts) {
    if (labelStandsAt(visible, label, start)) return { start, end: start + label.length };
  }
  return undefined;
}

function labelStandsAt(visible: Visible, label: string, start: number): boolean {
  const end = start + label.length;
  const { text } = visible;
  if (!text.startsWith(label, start)) return false;
  if (end !== text.length && text.charAt(end) !== "\n") return false;
  const overlaps = (span: Span) => span.offset < end && span.offset + span.length > start;
  return (
    visible.bold.some((b) => b.offset === start && b.length === label.length) && !visible.other.some(overlaps)
  );
}

function fitInPlace(p: TextPayload, visible: Visible, placement: Placement, limit: number): TextPayload {
  if (visible.text.length <= limit) return { ...p };
  const headLength = placement.end;
  if (headLength > limit) {
    throw new RangeError(
      `The headline and foreign-agent label are ${headLength} characters, over the message limit of ${limit}; neither may be shortened`,
    );
  }
  if (hasEntities(p)) return shortenEntityBody(p.text, p.entities, placement.end + 1, limit);
  return {
    text: fitHtmlMessage(
      { head: htmlHeadOf(p, visible, placement), body: visible.text.slice(placement.end + 1), tail: "" },
      limit,
    ),
    parseMode: "HTML",
  };
}

/**
 * The HTML for everything up to the end of the label. HTML keeps its own markup when the
 * label's <b> stands at the top level (so the headline keeps its formatting); otherwise the
 * head is rebuilt from the visible text.
 */
function htmlHeadOf(p: TextPayload, visible: Visible, placement: Placement): string {
  if (p.parseMode === "HTML") {
    const labelElement = parseHtml(p.text).elements.find(
      (e) =>
        isBoldTag(e.tag) &&
        e.depth === 0 &&
        e.offset === placement.start &&
        e.length === placement.end - placement.start,
    );
    if (labelElement !== undefined) return p.text.slice(0, labelElement.rawEnd);
  }
  const headline = visible.text.slice(0, placement.start);
  return `${escapeHtml(headline)}${boldHtml(visible.text.slice(placement.start, placement.end))}`;
}

function labelOnly(p: TextPayload, label: string): TextPayload {
  if (hasEntities(p)) return { text: label, parseMode: undefined, entities: [boldEntity(label)] };
  if (p.parseMode === "MarkdownV2") return { text: `*${escapeMarkdownV2(label)}*`, parseMode: "MarkdownV2" };
  if (p.parseMode === "Markdown" && !LEGACY_MARKDOWN_SPECIALS.test(label)) {
    return { text: `*${label}*`, parseMode: "Markdown" };
  }
  return { text: boldHtml(label), parseMode: "HTML" };
}

function prependLabel(p: TextPayload, visible: Visible, label: string, limit: number): TextPayload {
  if (hasEntities(p)) {
    const bodyStart = label.length + 1;
    const entities = [boldEntity(label), ...p.entities.map((e) => ({ ...e, offset: e.offset + bodyStart }))];
    const text = `${label}\n${p.text}`;
    return text.length <= limit
      ? { text, parseMode: undefined, entities }
      : shortenEntityBody(text, entities, bodyStart, limit);
  }
  const fits = label.length + 1 + visible.text.length <= limit;
  if (!fits) {
    // Shortening works on visible text, so an over-long body loses its formatting (and a
    // Markdown message becomes HTML); the label stays verbatim and bold, which is what matters.
    return {
      text: fitHtmlMessage({ head: boldHtml(label), body: visible.text, tail: "" }, limit),
      parseMode: "HTML",
    };
  }
  switch (p.parseMode) {
    case "HTML":
      return { text: `${boldHtml(label)}\n${p.text}`, parseMode: "HTML" };
    case "MarkdownV2":
      return { text: `*${escapeMarkdownV2(label)}*\n${p.text}`, parseMode: "MarkdownV2" };
    case "Markdown":
      return { text: `*${label}*\n${p.text}`, parseMode: "Markdown" };
    default:
      return { text: `${boldHtml(label)}\n${escapeHtml(p.text)}`, parseMode: "HTML" };
  }
}

function boldHtml(label: string): string {
  return `<b>${escapeHtml(label)}</b>`;
}

function boldEntity(label: string): MessageEntity {
  return { type: "bold", offset: 0, length: label.length };
}

/**
 * Shortens the plain text after `bodyStart` (the head before it stays intact) and clips the
 * entities to what is left. Drops the body entirely when only "…" would remain of it.
 */
function shortenEntityBody(
  text: string,
  entities: readonly MessageEntity[],
  bodyStart: number,
  limit: number,
): TextPayload {
  const shortened = shortenAtWordBoundary(text.slice(bodyStart), limit - bodyStart);
  const kept = shortened.endsWith(ELLIPSIS) ? shortened.length - ELLIPSIS.length : shortened.length;
  if (kept === 0) {
    const head = text.slice(0, bodyStart - 1);
    return { text: head, parseMode: undefined, entities: clipEntities(entities, head.length) };
  }
  return {
    text: text.slice(0, bodyStart) + shortened,
    parseMode: undefined,
    entities: clipEntities(entities, bodyStart + kept),
  };
}

function clipEntities(entities: readonly MessageEntity[], cut: number): MessageEntity[] {
  const clipped: MessageEntity[] = [];
  for (const e of entities) {
    const end = e.offset + e.length;
    if (end <= cut) clipped.push(e);
    else if (e.offset < cut && CLIPPABLE_ENTITY_TYPES.has(e.type))
      clipped.push({ ...e, length: cut - e.offset });
  }
  return clipped;
}

/**
 * Reads MarkdownV2 the way Telegram shows it: backslash escapes resolved, markup characters
 * dropped, link targets skipped, code kept literally. Lenient where Telegram would reject,
 * because we only need the visible text and the bold spans.
 */
function parseMarkdownV2(src: string): Visible {
  let text = "";
  const bold: Span[] = [];
  const other: Span[] = [];
  let boldStart: number | undefined;
  // Toggled markup other than bold: where each kind opened, if it is open.
  const open = new Map<string, number>();
  const toggle = (mark: string) => {
    const at = open.get(mark);
    if (at === undefined) open.set(mark, text.length);
    else {
      other.push({ offset: at, length: text.length - at });
      open.delete(mark);
    }
  };
  let linkStart: number | undefined;
  // Like Telegram, a ">" opens a quote wherever nothing visible precedes it on its line, markup
  // aside: so "**>" (an empty bold, then ">") opens the collapsed quote Telegram documents.
  let atLineStart = true;
  let quoteStart: number | undefined;
  const endQuote = () => {
    if (quoteStart !== undefined) other.push({ offset: quoteStart, length: text.length - quoteStart });
    quoteStart = undefined;
  };
  const show = (s: string) => {
    text += s;
    const last = s.at(-1);
    if (last !== undefined && last !== "\r") atLineStart = last === "\n";
  };
  let i = 0;
  while (i < src.length) {
    const c = src.charAt(i);
    const next = src.charAt(i + 1);
    if (c === "\\" && isMarkdownV2Escapable(next)) {
      show(next);
      i += 2;
    } else if (c === "\n") {
      show(c);
      // A quote goes on while its next line starts with ">" too.
      if (next !== ">") endQuote();
      i += 1;
    } else if (c === "`") {
      const start = text.length;
      const code = readCode(src, i, src.startsWith("```", i) ? "```" : "`", true);
      show(code.content);
      other.push({ offset: start, length: text.length - start });
      i = code.next;
    } else if (c === "*") {
      if (boldStart === undefined) boldStart = text.length;
      else {
        bold.push({ offset: boldStart, length: text.length - boldStart });
        boldStart = undefined;
      }
      i += 1;
    } else if (c === "|" && next === "|") {
      const atLineEnd = i + 2 === src.length || src.charAt(i + 2) === "\n";
      // "||" ending a quoted line with no spoiler open is the mark that collapses the quote.
      if (!(quoteStart !== undefined && atLineEnd && !open.has("||"))) toggle("||");
      i += 2;
    } else if (c === "~") {
      toggle(c);
      i += 1;
    } else if (c === "_") {
      i += 1;
    } else if (c === "[" || (c === "!" && next === "[")) {
      linkStart = text.length;
      i += c === "!" ? 2 : 1;
    } else if (c === "]" && next === "(") {
      if (linkStart !== undefined) other.push({ offset: linkStart, length: text.length - linkStart });
      linkStart = undefined;
      i = skipLinkTarget(src, i + 2);
    } else if (c === ">" && atLineStart) {
      quoteStart ??= text.length;
      i += 1;
    } else if ("|[]>".includes(c)) {
      i += 1;
    } else {
      show(c);
      i += 1;
    }
  }
  endQuote();
  // Markup left open runs to the end.
  for (const at of open.values()) other.push({ offset: at, length: text.length - at });
  return { text, bold, other };
}

// Telegram resolves a backslash only before an ASCII character; before any other it is shown.
function isMarkdownV2Escapable(c: string): boolean {
  const code = c.charCodeAt(0);
  return code > 0 && code <= 126;
}

/**
 * Reads legacy Markdown: *bold*, _italic_, `code`, ```pre```, [text](url). Entities don't
 * nest there, so inside one everything but its closing character is literal.
 */
function parseLegacyMarkdown(src: string): Visible {
  let text = "";
  const bold: Span[] = [];
  const other: Span[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src.charAt(i);
    const next = src.charAt(i + 1);
    if (c === "\\" && next !== "" && "_*`[".includes(next)) {
      text += next;
      i += 2;
    } else if (c === "`") {
      const start = text.length;
      const code = readCode(src, i, src.startsWith("```", i) ? "```" : "`", false);
      text += code.content;
      other.push({ offset: start, length: text.length - start });
      i = code.next;
    } else if (c === "*" || c === "_") {
      const close = src.indexOf(c, i + 1);
      if (close < 0) {
        text += c;
        i += 1;
        continue;
      }
      if (c === "*") bold.push({ offset: text.length, length: close - i - 1 });
      text += src.slice(i + 1, close);
      i = close + 1;
    } else if (c === "[") {
      const start = text.length;
      const link = readLegacyLink(src, i);
      text += link.content;
      other.push({ offset: start, length: text.length - start });
      i = link.next;
    } else {
      text += c;
      i += 1;
    }
  }
  return { text, bold, other };
}

function readLegacyLink(src: string, start: number): { content: string; next: number } {
  const closeBracket = src.indexOf("]", start + 1);
  const closeParen = closeBracket < 0 ? -1 : src.indexOf(")", closeBracket);
  if (closeBracket < 0 || src.charAt(closeBracket + 1) !== "(" || closeParen < 0) {
    return { content: "[", next: start + 1 };
  }
  return { content: src.slice(start + 1, closeBracket), next: closeParen + 1 };
}

/** Reads code or pre starting at `start`; an unclosed one runs to the end of the text. */
function readCode(
  src: string,
  start: number,
  fence: string,
  backslashEscapes: boolean,
): { content: string; next: number } {
  let content = "";
  let j = start + fence.length;
  while (j < src.length && !src.startsWith(fence, j)) {
    if (backslashEscapes && src.charAt(j) === "\\" && j + 1 < src.length) {
      content += src.charAt(j + 1);
      j += 2;
    } else {
      content += src.charAt(j);
      j += 1;
    }
  }
  const next = Math.min(j + fence.length, src.length);
  return { content: fence === "```" ? withoutLanguageLine(content) : content, next };
}

// "```python\ncode```": the first line names the language and is not shown.
function withoutLanguageLine(content: string): string {
  const lineEnd = content.indexOf("\n");
  if (lineEnd < 0) return content;
  return /^[^\s`]*$/.test(content.slice(0, lineEnd)) ? content.slice(lineEnd + 1) : content;
}

function skipLinkTarget(src: string, start: number): number {
  let j = start;
  while (j < src.length && src.charAt(j) !== ")") j += src.charAt(j) === "\\" ? 2 : 1;
  return Math.min(j + 1, src.length);
}
