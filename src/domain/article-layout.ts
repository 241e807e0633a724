import { type ChildNode, type Element, isTag, isText } from "domhandler";
import { HEADINGS, INLINE, LISTS } from "./article-tags.ts";
import { escapeHtml } from "./html.ts";

/** What cleaning one article's body needs to know of the article. */
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
export class Layout {
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
    this.trimTrailing(/[ \t]+$/);
  }

  /** Drops what `tail` matches at the end of the text, across as many pieces as it spans. */
  private trimTrailing(tail: RegExp): void {
    for (let last = this.out.at(-1); last !== undefined; last = this.out.at(-1)) {
      const trimmed = last.replace(tail, "");
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
    if (this.inPre === 0) this.trimTrailing(/\n+$/);
    // An empty element is dropped: Telegram refuses some, and it shows nothing anyway.
    if (this.out.length === mark + 1) this.out.length = mark;
    else this.push(close);
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
