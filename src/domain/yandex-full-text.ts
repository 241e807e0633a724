import { decodeHTML } from "entities";
import { XMLParser } from "fast-xml-parser";

/**
 * Yandex's namespace for news feeds. The Russian news sites list the whole article in its
 * yandex:full-text; feedsmith knows no such namespace and drops the element.
 */
const YANDEX_NEWS_NS = /^https?:\/\/news\.yandex\.ru\/?$/i;
const MENTIONS_FULL_TEXT = /:full-text\b/i;
const NS_DECLARATION = /\bxmlns:([\w.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

// Every child of an item is kept as its raw markup, as feedsmith keeps content:encoded: an unclosed
// <br> in a description then cannot reshape the items around it. Entities stay as written, and
// the document was checked for entity declarations before either parse.
const rawItemParser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  transformTagName: (name) => name.toLowerCase(),
  transformAttributeName: (name) => name.toLowerCase(),
  stopNodes: ["rss.channel.item.*", "rss.item.*"],
});

type RawItem = Record<string, unknown>;

/**
 * Gives the items of an RSS document the yandex:full-text they carry as their body, unless
 * content:encoded gave them one. feedsmith drops the element, so the document is parsed a second
 * time, with feedsmith's own XML parser, and only when it mentions a full-text at all. The two
 * lists are matched by place, and feedsmith leaves out an item it finds nothing in, so a text
 * goes to an item only when both lists are as long and every guid and link agrees: otherwise
 * no item gets one, rather than one article's text under another's headline.
 */
export function withYandexFullText<Item extends { guid?: string; link?: string; body?: string }>(
  xml: string,
  items: Item[],
): Item[] {
  if (!MENTIONS_FULL_TEXT.test(xml)) return items;
  const raw = rawItems(xml);
  if (raw?.length !== items.length) return items;
  const aligned = items.every((item, i) => {
    const other = raw[i] as RawItem;
    const sameGuid = item.guid === undefined || item.guid === elementText(other.guid);
    return sameGuid && (item.link === undefined || item.link === elementText(other.link));
  });
  if (!aligned) return items;
  const tags = yandexPrefixes(xml).map((prefix) => `${prefix}:full-text`);
  return items.map((item, i) => {
    if (item.body) return item;
    const other = raw[i] as RawItem;
    const text = tags.map((tag) => elementText(other[tag])).find((t) => t !== undefined);
    return text ? { ...item, body: text } : item;
  });
}

/** The document's items that are elements with content, as feedsmith finds them; undefined if it does not parse. */
function rawItems(xml: string): RawItem[] | undefined {
  let parsed: Record<string, unknown>;
  try {
    parsed = rawItemParser.parse(xml) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const rss = first(parsed.rss) as Record<string, unknown> | undefined;
  const channel = first(rss?.channel) as Record<string, unknown> | undefined;
  const list = channel?.item ?? rss?.item;
  const all = Array.isArray(list) ? list : list === undefined ? [] : [list];
  return all.filter((i): i is RawItem => typeof i === "object" && i !== null && !Array.isArray(i));
}

/** "yandex", as the Yandex guidelines write it, and any other prefix a document binds to the namespace. */
function yandexPrefixes(xml: string): string[] {
  const prefixes = new Set(["yandex"]);
  for (const m of xml.matchAll(NS_DECLARATION)) {
    if (YANDEX_NEWS_NS.test((m[2] ?? m[3] ?? "").trim())) prefixes.add(m[1]?.toLowerCase() ?? "yandex");
  }
  return [...prefixes];
}

function first(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The text of an element kept as raw markup, read as feedsmith reads its own: CDATA sections
 * verbatim, comments dropped, entities decoded everywhere else, trimmed; undefined when empty. A
 * repeated element counts once, by its first occurrence.
 */
function elementText(value: unknown): string | undefined {
  const element = first(value);
  const raw =
    typeof element === "string" ? element : (element as Record<string, unknown> | undefined)?.["#text"];
  if (typeof raw !== "string") return undefined;
  let text = "";
  let at = 0;
  // Each opener is looked for again only once passed, so many sections cost one pass, not one each.
  let cdata = raw.indexOf("<![CDATA[");
  let comment = raw.indexOf("<!--");
  while (cdata !== -1 || comment !== -1) {
    const isCdata = cdata !== -1 && (comment === -1 || cdata < comment);
    const start = isCdata ? cdata : comment;
    const end = raw.indexOf(isCdata ? "]]>" : "-->", start + (isCdata ? 9 : 4));
    // Left open, the rest is ordinary text, as feedsmith takes it.
    if (end === -1) break;
    text += decodeHTML(raw.slice(at, start));
    if (isCdata) text += raw.slice(start + 9, end);
    at = end + 3;
    if (cdata !== -1 && cdata < at) cdata = raw.indexOf("<![CDATA[", at);
    if (comment !== -1 && comment < at) comment = raw.indexOf("<!--", at);
  }
  text += decodeHTML(raw.slice(at));
  return text.trim() || undefined;
}
