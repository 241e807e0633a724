/**
 * An article's full text, as "Read here" serves it: the body HTML a source sent, cleaned by
 * sanitize-html (on htmlparser2) down to what Telegram's HTML parse mode shows, then laid out
 * for a chat: Telegram keeps line breaks as typed and knows no paragraphs, lists or headings.
 */
import { parseDocument } from "htmlparser2";
import sanitizeHtml from "sanitize-html";
import { type CleanOptions, Layout } from "./article-layout.ts";
import { ALLOWED_TAGS, DROPPED_WITH_CONTENT } from "./article-tags.ts";

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
