/**
 * Telegram's "MarkdownV2" and legacy "Markdown" parse modes: escaping, and reading a text the way
 * Telegram shows it (the visible text, where it is bold, and the markup that hides, strikes,
 * collapses or links). The counterpart of html.ts for the Markdown modes.
 */
import type { Span, Visible } from "./entities.ts";

const MARKDOWN_V2_SPECIALS = /[_*[\]()~`>#+\-=|{}.!\\]/g;
const LEGACY_MARKDOWN_SPECIALS = /[*_`[]/;

/** Escapes text for Telegram MarkdownV2 so that it shows verbatim. */
export function escapeMarkdownV2(s: string): string {
  return s.replace(MARKDOWN_V2_SPECIALS, (c) => `\\${c}`);
}

/**
 * Whether `text` can be bolded in legacy Markdown: that mode can't escape inside an entity, so
 * text with any of * _ ` [ can't stand between the asterisks.
 */
export function boldableInLegacyMarkdown(text: string): boolean {
  return !LEGACY_MARKDOWN_SPECIALS.test(text);
}

/**
 * Reads MarkdownV2 the way Telegram shows it: backslash escapes resolved, markup characters
 * dropped, link targets skipped, code kept literally. Lenient where Telegram would reject,
 * because we only need the visible text and the bold spans.
 */
export function parseMarkdownV2(src: string): Visible {
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
export function parseLegacyMarkdown(src: string): Visible {
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
