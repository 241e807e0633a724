/**
 * The tags of an article's body that "Read here" keeps, and how it takes them: as the markup
 * Telegram's HTML parse mode shows, as blocks it lays out with line breaks, or not at all.
 */
/** Inline markup Telegram shows, each under the one name it is sent as. */
export const INLINE: Readonly<Record<string, string>> = {
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
export const HEADINGS = new Set(["h1", "h2", "h3", "h4", "h5", "h6"]);
export const LISTS = new Set(["ul", "ol"]);

/** What survives sanitize-html: everything else is unwrapped to its text, or dropped with its content. */
export const ALLOWED_TAGS = [
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
export const DROPPED_WITH_CONTENT = [
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
