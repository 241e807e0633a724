import { badRequest } from "./api-error.ts";

export interface MessageEntity {
  type: string;
  offset: number;
  length: number;
  url?: string;
  language?: string;
  custom_emoji_id?: string;
}

// HTML parse_mode, following tdlib's parse_html closely enough to fail where Telegram fails.

const TAG_ENTITY: Record<string, string> = {
  b: "bold",
  strong: "bold",
  i: "italic",
  em: "italic",
  u: "underline",
  ins: "underline",
  s: "strikethrough",
  strike: "strikethrough",
  del: "strikethrough",
  a: "text_link",
  code: "code",
  pre: "pre",
  "tg-spoiler": "spoiler",
  span: "spoiler",
  blockquote: "blockquote",
  "tg-emoji": "custom_emoji",
};
const NAMED_ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"' };
const ENTITY_RE = /&(?:#(\d{1,8})|#[xX]([0-9a-fA-F]{1,8})|([a-zA-Z]+));/y;

interface OpenTag {
  tag: string;
  start: number;
  attrs: Record<string, string>;
  language?: string;
}

/** Where the parser is: `i` indexes `html`, `text` is the visible text so far. */
interface ParseState {
  html: string;
  i: number;
  text: string;
  open: OpenTag[];
  entities: MessageEntity[];
}

const fail = (why: string): never => {
  throw badRequest(`can't parse entities: ${why}`);
};
// Telegram reports offsets in UTF-8 bytes of the source, not JS string indices.
const byteAt = (s: ParseState, i: number): number => Buffer.byteLength(s.html.slice(0, i));
const isSpace = (c: string | undefined): boolean => c !== undefined && /\s/.test(c);

function decodeEntityAt(s: string, at: number): { value: string; length: number } | undefined {
  ENTITY_RE.lastIndex = at;
  const m = ENTITY_RE.exec(s);
  if (!m) return undefined;
  if (m[3] !== undefined) {
    const named = NAMED_ENTITIES[m[3]];
    return named === undefined ? undefined : { value: named, length: m[0].length };
  }
  const cp = m[1] !== undefined ? Number.parseInt(m[1], 10) : Number.parseInt(m[2] ?? "", 16);
  if (!(cp > 0 && cp <= 0x10ffff) || (cp >= 0xd800 && cp <= 0xdfff)) return undefined;
  return { value: String.fromCodePoint(cp), length: m[0].length };
}

function decodeLenient(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; ) {
    const d = s[i] === "&" ? decodeEntityAt(s, i) : undefined;
    out += d ? d.value : s[i];
    i += d ? d.length : 1;
  }
  return out;
}

/** Visible text and entities of an HTML-formatted message, or throws Telegram's "can't parse entities". */
export function parseHtml(html: string): { text: string; entities: MessageEntity[] } {
  const s: ParseState = { html, i: 0, text: "", open: [], entities: [] };
  while (s.i < html.length) {
    const ch = html[s.i];
    if (ch === "&") {
      const d = decodeEntityAt(html, s.i) ?? fail(`Unsupported HTML entity at byte offset ${byteAt(s, s.i)}`);
      s.text += d.value;
      s.i += d.length;
    } else if (ch !== "<") {
      s.text += ch;
      s.i++;
    } else if (html[s.i + 1] === "/") closeTag(s);
    else openTag(s);
  }
  const unclosed = s.open[s.open.length - 1];
  if (unclosed) fail(`Can't find end tag corresponding to start tag "${unclosed.tag}"`);
  s.entities.sort((a, b) => a.offset - b.offset || b.length - a.length);
  return { text: s.text, entities: s.entities };
}

function closeTag(s: ParseState): void {
  const begin = s.i;
  const top = s.open.pop() ?? fail(`Unexpected end tag at byte offset ${byteAt(s, begin)}`);
  s.i += 2;
  while (s.i < s.html.length && !isSpace(s.html[s.i]) && s.html[s.i] !== ">") s.i++;
  const name = s.html.slice(begin + 2, s.i).toLowerCase();
  while (isSpace(s.html[s.i])) s.i++;
  if (s.html[s.i] !== ">") fail(`Unclosed end tag at byte offset ${byteAt(s, begin)}`);
  s.i++;
  if (name !== "" && name !== top.tag) {
    fail(
      `Unmatched end tag at byte offset ${byteAt(s, begin)}, expected "</${top.tag}>", found "</${name}>"`,
    );
  }
  const parent = s.open[s.open.length - 1];
  const lang = top.attrs.class?.startsWith("language-") ? top.attrs.class.slice(9) : undefined;
  if (top.tag === "code" && parent?.tag === "pre" && lang) {
    // <pre><code class="language-x"> is one pre entity with a language, as in Telegram.
    parent.language = lang;
    return;
  }
  if (s.text.length === top.start) return;
  const e: MessageEntity = {
    type: TAG_ENTITY[top.tag] ?? "bold",
    offset: top.start,
    length: s.text.length - top.start,
  };
  if (top.tag === "a" && top.attrs.href) e.url = top.attrs.href;
  if (top.tag === "pre" && top.language) e.language = top.language;
  if (top.tag === "blockquote" && "expandable" in top.attrs) e.type = "expandable_blockquote";
  if (top.tag === "tg-emoji") e.custom_emoji_id = top.attrs["emoji-id"] ?? "";
  s.entities.push(e);
}

function openTag(s: ParseState): void {
  const begin = s.i;
  s.i++;
  while (s.i < s.html.length && !isSpace(s.html[s.i]) && s.html[s.i] !== ">") s.i++;
  if (s.i >= s.html.length) fail(`Unclosed start tag at byte offset ${byteAt(s, begin)}`);
  const tag = s.html.slice(begin + 1, s.i).toLowerCase();
  if (!(tag in TAG_ENTITY)) fail(`Unsupported start tag "${tag}" at byte offset ${byteAt(s, begin)}`);
  const attrs = readAttributes(s, tag, begin);
  s.i++;
  if (tag === "span" && attrs.class !== "tg-spoiler") {
    fail(`Tag "span" must have class "tg-spoiler" at byte offset ${byteAt(s, begin)}`);
  }
  s.open.push({ tag, start: s.text.length, attrs });
}

/** The attributes of the start tag at `begin`, up to (not past) its ">". */
function readAttributes(s: ParseState, tag: string, begin: number): Record<string, string> {
  const { html } = s;
  const unclosed = (): never => fail(`Unclosed start tag at byte offset ${byteAt(s, begin)}`);
  const attrs: Record<string, string> = {};
  while (html[s.i] !== ">") {
    while (isSpace(html[s.i])) s.i++;
    if (html[s.i] === ">") break;
    const nameStart = s.i;
    while (s.i < html.length && !isSpace(html[s.i]) && html[s.i] !== "=" && html[s.i] !== ">") s.i++;
    const attr = html.slice(nameStart, s.i).toLowerCase();
    if (attr === "") fail(`Empty attribute name in the tag "${tag}" at byte offset ${byteAt(s, begin)}`);
    while (isSpace(html[s.i])) s.i++;
    if (html[s.i] !== "=") {
      if (s.i >= html.length) unclosed();
      attrs[attr] = ""; // valueless attributes such as <blockquote expandable>
      continue;
    }
    s.i++;
    while (isSpace(html[s.i])) s.i++;
    const quote = html[s.i];
    if (quote === '"' || quote === "'") {
      const end = html.indexOf(quote, s.i + 1);
      if (end < 0) unclosed();
      attrs[attr] = decodeLenient(html.slice(s.i + 1, end));
      s.i = end + 1;
    } else {
      const valueStart = s.i;
      while (s.i < html.length && /[\w.\-:/?=&#%+]/.test(html[s.i] ?? "")) s.i++;
      if (s.i === valueStart) fail(`Expected quotes in the tag "${tag}" at byte offset ${byteAt(s, begin)}`);
      attrs[attr] = decodeLenient(html.slice(valueStart, s.i));
    }
    if (s.i >= html.length) unclosed();
  }
  return attrs;
}
