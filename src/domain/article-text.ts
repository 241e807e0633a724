/**
 * An article's full text, as "Read here" serves it: the body HTML a source sent, cleaned by
 * sanitize-html (on htmlparser2) down to what Telegram's HTML parse mode shows, then laid out
 * for a chat: Telegram keeps line breaks as typed and knows no paragraphs, lists or headings.
 */
import { type ChildNode, type Element, isTag, isText } from "domhandler";
import { parseDocument } from "htmlparser2";
import sanitizeHtml from "sanitize-html";
import { escapeHtml } from "./html.ts";

/** Inline markup Telegram shows, each under the one name it is sent as. */
const INLINE: Readonly<Record<string, string>> = {
  b: "b",
  strong: "b",
  i: "i",
  em: "i",
  u: "u",
  ins: "u",
  s: "s",
  strike: "s",
  del: "s",
  code: "code",
};
const BLOCKS = new Set([
  "p",
  "div",
  "section",
  "article",
  "figure",
  "figcaption",
  "table",
  "tr",
  "header",
  "footer",
]);
const HEADINGS = new Set(["h1", "h2", "h3", "h4", "h5", "h6"]);
const LISTS = new Set(["ul", "ol"]);

/** What survives sanitize-html: everything else is unwrapped to its text, or dropped with its content. */
const ALLOWED_TAGS = [
  ...Object.keys(INLINE),
  ...BLOCKS,
  ...HEADINGS,
  ...LISTS,
  "li",
  "br",
  "a",
  "blockquote",
  "pre",
  "img",
  "td",
  "th",
];

/** Elements whose content is never text for a reader: dropped whole, not unwrapped. */
const DROPPED_WITH_CONTENT = [
  "script",
  "style",
  "iframe",
  "form",
  "textarea",
  "select",
  "option",
  "button",
  "noscript",
  "object",
  "embed",
  "svg",
  "math",
  "template",
  "head",
  "title",
  "video",
  "audio",
  "canvas",
];

export interface CleanOptions {
  /** The article's own address: relative links and pictures in the body are taken from there. */
  baseUrl: string;
  /** The lead picture goes first as a photo, so the body does not link it again. */
  leadImageUrl?: string;
  /** The word shown for a picture without a description. */
  pictureWord?: string;
}

/** An http(s) address, made absolute against the article; undefined for any other scheme. */
function absoluteHttp(raw: string | undefined, base: string): string | undefined {
  if (raw === undefined || raw.trim() === "") return undefined;
  try {
    const url = new URL(raw.trim(), base);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The body as Telegram HTML: paragraphs and line breaks kept; bold, italic, underline, strike,
 * code, pre, blockquote and http(s) links kept; list items as "• " lines; headings as bold lines;
 * a picture as a link to it (none for the lead picture); scripts, styles, frames, forms, comments,
 * attributes and unknown tags gone; entities decoded (and escaped again only where HTML needs it).
 * Empty when nothing readable is left.
 */
export function cleanArticleBody(html: string, options: CleanOptions): string {
  // htmlparser2 takes time that grows with the square of the nesting: a hostile body 50,000 tags
  // deep took seconds. No article nests that deep, so such a body is read as plain text.
  const source = nestingDepth(html) > NESTING_MAX ? html.replace(/<[^>]*>/g, " ") : html;
  const safe = sanitizeHtml(source, {
    allowedTags: ALLOWED_TAGS,
    allowedAttributes: { a: ["href"], img: ["src", "alt"] },
    allowedSchemes: ["http", "https"],
    allowedSchemesAppliedToAttributes: ["href", "src"],
    allowProtocolRelative: false,
    disallowedTagsMode: "discard",
    nonTextTags: DROPPED_WITH_CONTENT,
  });
  const out = new Layout(options);
  out.children(parseDocument(safe).children);
  return out.result();
}

/** Tags open at once past which a body is read as plain text (see cleanArticleBody). */
const NESTING_MAX = 256;
const VOID_TAGS = new Set([
  "br",
  "img",
  "hr",
  "wbr",
  "input",
  "meta",
  "link",
  "source",
  "col",
  "area",
  "base",
]);

/** How deep the tags of `html` nest, read in one pass without building a tree. */
export function nestingDepth(html: string): number {
  let depth = 0;
  let deepest = 0;
  for (const m of html.matchAll(/<(\/?)([a-zA-Z][a-zA-Z0-9-]*)[^<>]*?(\/?)>/g)) {
    const name = (m[2] ?? "").toLowerCase();
    if (m[1] === "/") depth = Math.max(0, depth - 1);
    else if (m[3] !== "/" && !VOID_TAGS.has(name)) deepest = Math.max(deepest, ++depth);
  }
  return deepest;
}

/** Elements deeper than this are read as plain text. */
const MAX_DEPTH = 64;

/** The text of a subtree, walked without recursion. */
function flatText(root: ChildNode): string {
  const parts: string[] = [];
  const stack: ChildNode[] = [root];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (isText(node)) parts.push(node.data);
    else if (isTag(node))
      for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i] as ChildNode);
  }
  return parts.join("");
}

/**
 * Writes Telegram HTML from the sanitized tree, with the line breaks blocks stand for. The output
 * is a list of pieces: looking at the end of one long string would flatten it each time.
 */
class Layout {
  private readonly out: string[] = [];
  private inPre = 0;
  private inLink = 0;
  private inQuote = 0;
  /** Output lengths right after an opening tag: a break there would open the element with a blank line. */
  private readonly opened = new Set<number>();
  private depth = 0;

  constructor(private readonly options: CleanOptions) {}

  children(nodes: readonly ChildNode[]): void {
    for (const node of nodes) this.node(node);
  }

  result(): string {
    return this.out.join("").trim();
  }

  private push(piece: string): void {
    if (piece !== "") this.out.push(piece);
  }

  /** The last character a reader sees: tags are not text. */
  private lastChar(): string | undefined {
    for (let i = this.out.length - 1; i >= 0; i--) {
      const piece = this.out[i] ?? "";
      if (!piece.startsWith("<")) return piece.at(-1);
    }
    return undefined;
  }

  private text(value: string): void {
    if (this.inPre > 0) {
      this.push(escapeHtml(value));
      return;
    }
    // Outside <pre>, HTML's own whitespace is one space: the source's line wrapping is not the text's.
    let text = value.replace(/\s+/g, " ");
    const last = this.lastChar();
    if (last === undefined || last === " " || last === "\n") text = text.trimStart();
    this.push(escapeHtml(text));
  }

  /** Drops the spaces the text ends with. */
  private trimEnd(): void {
    for (let last = this.out.at(-1); last !== undefined; last = this.out.at(-1)) {
      const trimmed = last.replace(/[ \t]+$/, "");
      if (trimmed === last) return;
      if (trimmed === "") this.out.pop();
      else {
        this.out[this.out.length - 1] = trimmed;
        return;
      }
    }
  }

  private breakLine(count: 1 | 2): void {
    this.trimEnd();
    // Nothing to break from: the start of the text, or just inside a quote or a bold heading.
    if (this.out.length === 0 || this.opened.has(this.out.length)) return;
    let trailing = 0;
    for (let i = this.out.length - 1; i >= 0 && trailing < count; i--) {
      const piece = this.out[i] ?? "";
      let j = piece.length - 1;
      while (j >= 0 && piece[j] === "\n" && trailing < count) {
        trailing++;
        j--;
      }
      if (j >= 0) break;
    }
    if (trailing < count) this.push("\n".repeat(count - trailing));
  }

  /** Writes `open`, then what `inner` writes, then `close`; nothing at all when `inner` wrote nothing. */
  private around(open: string, close: string, inner: () => void): void {
    const mark = this.out.length;
    this.push(open);
    this.opened.add(this.out.length);
    inner();
    this.opened.delete(mark + 1);
    // Line breaks a block left at its end belong outside the element, not inside it.
    if (this.inPre === 0) this.trimBreaks();
    // An empty element is dropped: Telegram refuses some, and it shows nothing anyway.
    if (this.out.length === mark + 1) this.out.length = mark;
    else this.push(close);
  }

  private trimBreaks(): void {
    for (let last = this.out.at(-1); last !== undefined; last = this.out.at(-1)) {
      const trimmed = last.replace(/\n+$/, "");
      if (trimmed === last) return;
      if (trimmed === "") this.out.pop();
      else {
        this.out[this.out.length - 1] = trimmed;
        return;
      }
    }
  }

  private wrap(tag: string, inner: () => void): void {
    this.around(`<${tag}>`, `</${tag}>`, inner);
  }

  private node(node: ChildNode): void {
    if (isText(node)) {
      this.text(node.data);
      return;
    }
    if (!isTag(node)) return;
    // A body nested deeper than any real article would overflow the stack: past this, text only.
    if (this.depth >= MAX_DEPTH) {
      this.text(flatText(node));
      return;
    }
    this.depth++;
    this.element(node);
    this.depth--;
  }

  private element(el: Element): void {
    const name = el.name;
    const inline = INLINE[name];
    // Telegram takes no markup inside code or pre: their content is text.
    if (inline === "code") {
      if (this.inPre > 0) this.text(flatText(el));
      else this.wrap("code", () => this.text(flatText(el)));
      return;
    }
    if (inline !== undefined) {
      this.wrap(inline, () => this.children(el.children));
      return;
    }
    if (name === "br") {
      if (this.inPre === 0) this.trimEnd();
      this.push("\n");
      return;
    }
    if (name === "a") {
      this.link(el);
      return;
    }
    if (name === "img") {
      this.picture(el);
      return;
    }
    if (name === "pre") {
      this.breakLine(2);
      this.inPre++;
      this.wrap("pre", () => this.text(flatText(el)));
      this.inPre--;
      this.breakLine(2);
      return;
    }
    if (name === "blockquote") {
      this.breakLine(2);
      // Telegram does not nest quotes: a quote inside one reads as a paragraph of it.
      if (this.inQuote > 0 || this.inPre > 0) this.children(el.children);
      else {
        this.inQuote++;
        this.wrap("blockquote", () => this.children(el.children));
        this.inQuote--;
      }
      this.breakLine(2);
      return;
    }
    if (HEADINGS.has(name)) {
      this.breakLine(2);
      this.wrap("b", () => this.children(el.children));
      this.breakLine(2);
      return;
    }
    if (name === "li") {
      this.breakLine(1);
      this.push("• ");
      this.children(el.children);
      this.breakLine(1);
      return;
    }
    if (LISTS.has(name)) {
      this.breakLine(2);
      this.children(el.children);
      this.breakLine(2);
      return;
    }
    if (name === "td" || name === "th") {
      this.children(el.children);
      this.push(" ");
      return;
    }
    // Paragraphs and other blocks: a blank line apart from what is around them.
    this.breakLine(name === "tr" ? 1 : 2);
    this.children(el.children);
    this.breakLine(name === "tr" ? 1 : 2);
  }

  private link(el: Element): void {
    const href = absoluteHttp(el.attribs.href, this.options.baseUrl);
    // A link inside a link, or one without a usable address, keeps only its text.
    if (href === undefined || this.inLink > 0 || this.inPre > 0) {
      this.children(el.children);
      return;
    }
    this.inLink++;
    this.around(`<a href="${escapeHtml(href)}">`, "</a>", () => this.children(el.children));
    this.inLink--;
  }

  private picture(el: Element): void {
    const src = absoluteHttp(el.attribs.src, this.options.baseUrl);
    if (src === undefined || src === this.options.leadImageUrl || this.inLink > 0 || this.inPre > 0) return;
    const alt = (el.attribs.alt ?? "").replace(/\s+/g, " ").trim();
    const word = alt === "" ? (this.options.pictureWord ?? "🖼") : `🖼 ${alt}`;
    this.breakLine(1);
    this.push(`<a href="${escapeHtml(src)}">${escapeHtml(word)}</a>`);
    this.breakLine(1);
  }
}
